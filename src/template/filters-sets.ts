/** Grouping and combinatorics filters: groupby, combinations, permutations, rekey_on_member. */
import { EvalError } from './errors.js';
import { iterate, pyCompare, pyEquals, str, truthy } from './python.js';
import { attrGetter, filterTable } from './filter-registry.js';
import { isMapping, num, tuple } from './values.js';

const { def, table } = filterTable();

/** Jinja's groupby: sorted by the attribute (case-insensitively unless asked), (grouper, items) pairs. */
def('groupby', ['attribute', 'default', 'case_sensitive'], (v, attribute, dflt, caseSensitive) => {
  const get = attrGetter(attribute);
  const key = (x: unknown) => {
    let k: unknown;
    try {
      k = get(x);
    } catch (err) {
      if (dflt === undefined) throw err;
      k = dflt;
    }
    return !truthy(caseSensitive ?? false) && typeof k === 'string' ? k.toLowerCase() : k;
  };
  const items = iterate(v).map((x) => ({ x, k: key(x) }));
  items.sort((a, b) => pyCompare(a.k, b.k));
  const groups: { k: unknown; items: unknown[] }[] = [];
  for (const it of items) {
    const last = groups[groups.length - 1];
    if (last && pyEquals(last.k, it.k)) last.items.push(it.x);
    else groups.push({ k: it.k, items: [it.x] });
  }
  // the grouper shown is the first member's own value, not the lowered key
  return groups.map((g) => tuple([truthy(caseSensitive ?? false) ? g.k : get(g.items[0]), g.items]));
});

function* combinations(pool: unknown[], r: number, start = 0, acc: unknown[] = []): Generator<unknown[]> {
  if (acc.length === r) {
    yield acc;
    return;
  }
  for (let i = start; i < pool.length; i++) yield* combinations(pool, r, i + 1, [...acc, pool[i]]);
}

function* permutations(pool: unknown[], r: number, used: boolean[] = [], acc: unknown[] = []): Generator<unknown[]> {
  if (acc.length === r) {
    yield acc;
    return;
  }
  for (let i = 0; i < pool.length; i++) {
    if (used[i]) continue;
    used[i] = true;
    yield* permutations(pool, r, used, [...acc, pool[i]]);
    used[i] = false;
  }
}

def('combinations', ['r'], (v, r) => [...combinations(iterate(v), num(r))].map((c) => tuple(c)));
def('permutations', ['r'], (v, r) => {
  const pool = iterate(v);
  return [...permutations(pool, r === undefined || r === null ? pool.length : num(r))].map((c) => tuple(c));
});

def('rekey_on_member', ['key', 'duplicates'], (v, key, duplicates = 'error') => {
  if (duplicates !== 'error' && duplicates !== 'overwrite') throw new EvalError(`duplicates parameter to rekey_on_member has unknown value: ${str(duplicates)}`);
  if (typeof v === 'string' || !(isMapping(v) || Array.isArray(v))) throw new EvalError('Type is not a valid list, set, or dict');
  const out: Record<string, unknown> = {};
  for (const item of isMapping(v) ? Object.values(v) : v) {
    if (!isMapping(item)) throw new EvalError('List item is not a valid dict');
    const k = str(key);
    if (!(k in item)) throw new EvalError(`Key ${k} was not found`);
    const name = str((item as Record<string, unknown>)[k]);
    if (truthy(out[name] ?? null) && duplicates === 'error') throw new EvalError(`Key ${name} is not unique, cannot correctly turn into dict`);
    out[name] = item;
  }
  return out;
});

/** The sets filters, by name (composed into FILTERS in filters.ts). */
export const SET_FILTERS = table;
