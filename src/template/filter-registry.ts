import type { Scope } from './context.js';
import { EvalError } from './errors.js';
import { getItem } from './interpreter.js';
import { str, truthy } from './python.js';
import { defined } from './undefined.js';

export interface FilterDef {
  fn: (value: unknown, args: unknown[], kwargs: Record<string, unknown>, scope: Scope) => unknown;
  acceptsUndefined?: boolean;
}

/** Binds positional + keyword arguments onto parameter names, Python style. */
function bind(name: string, params: string[], args: unknown[], kw: Record<string, unknown>): unknown[] {
  if (args.length > params.length) throw new EvalError(`${name}() takes at most ${params.length} arguments (${args.length} given)`);
  const out = params.map((_p, i) => args[i]);
  for (const [k, v] of Object.entries(kw)) {
    const i = params.indexOf(k);
    if (i < 0) throw new EvalError(`${name}() got an unexpected keyword argument '${k}'`);
    out[i] = v;
  }
  return out;
}

export const FILTER_TABLE: Record<string, FilterDef> = {};

export function def(names: string | string[], params: string[], fn: (value: unknown, ...a: unknown[]) => unknown, acceptsUndefined = false): void {
  for (const name of Array.isArray(names) ? names : [names]) {
    FILTER_TABLE[name] = { fn: (v, args, kw) => fn(v, ...bind(name, params, args, kw)), acceptsUndefined };
  }
}

export function raw(names: string | string[], fn: FilterDef['fn'], acceptsUndefined = false): void {
  for (const name of Array.isArray(names) ? names : [names]) FILTER_TABLE[name] = { fn, acceptsUndefined };
}

export const bool = (v: unknown, dflt = false) => (v === undefined ? dflt : truthy(v));

/** Jinja's attribute getter for `attribute='a.b.0'`. */
export function attrGetter(attribute: unknown): (item: unknown) => unknown {
  const parts = str(attribute).split('.');
  return (item) => {
    let v = item;
    for (const p of parts) v = /^\d+$/.test(p) ? getItem(v, Number(p), p) : getItem(v, p, p);
    return v;
  };
}

export function sortKey(caseSensitive: boolean, attribute: unknown) {
  const get = attribute === undefined || attribute === null ? (x: unknown) => x : attrGetter(attribute);
  return (x: unknown) => {
    const v = get(x);
    return !caseSensitive && typeof v === 'string' ? v.toLowerCase() : v;
  };
}

export function callFilterByName(name: string, value: unknown, args: unknown[], kw: Record<string, unknown>, scope: Scope): unknown {
  const f = FILTER_TABLE[name];
  if (!f) throw new EvalError(`no filter named '${name}'`);
  if (!f.acceptsUndefined) defined(value);
  return f.fn(value, args, kw, scope);
}

