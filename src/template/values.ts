/**
 * Python-flavoured values. JS numbers cannot tell 5 from 5.0, but Jinja prints them
 * differently ("5" vs "5.0"), so floats with an integral value are boxed in PyFloat
 * while the interpreter works; everything leaving the template layer is unboxed.
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

/**
 * A Python object with its own attributes, methods and operators (datetime, timedelta): the
 * interpreter asks it rather than treating it as data. toString() is its repr().
 */
export abstract class PyObject {
  abstract readonly pyType: string;
  /** Python str(). */
  abstract pyStr(): string;
  /** An attribute that is not a method; undefined when there is none. */
  abstract attr(name: string): unknown;
  abstract hasMethod(name: string): boolean;
  abstract callMethod(name: string, args: unknown[], kwargs: Record<string, unknown>): unknown;
  /** `this op other` (or `other op this` when reflected); undefined when unsupported. */
  arith(_op: string, _other: unknown, _reflected: boolean): unknown {
    return undefined;
  }
}

/** Result of an inline `x if c` without else, and of missing variables/attributes. */
export class Undefined {
  constructor(
    /** Message used when the value is used: "'foo' is undefined". */
    readonly hint: string,
    /** Name reported as UndefinedVariableError.variable. */
    readonly variable: string,
    /** Plain Jinja Undefined (inline-if without else): prints '' and is falsy instead of failing. */
    readonly lenient = false,
    /**
     * What Ansible's repr (`"%r" | format(x)`) names: the missing variable (obj missing) or the
     * object that lacks the attribute; without it the hint is shown instead.
     */
    readonly origin?: { name: string; obj?: unknown },
  ) {}
}

/** A Python tuple: a JS array (JSON and iteration treat it as a list) that prints as `(a, b)`. */
export class PyTuple<T = unknown> extends Array<T> {
  // map/filter/slice of a tuple give plain lists, as in Python
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }
}

export function tuple<U>(items: Iterable<U>): PyTuple<U> {
  const t = new PyTuple<U>();
  for (const x of items) t.push(x);
  return t;
}

/** A Python method bound to its receiver, e.g. `'a,b'.split`. */
export class BoundMethod {
  constructor(
    readonly self: unknown,
    readonly name: string,
  ) {}
}

/** A callable exposed to expressions (range, lookup, dict, ...). */
export type Callable = (args: unknown[], kwargs: Record<string, unknown>) => unknown;
export class PyFunction {
  constructor(
    readonly name: string,
    readonly fn: Callable,
    /** Attributes readable with `.name` (a recursive for-loop's `loop` is callable and has index, ...). */
    readonly attrs?: Record<string, unknown>,
  ) {}
}

/**
 * A mapping whose entries resolve lazily (e.g. `hostvars`, or `hostvars[h]`): anything with
 * VarSource's lookup/has/names. Expressions treat it as a dict.
 */
export interface LazyMapping {
  lookup(name: string): unknown;
  has(name: string): boolean;
  names(): Iterable<string>;
}

export function isLazyMapping(v: unknown): v is LazyMapping {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.lookup === 'function' && typeof o.has === 'function' && typeof o.names === 'function';
}

/** A plain object with every entry of a lazy mapping resolved. */
export function materialize(v: LazyMapping): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of v.names()) out[k] = v.lookup(k) ?? null;
  return out;
}

export function isFloat(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

export function isNumber(v: unknown): v is number | PyFloat {
  return typeof v === 'number' || v instanceof PyFloat;
}

export function num(v: unknown): number {
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v as number;
}

/** A float result: boxed when integral so it still prints as "5.0". */
export function mkFloat(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v) || v instanceof PyFloat || v instanceof Undefined || v instanceof BoundMethod) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function isMapping(v: unknown): v is Record<string, unknown> {
  return isPlainObject(v) || v instanceof Map || isLazyMapping(v);
}

/** Deep copy with PyFloat unboxed and Undefined rejected; for values leaving the template layer. */
export function unbox(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value;
  if (v instanceof PyObject) return v.pyStr();
  if (isLazyMapping(v)) return unbox(materialize(v));
  if (Array.isArray(v)) {
    if (!(v instanceof PyTuple) && !v.some(needsUnbox)) return v;
    return Array.from(v, unbox);
  }
  if (isPlainObject(v)) {
    if (!Object.values(v).some(needsUnbox)) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = unbox(x);
    return out;
  }
  return v;
}

/** A deep copy of JSON-like data; unlike structuredClone it reads lazy objects (proxies, e.g. hostvars[h]) through their keys. */
export function plainCopy(v: unknown): unknown {
  if (Array.isArray(v)) return Array.from(v, plainCopy);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plainCopy(x);
    return out;
  }
  return v;
}

function needsUnbox(v: unknown): boolean {
  if (v instanceof PyFloat || v instanceof PyObject || isLazyMapping(v)) return true;
  if (v instanceof PyTuple) return true;
  if (Array.isArray(v)) return v.some(needsUnbox);
  if (isPlainObject(v)) return Object.values(v).some(needsUnbox);
  return false;
}

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (v instanceof PyFloat) return 'float';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof PyTuple) return 'tuple';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Undefined) return 'AnsibleUndefined';
  if (v instanceof BoundMethod) return 'builtin_function_or_method';
  if (v instanceof PyFunction) return 'function';
  if (v instanceof PyObject) return v.pyType;
  if (isMapping(v)) return 'dict';
  return 'object';
}
