/**
 * The lookups that only reshape their terms (items, list, indexed_items, dict, together, nested,
 * flattened, random_choice): what `with_<name>` and `lookup('<name>', ...)` both run.
 */
import { isLazyMapping, isMapping, materialize } from '../values.js';

function asRecord(m: Record<string, unknown>): Record<string, unknown> {
  if (m instanceof Map) return Object.fromEntries(m as Map<string, unknown>);
  return isLazyMapping(m) ? materialize(m) : m;
}
import { flattenOnce, LookupFailure, termList, type Lookup } from './types.js';

/** Ansible's listify_lookup_plugin_terms on an already templated value: a string or a scalar becomes a one-item list. */
function listify(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isMapping(v)) return Object.keys(asRecord(v)); // a mapping iterates as its keys, as in Python
  return [v];
}

function deepFlatten(list: readonly unknown[]): unknown[] {
  return list.flatMap((x) => (Array.isArray(x) ? deepFlatten(x) : [x]));
}

export const LIST_LOOKUPS: Record<string, Lookup> = {
  items: (terms) => flattenOnce(listify(terms)),
  list: (terms) => {
    if (!Array.isArray(terms)) throw new LookupFailure('with_list expects a list');
    return terms;
  },
  flattened: (terms) => deepFlatten(termList(terms)),
  indexed_items: (terms) => {
    if (!Array.isArray(terms)) throw new LookupFailure('with_indexed_items expects a list');
    return flattenOnce(terms).map((x, i) => [i, x]);
  },
  dict: (terms) =>
    termList(terms).flatMap((t) => {
      if (!isMapping(t)) throw new LookupFailure('with_dict expects a dict');
      return Object.entries(asRecord(t)).map(([key, value]) => ({ key, value }));
    }),
  together: (terms) => {
    const lists = termList(terms).map(listify);
    if (lists.length === 0) throw new LookupFailure('with_together requires at least one element in each list');
    const n = Math.max(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => flattenOnce(lists.map((l) => (i < l.length ? l[i] : null))));
  },
  nested: (terms) => {
    const lists = termList(terms).map(listify);
    if (lists.length === 0) throw new LookupFailure('with_nested requires at least one element in the nested list');
    const [first, ...rest] = lists;
    return rest.reduce<unknown[]>((acc, l) => acc.flatMap((x) => l.map((y) => flattenOnce([x, y]))), first).map((x) => flattenOnce(listify(x)));
  },
  random_choice: (terms) => {
    const l = termList(terms);
    return l.length ? [l[Math.floor(Math.random() * l.length)]] : [];
  },
};
