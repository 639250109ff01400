/** Filters over lists: ordering, selection, set operations. */
import { randomInt } from 'node:crypto';
import type { Scope } from './context.js';
import { EvalError } from './errors.js';
import { callTest } from './tests.js';
import { arith } from './operators.js';
import { iterate, pyCompare, pyEquals, repr, str, truthy } from './python.js';
import { PyTuple, tuple, Undefined, isNumber, isPlainObject, num } from './values.js';
import { attrGetter, bool, sortKey, filterTable } from './filter-registry.js';

const { def, raw, table } = filterTable();

function uniqueList(items: unknown[], caseSensitive = true, attribute?: unknown): unknown[] {
  const key = sortKey(caseSensitive, attribute);
  const seen: unknown[] = [];
  const out: unknown[] = [];
  for (const x of items) {
    const k = key(x);
    if (!seen.some((s) => pyEquals(s, k))) {
      seen.push(k);
      out.push(x);
    }
  }
  return out;
}

function flatten(v: unknown[], levels: number | undefined, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  for (const x of v) {
    if (skipNulls && (x === null || x === 'None')) continue;
    if (Array.isArray(x) && (levels === undefined || levels > 0)) out.push(...flatten(x, levels === undefined ? undefined : levels - 1, skipNulls));
    else out.push(x);
  }
  return out;
}

function selectOrReject(value: unknown, args: unknown[], scope: Scope, keep: boolean, byAttr: boolean): unknown[] {
  const items = iterate(value);
  const rest = [...args];
  const get = byAttr ? attrGetter(rest.shift()) : (x: unknown) => x;
  const testName = rest.length ? str(rest.shift()) : undefined;
  return items.filter((item) => {
    const v = get(item);
    const ok = testName === undefined ? truthy(v) : callTest(testName, v, rest, {}, scope);
    return ok === keep;
  });
}

// --- lists
def('first', [], (v) => {
  const items = iterate(v);
  return items.length ? items[0] : new Undefined('No first item, sequence was empty.', '<first>');
});
def('last', [], (v) => {
  const items = iterate(v);
  return items.length ? items[items.length - 1] : new Undefined('No last item, sequence was empty.', '<last>');
});
function minMax(sign: number) {
  return (v: unknown, caseSensitive: unknown, attribute: unknown) => {
    const items = iterate(v);
    if (items.length === 0) return new Undefined('No aggregated item, sequence was empty.', '<min/max>');
    const key = sortKey(bool(caseSensitive), attribute);
    return items.reduce((best, x) => (sign * pyCompare(key(x), key(best)) > 0 ? x : best));
  };
}
def('min', ['case_sensitive', 'attribute'], minMax(-1));
def('max', ['case_sensitive', 'attribute'], minMax(1));
def('sum', ['attribute', 'start'], (v, attribute, start = 0) => {
  const get = attribute === undefined ? (x: unknown) => x : attrGetter(attribute);
  return iterate(v).reduce((acc: unknown, x) => arith('+', acc, get(x)), start);
});
def('sort', ['reverse', 'case_sensitive', 'attribute'], (v, reverse, cs, attribute) => {
  const key = sortKey(bool(cs), attribute);
  const out = [...iterate(v)].sort((a, b) => pyCompare(key(a), key(b)));
  return bool(reverse) ? out.reverse() : out;
});
/** Python's hashable: Jinja's unique keeps its keys in a set, and dicts and lists cannot go there. */
function hashable(v: unknown): boolean {
  return v === null || typeof v !== 'object' || (v instanceof PyTuple && v.every(hashable));
}

def('unique', ['case_sensitive', 'attribute'], (v, cs, attribute) => {
  const items = iterate(v);
  const key = sortKey(bool(cs), attribute);
  if (items.every((x) => hashable(key(x)))) return uniqueList(items, bool(cs), attribute);
  // Ansible falls back to its own (case-sensitive, equality) unique when Jinja's fails, except
  // where that cannot honour the parameters given.
  if (cs === false || (attribute !== undefined && attribute !== null)) {
    throw new EvalError("Jinja2's unique filter failed and we cannot fall back to Ansible's version as it does not support the parameters supplied");
  }
  return uniqueList(items);
});
def('reverse', [], (v) => (typeof v === 'string' ? [...v].reverse().join('') : [...iterate(v)].reverse()));
def('flatten', ['levels', 'skip_nulls'], (v, levels, skipNulls = true) => flatten(iterate(v), levels === undefined || levels === null ? undefined : num(levels), bool(skipNulls)));
def('shuffle', ['seed'], (v) => {
  const out = [...iterate(v)];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
});
def('random', ['start', 'step', 'seed'], (v, start, step = 1) => {
  if (isNumber(v)) {
    const lo = start === undefined ? 0 : num(start);
    const n = Math.max(0, Math.ceil((num(v) - lo) / num(step)));
    if (n === 0) throw new EvalError('empty range for randrange()');
    return lo + randomInt(n) * num(step);
  }
  const items = iterate(v);
  if (items.length === 0) throw new EvalError('Cannot choose from an empty sequence');
  return items[randomInt(items.length)];
});
def('batch', ['linecount', 'fill_with'], (v, n, fill) => {
  const items = iterate(v);
  const size = num(n);
  const out: unknown[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  if (fill !== undefined && out.length && out[out.length - 1].length < size) {
    const lastRow = out[out.length - 1];
    while (lastRow.length < size) lastRow.push(fill);
  }
  return out;
});
def('slice', ['slices', 'fill_with'], (v, slices, fill) => {
  const items = iterate(v);
  const n = num(slices);
  const per = Math.floor(items.length / n);
  const extra = items.length % n;
  const out: unknown[][] = [];
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const start = offset + i * per;
    if (i < extra) offset++;
    const end = offset + (i + 1) * per;
    const part = items.slice(start, end);
    if (fill !== undefined && i >= extra) part.push(fill);
    out.push(part);
  }
  return out;
});
raw('map', (v, args, kw, scope, callFilter) => {
  const items = iterate(v);
  if (kw.attribute !== undefined) {
    const get = attrGetter(kw.attribute);
    return items.map((x) => {
      const r = get(x);
      return r instanceof Undefined && kw.default !== undefined ? kw.default : r;
    });
  }
  if (args.length === 0) throw new EvalError('map requires a filter name or attribute=');
  const [name, ...rest] = args;
  return items.map((x) => callFilter(str(name), x, rest, kw, scope));
});
raw('select', (v, args, _kw, scope) => selectOrReject(v, args, scope, true, false));
raw('reject', (v, args, _kw, scope) => selectOrReject(v, args, scope, false, false));
raw('selectattr', (v, args, _kw, scope) => selectOrReject(v, args, scope, true, true));
raw('rejectattr', (v, args, _kw, scope) => selectOrReject(v, args, scope, false, true));
raw('zip', (v, args) => {
  const lists = [iterate(v), ...args.map(iterate)];
  const n = Math.min(...lists.map((l) => l.length));
  return Array.from({ length: n }, (_x, i) => tuple(lists.map((l) => l[i])));
});
raw('zip_longest', (v, args, kw) => {
  const lists = [iterate(v), ...args.map(iterate)];
  const n = Math.max(...lists.map((l) => l.length));
  const fill = kw.fillvalue === undefined ? null : kw.fillvalue;
  return Array.from({ length: n }, (_x, i) => tuple(lists.map((l) => (i < l.length ? l[i] : fill))));
});
raw('product', (v, args) => {
  const lists = [iterate(v), ...args.map(iterate)];
  return lists.reduce<unknown[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]]).map((t) => tuple(t));
});
def('difference', ['b'], (a, b) => uniqueList(iterate(a).filter((x) => !iterate(b).some((y) => pyEquals(x, y)))));
def('intersect', ['b'], (a, b) => uniqueList(iterate(a).filter((x) => iterate(b).some((y) => pyEquals(x, y)))));
def('union', ['b'], (a, b) => uniqueList([...iterate(a), ...iterate(b)]));
def('symmetric_difference', ['b'], (a, b) => {
  const la = iterate(a);
  const lb = iterate(b);
  return uniqueList([...la.filter((x) => !lb.some((y) => pyEquals(x, y))), ...lb.filter((x) => !la.some((y) => pyEquals(x, y)))]);
});
def('subelements', ['subelements', 'skip_missing'], (v, path, skipMissing) => {
  const items = isPlainObject(v) ? Object.values(v) : iterate(v);
  const keys = str(path).split('.');
  const out: unknown[] = [];
  for (const item of items) {
    let sub: unknown = item;
    let missing = false;
    for (const k of keys) {
      if (isPlainObject(sub) && k in sub) sub = sub[k];
      else {
        missing = true;
        break;
      }
    }
    if (missing) {
      if (bool(skipMissing)) continue;
      throw new EvalError(`could not find '${str(path)}' key in iterated item '${repr(item)}'`);
    }
    if (!Array.isArray(sub)) throw new EvalError('the key %s should point to a list, got %s'.replace('%s', str(path)).replace('%s', repr(sub)));
    for (const s of sub) out.push([item, s]);
  }
  return out;
});

/** The lists filters, by name (composed into FILTERS in filters.ts). */
export const LIST_FILTERS = table;
