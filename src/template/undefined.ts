import { UndefinedVariableError } from './errors.js';
import { Undefined, typeName } from './values.js';

export function undefinedError(u: Undefined): UndefinedVariableError {
  return new UndefinedVariableError(u.hint, u.variable);
}

export function undefinedVar(name: string): Undefined {
  return new Undefined(`'${name}' is undefined`, name, false, { name });
}

export function missingAttr(obj: unknown, attr: string, path: string): Undefined {
  return new Undefined(`'${typeName(obj)} object' has no attribute '${attr}'`, path, false, { name: attr, obj });
}

/** Throws if v is (strict) Undefined; returns v otherwise. */
export function defined<T>(v: T): T {
  if (v instanceof Undefined && !v.lenient) throw undefinedError(v);
  return v;
}

/**
 * Ansible's _fail_on_undefined on each `{{ }}` output: an Undefined anywhere inside a list or dict
 * fails, though its repr (`"%r" | format(x)`, `| string`) does not.
 */
export function definedDeep<T>(v: T): T {
  if (v instanceof Undefined) return defined(v);
  if (Array.isArray(v)) for (const x of v) definedDeep(x);
  else if (v instanceof Map) for (const x of v.values()) definedDeep(x);
  else if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) for (const x of Object.values(v)) definedDeep(x);
  return v;
}
