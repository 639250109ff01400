import { EvalError } from './errors.js';
import { BoundMethod, PyFloat, PyFunction, PyObject, PyTuple, Undefined, isLazyMapping, isMapping, isNumber, materialize, num, typeName } from './values.js';
import { undefinedError } from './undefined.js';
import { pyFloatRepr, pyRepr, type SpecialRepr } from '../util/python-repr.js';

/** Template values plain data cannot express: floats that print as floats, tuples, callables. */
const templateValues: SpecialRepr = (v, recurse) => {
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (v instanceof PyTuple) return v.length === 1 ? `(${recurse(v[0])},)` : `(${v.map(recurse).join(', ')})`;
  // AnsibleUndefined's repr: printing an undefined value with %r does not fail, in Ansible either
  if (v instanceof Undefined) {
    const o = v.origin;
    const obj = o && 'obj' in o ? recurse(o.obj) : 'missing';
    return `AnsibleUndefined(hint=${o ? 'None' : recurse(v.hint)}, obj=${obj}, name=${o ? recurse(o.name) : 'None'})`;
  }
  if (v instanceof BoundMethod) return `<built-in method ${v.name} of ${typeName(v.self)} object>`;
  if (v instanceof PyFunction) return `<function ${v.name}>`;
  if (isLazyMapping(v)) return recurse(materialize(v));
  if (v instanceof Map) return `{${[...v.entries()].map(([k, x]) => `${recurse(k)}: ${recurse(x)}`).join(', ')}}`;
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !isMapping(v)) return String(v);
  return undefined;
};

/** Python repr(), which is how Jinja prints lists and dicts. */
export function repr(v: unknown): string {
  return pyRepr(v, templateValues);
}

/** Python str(). */
export function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof PyObject) return v.pyStr();
  if (v instanceof Undefined) {
    if (v.lenient) return '';
    throw undefinedError(v);
  }
  return repr(v);
}

export function truthy(v: unknown): boolean {
  if (v instanceof Undefined) {
    if (v.lenient) return false;
    throw undefinedError(v);
  }
  if (v === null || v === undefined || v === false) return false;
  if (v === true) return true;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof PyFloat) return v.value !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  if (isLazyMapping(v)) return [...v.names()].length > 0;
  if (isMapping(v)) return Object.keys(v).length > 0;
  return true;
}

export function pyEquals(a: unknown, b: unknown): boolean {
  if (a instanceof Undefined) throw undefinedError(a);
  if (b instanceof Undefined) throw undefinedError(b);
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (isLazyMapping(a)) a = materialize(a);
  if (isLazyMapping(b)) b = materialize(b);
  if ((isNumber(a) || typeof a === 'boolean') && (isNumber(b) || typeof b === 'boolean')) return num(a) === num(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  if (isMapping(a) && isMapping(b) && !(a instanceof Map) && !(b instanceof Map)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && pyEquals(a[k], b[k]));
  }
  return a === b;
}

/** Python ordering (<); raises TypeError for mixed kinds like Python 3. */
export function pyCompare(a: unknown, b: unknown): number {
  if (a instanceof Undefined) throw undefinedError(a);
  if (b instanceof Undefined) throw undefinedError(b);
  if ((isNumber(a) || typeof a === 'boolean') && (isNumber(b) || typeof b === 'boolean')) {
    const x = num(a);
    const y = num(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEquals(a[i], b[i])) return pyCompare(a[i], b[i]);
    }
    return a.length - b.length;
  }
  throw new EvalError(`'<' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

export function pyContains(container: unknown, item: unknown): boolean {
  if (container instanceof Undefined) throw undefinedError(container);
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new EvalError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => pyEquals(x, item));
  if (container instanceof Map) return container.has(item);
  if (isLazyMapping(container)) return typeof item === 'string' && container.has(item);
  if (isMapping(container)) return typeof item === 'string' || typeof item === 'number' ? Object.prototype.hasOwnProperty.call(container, String(item)) : false;
  throw new EvalError(`argument of type '${typeName(container)}' is not iterable`);
}

/** Python iteration: strings by character, dicts by key. */
export function iterate(v: unknown): unknown[] {
  if (v instanceof Undefined) {
    if (v.lenient) return [];
    throw undefinedError(v);
  }
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (v instanceof Map) return [...v.keys()];
  if (isLazyMapping(v)) return [...v.names()];
  if (isMapping(v)) return Object.keys(v);
  throw new EvalError(`'${typeName(v)}' object is not iterable`);
}

export function length(v: unknown): number {
  if (v instanceof Undefined) throw undefinedError(v);
  if (typeof v === 'string') return [...v].length;
  if (Array.isArray(v)) return v.length;
  if (v instanceof Map) return v.size;
  if (isLazyMapping(v)) return [...v.names()].length;
  if (isMapping(v)) return Object.keys(v).length;
  throw new EvalError(`object of type '${typeName(v)}' has no len()`);
}
