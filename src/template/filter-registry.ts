import type { Scope } from './context.js';
import { EvalError } from './errors.js';
import { getItem } from './access.js';
import { str, truthy } from './python.js';

/** Calls a filter by name: handed to every filter so `map('upper')` reaches the others without importing them. */
export type FilterCaller = (name: string, value: unknown, args: unknown[], kwargs: Record<string, unknown>, scope: Scope) => unknown;

export interface FilterDef {
  fn: (value: unknown, args: unknown[], kwargs: Record<string, unknown>, scope: Scope, callFilter: FilterCaller) => unknown;
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

type PlainFilter = (value: unknown, ...a: unknown[]) => unknown;

/**
 * A table of filters and the two ways to add to it: `def` (Python-style parameters bound from
 * positional and keyword arguments) and `raw` (the filter sees args and kwargs as they are).
 * Each filters-*.ts builds its own table; filters.ts composes them, so what exists is explicit.
 */
export function filterTable() {
  const table: Record<string, FilterDef> = {};
  const def = (names: string | string[], params: string[], fn: PlainFilter, acceptsUndefined = false): void => {
    for (const name of Array.isArray(names) ? names : [names]) {
      table[name] = { fn: (v, args, kw) => fn(v, ...bind(name, params, args, kw)), acceptsUndefined };
    }
  };
  const raw = (names: string | string[], fn: FilterDef['fn'], acceptsUndefined = false): void => {
    for (const name of Array.isArray(names) ? names : [names]) table[name] = { fn, acceptsUndefined };
  };
  return { table, def, raw };
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
