import { UndefinedVariableError } from './errors.js';
import { Undefined, typeName } from './values.js';

export function undefinedError(u: Undefined): UndefinedVariableError {
  return new UndefinedVariableError(u.hint, u.variable);
}

export function undefinedVar(name: string): Undefined {
  return new Undefined(`'${name}' is undefined`, name);
}

export function missingAttr(obj: unknown, attr: string, path: string): Undefined {
  return new Undefined(`'${typeName(obj)} object' has no attribute '${attr}'`, path);
}

/** Throws if v is (strict) Undefined; returns v otherwise. */
export function defined<T>(v: T): T {
  if (v instanceof Undefined && !v.lenient) throw undefinedError(v);
  return v;
}
