import { createHash, randomInt } from 'node:crypto';
import { homedir } from 'node:os';
import { basename, extname, resolve } from 'node:path';
import { realpathSync } from 'node:fs';
import YAML from 'yaml';
import type { Scope } from './context.js';
import { EvalError } from './errors.js';
import { callTest, getAttr, getItem } from './interpreter.js';
import { pySplit } from './methods.js';
import { arith } from './operators.js';
import { iterate, length, pyCompare, pyEquals, repr, str, truthy } from './python.js';
import { expandReplacement, pyRegex } from './pyregex.js';
import { pyJsonDumps, pyYamlDump } from './serialize.js';
import { defined } from './undefined.js';
import { ANSIBLE_YAML_OPTIONS } from '../util/yaml.js';
import { PyFloat, PyTuple, tuple, Undefined, isFloat, isMapping, isNumber, isPlainObject, mkFloat, num, typeName } from './values.js';

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

const FILTER_TABLE: Record<string, FilterDef> = {};

function def(names: string | string[], params: string[], fn: (value: unknown, ...a: unknown[]) => unknown, acceptsUndefined = false): void {
  for (const name of Array.isArray(names) ? names : [names]) {
    FILTER_TABLE[name] = { fn: (v, args, kw) => fn(v, ...bind(name, params, args, kw)), acceptsUndefined };
  }
}

function raw(names: string | string[], fn: FilterDef['fn'], acceptsUndefined = false): void {
  for (const name of Array.isArray(names) ? names : [names]) FILTER_TABLE[name] = { fn, acceptsUndefined };
}

function roundHalfEven(x: number): number {
  const fl = Math.floor(x);
  const diff = x - fl;
  if (Math.abs(diff - 0.5) > 1e-9) return Math.round(x);
  return fl % 2 === 0 ? fl : fl + 1;
}

const bool = (v: unknown, dflt = false) => (v === undefined ? dflt : truthy(v));

/** Jinja's attribute getter for `attribute='a.b.0'`. */
function attrGetter(attribute: unknown): (item: unknown) => unknown {
  const parts = str(attribute).split('.');
  return (item) => {
    let v = item;
    for (const p of parts) v = /^\d+$/.test(p) ? getItem(v, Number(p), p) : getItem(v, p, p);
    return v;
  };
}

export function toInt(v: unknown, dflt: unknown = 0, base: unknown = 10): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (isNumber(v)) return Math.trunc(num(v));
  if (typeof v === 'string') {
    const s = v.trim().replace(/_/g, '');
    const b = num(base);
    if (b !== 10) {
      const cleaned = s.replace(b === 16 ? /^0x/i : b === 8 ? /^0o/i : b === 2 ? /^0b/i : /^$/, '');
      const n = parseInt(cleaned, b);
      return Number.isNaN(n) || !new RegExp(`^[-+]?[0-9a-z]+$`, 'i').test(cleaned) ? dflt : n;
    }
    if (/^[-+]?\d+$/.test(s)) return parseInt(s, 10);
    if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Math.trunc(parseFloat(s));
    return dflt;
  }
  return dflt;
}

export function toFloat(v: unknown, dflt: unknown = new PyFloat(0)): unknown {
  if (isNumber(v) || typeof v === 'boolean') return mkFloat(num(v));
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(s)) return mkFloat(parseFloat(s));
    if (/^[-+]?(inf|infinity)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
    if (/^[-+]?nan$/.test(s)) return NaN;
  }
  return dflt;
}

/** Ansible's bool filter. */
export function toBool(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  const s = str(v).toLowerCase().trim();
  return ['yes', 'on', '1', 'true', '1.0', 'y', 't'].includes(s);
}

function sortKey(caseSensitive: boolean, attribute: unknown) {
  const get = attribute === undefined || attribute === null ? (x: unknown) => x : attrGetter(attribute);
  return (x: unknown) => {
    const v = get(x);
    return !caseSensitive && typeof v === 'string' ? v.toLowerCase() : v;
  };
}

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

function combineTwo(a: Record<string, unknown>, b: Record<string, unknown>, recursive: boolean, listMerge: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const old = out[k];
    if (recursive && isPlainObject(old) && isPlainObject(v)) out[k] = combineTwo(old, v, true, listMerge);
    else if (Array.isArray(old) && Array.isArray(v) && listMerge !== 'replace') {
      if (listMerge === 'keep') out[k] = old;
      else if (listMerge === 'append') out[k] = [...old, ...v];
      else if (listMerge === 'prepend') out[k] = [...v, ...old];
      else if (listMerge === 'append_rp') out[k] = [...old.filter((x) => !v.some((y) => pyEquals(x, y))), ...v];
      else if (listMerge === 'prepend_rp') out[k] = [...v, ...old.filter((x) => !v.some((y) => pyEquals(x, y)))];
      else throw new EvalError(`'${listMerge}' is not a valid list_merge value`);
    } else out[k] = v;
  }
  return out;
}

function regexFlags(kw: { ignorecase?: unknown; multiline?: unknown }) {
  return { ignorecase: bool(kw.ignorecase), multiline: bool(kw.multiline) };
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

const hashes: Record<string, string> = { sha1: 'sha1', md5: 'md5', sha256: 'sha256', sha224: 'sha224', sha384: 'sha384', sha512: 'sha512' };

function shellQuote(s: string): string {
  if (s === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

function toMappingKeys(v: unknown, name: string): Record<string, unknown> {
  if (!isPlainObject(v)) throw new EvalError(`${name} requires a dictionary, got ${typeName(v)} instead.`);
  return v;
}

// --- defaults and types
def(['default', 'd'], ['default_value', 'boolean'], (v, dflt = '', boolean) => {
  if (v instanceof Undefined || (bool(boolean) && !truthy(v))) return dflt;
  return v;
}, true);
def('mandatory', ['msg'], (v, msg) => {
  if (v instanceof Undefined) {
    if (msg !== undefined) throw new EvalError(str(msg));
    throw new EvalError(`Mandatory variable ${v.variable === '<expression>' ? '' : `'${v.variable}' `}not defined.`.replace('  ', ' '));
  }
  return v;
}, true);
def('bool', [], (v) => (v === null ? null : toBool(v)));
def('int', ['default', 'base'], (v, d = 0, b = 10) => toInt(v, d, b));
def('float', ['default'], (v, d) => toFloat(v, d));
def('string', [], (v) => str(v));
def('type_debug', [], (v) => typeName(v));
def('list', [], (v) => [...iterate(v)]);
def(['length', 'count'], [], (v) => length(v));
def('abs', [], (v) => (isFloat(v) ? mkFloat(Math.abs(num(v))) : Math.abs(num(v))));
def('round', ['precision', 'method'], (v, precision = 0, method = 'common') => {
  const p = num(precision);
  const f = 10 ** p;
  const x = num(v) * f;
  const r = method === 'ceil' ? Math.ceil(x) : method === 'floor' ? Math.floor(x) : roundHalfEven(x);
  // Python's round() of an int stays an int
  if (method === 'common' && typeof v === 'number' && Number.isInteger(v)) return v;
  return mkFloat(r / f);
});

// --- strings
def('lower', [], (v) => str(v).toLowerCase());
def('upper', [], (v) => str(v).toUpperCase());
def('capitalize', [], (v) => {
  const s = str(v);
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
});
def('title', [], (v) => str(v).replace(/([\w'])+/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()));
def('trim', ['chars'], (v, chars) => {
  const s = str(v);
  if (chars === undefined) return s.trim();
  const set = new Set([...str(chars)]);
  let a = 0;
  let b = s.length;
  while (a < b && set.has(s[a])) a++;
  while (b > a && set.has(s[b - 1])) b--;
  return s.slice(a, b);
});
def('replace', ['old', 'new', 'count'], (v, old, nw, count) => {
  const s = str(v);
  const parts = s.split(str(old));
  if (count === undefined || count === null || parts.length - 1 <= num(count)) return parts.join(str(nw));
  const c = num(count);
  return parts.slice(0, c + 1).join(str(nw)) + str(old) + parts.slice(c + 1).join(str(old));
});
def('center', ['width'], (v, width = 80) => {
  const s = str(v);
  const w = num(width);
  if (s.length >= w) return s;
  const pad = w - s.length;
  const left = Math.floor(pad / 2) + (pad & w & 1);
  return ' '.repeat(left) + s + ' '.repeat(pad - left);
});
def('wordcount', [], (v) => (str(v).match(/\w+/g) ?? []).length);
def('indent', ['width', 'first', 'blank'], (v, width = 4, first = false, blank = false) => {
  const pad = typeof width === 'string' ? width : ' '.repeat(num(width));
  const lines = str(v).split('\n');
  return lines
    .map((l, i) => (i === 0 && !bool(first)) || (l.trim() === '' && !bool(blank)) ? l : pad + l)
    .join('\n');
});
def('truncate', ['length', 'killwords', 'end', 'leeway'], (v, len = 255, killwords = false, end = '...', leeway = 5) => {
  const s = str(v);
  const n = num(len);
  if (s.length <= n + num(leeway)) return s;
  if (bool(killwords)) return s.slice(0, n - str(end).length) + str(end);
  const cut = s.slice(0, n - str(end).length);
  return cut.replace(/\s*\S*$/, '') + str(end);
});
def('split', ['sep', 'maxsplit'], (v, sep, maxsplit) => pySplit(str(v), sep, maxsplit));
def('join', ['d', 'attribute'], (v, d = '', attribute) => {
  const items = iterate(v);
  const get = attribute === undefined ? (x: unknown) => x : attrGetter(attribute);
  return items.map((x) => str(get(x))).join(str(d));
});
def('regex_escape', ['re_type'], (v) => str(v).replace(/[^A-Za-z0-9_]/g, (c) => `\\${c}`));
def('regex_replace', ['pattern', 'replacement', 'ignorecase', 'multiline', 'count', 'mandatory_count'], (v, pattern = '', replacement = '', ic, ml, count = 0) => {
  const re = pyRegex(str(pattern), { ...regexFlags({ ignorecase: ic, multiline: ml }), global: true });
  let n = 0;
  const max = num(count);
  return str(v).replace(re, (...m: unknown[]) => {
    const last = m[m.length - 1];
    const groups = typeof last === 'object' && last !== null ? (last as Record<string, string>) : undefined;
    const match = m.slice(0, groups ? -3 : -2).map((x) => (x === undefined ? '' : String(x)));
    if (max > 0 && n >= max) return match[0];
    n++;
    return expandReplacement(str(replacement), match, groups);
  });
});
raw('regex_search', (v, args, kw) => {
  const re = pyRegex(str(args[0]), regexFlags(kw));
  const m = re.exec(str(v));
  if (!m) return null;
  const wanted = args.slice(1).map(str);
  if (wanted.length === 0) return m[0];
  return wanted.map((w) => {
    const g = /^\\g<(\w+)>$/.exec(w);
    if (g) return (/^\d+$/.test(g[1]) ? m[Number(g[1])] : m.groups?.[g[1]]) ?? null;
    const n = /^\\(\d+)$/.exec(w);
    if (n) return m[Number(n[1])] ?? null;
    throw new EvalError(`Unknown argument ${w}`);
  });
});
def('regex_findall', ['regex', 'multiline', 'ignorecase'], (v, regex, ml, ic) => {
  const re = pyRegex(str(regex), { ...regexFlags({ ignorecase: ic, multiline: ml }), global: true });
  const out: unknown[] = [];
  for (const m of str(v).matchAll(re)) {
    if (m.length === 1) out.push(m[0]);
    else if (m.length === 2) out.push(m[1] ?? '');
    else out.push(tuple(m.slice(1).map((x) => x ?? '')));
  }
  return out;
});
def('quote', [], (v) => shellQuote(str(v ?? '')));
def('b64encode', ['encoding'], (v) => Buffer.from(str(v), 'utf8').toString('base64'));
def('b64decode', ['encoding'], (v) => Buffer.from(str(v), 'base64').toString('utf8'));
def('hash', ['hashtype'], (v, type = 'sha1') => {
  const algo = hashes[str(type)];
  if (!algo) throw new EvalError(`unsupported hash type ${str(type)}`);
  return createHash(algo).update(str(v)).digest('hex');
});
def('checksum', [], (v) => createHash('sha1').update(str(v)).digest('hex'));
def('md5', [], (v) => createHash('md5').update(str(v)).digest('hex'));
def('sha1', [], (v) => createHash('sha1').update(str(v)).digest('hex'));
def('urlencode', [], (v) => {
  const quote = (s: unknown) => encodeURIComponent(str(s)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const qs = (s: unknown) => quote(s).replace(/%20/g, '+');
  if (isPlainObject(v)) return Object.entries(v).map(([k, x]) => `${qs(k)}=${qs(x)}`).join('&');
  if (Array.isArray(v)) return v.map((p) => iterate(p).map(qs).join('=')).join('&');
  return quote(v).replace(/%2F/g, '/');
});
def('ternary', ['true_val', 'false_val', 'none_val'], (v, t, f, n) => (v === null && n !== undefined ? n : truthy(v) ? t : f));
def('comment', ['style'], (v) => `#\n# ${str(v).split('\n').join('\n# ')}\n#`);

// --- paths
def('basename', [], (v) => basename(str(v)));
def('dirname', [], (v) => {
  const s = str(v);
  const i = s.lastIndexOf('/');
  return i < 0 ? '' : i === 0 ? '/' : s.slice(0, i).replace(/\/+$/, '') || '/';
});
def('expanduser', [], (v) => str(v).replace(/^~(?=\/|$)/, homedir()));
def('realpath', [], (v) => {
  try {
    return realpathSync(str(v));
  } catch {
    return resolve(str(v));
  }
});
def('splitext', [], (v) => {
  const s = str(v);
  const ext = extname(s);
  return tuple([s.slice(0, s.length - ext.length), ext]);
});
def('path_join', [], (v) => {
  const parts = iterate(v).map(str);
  let out = '';
  for (const p of parts) out = p.startsWith('/') ? p : out === '' || out.endsWith('/') ? out + p : `${out}/${p}`;
  return out;
});
def('win_basename', [], (v) => str(v).split(/[\\/]/).pop());

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
def('unique', ['case_sensitive', 'attribute'], (v, cs, attribute) => uniqueList(iterate(v), cs === undefined ? true : bool(cs), attribute));
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
raw('map', (v, args, kw, scope) => {
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
  return items.map((x) => callFilterByName(str(name), x, rest, kw, scope));
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

// --- dicts
def('dict2items', ['key_name', 'value_name'], (v, k = 'key', val = 'value') =>
  Object.entries(toMappingKeys(v, 'dict2items')).map(([key, value]) => ({ [str(k)]: key, [str(val)]: value })),
);
def('items2dict', ['key_name', 'value_name'], (v, k = 'key', val = 'value') => {
  const out: Record<string, unknown> = {};
  for (const item of iterate(v)) {
    if (!isPlainObject(item)) throw new EvalError(`items2dict requires a list of dictionaries, got ${typeName(item)}`);
    out[str(item[str(k)])] = item[str(val)];
  }
  return out;
});
def('dictsort', ['case_sensitive', 'by', 'reverse'], (v, cs, by = 'key', reverse) => {
  const key = sortKey(bool(cs), undefined);
  const idx = by === 'value' ? 1 : 0;
  const out = Object.entries(toMappingKeys(v, 'dictsort')).map((e) => tuple(e)).sort((a, b) => pyCompare(key(a[idx]), key(b[idx])));
  return bool(reverse) ? out.reverse() : out;
});
raw('combine', (v, args, kw) => {
  const dicts = [v, ...args].flatMap((d) => (Array.isArray(d) ? d : [d]));
  for (const d of dicts) if (!isPlainObject(d)) throw new EvalError(`failed to combine variables, expected dicts but got a '${typeName(d)}'`);
  const recursive = bool(kw.recursive);
  const listMerge = kw.list_merge === undefined ? 'replace' : str(kw.list_merge);
  return (dicts as Record<string, unknown>[]).reduce((acc, d) => combineTwo(acc, d, recursive, listMerge), {});
});
def('items', [], (v) => Object.entries(toMappingKeys(v, 'items')).map((e) => tuple(e)));
def('extract', ['container', 'morekeys'], (v, container, morekeys) => {
  let out = getItem(container, v, str(v));
  for (const k of morekeys === undefined ? [] : Array.isArray(morekeys) ? morekeys : [morekeys]) out = getItem(out, k, str(k));
  return out;
});
def('attr', ['name'], (v, name) => getAttr(v, str(name), str(name)));

// --- serialization
raw('to_json', (v, _args, kw) => pyJsonDumps(v, { indent: kw.indent === undefined ? undefined : num(kw.indent), sortKeys: bool(kw.sort_keys), ensureAscii: kw.ensure_ascii === undefined ? true : bool(kw.ensure_ascii) }));
raw('to_nice_json', (v, args, kw) => pyJsonDumps(v, { indent: num(args[0] ?? kw.indent ?? 4), sortKeys: kw.sort_keys === undefined ? true : bool(kw.sort_keys), separators: [',', ': '], ensureAscii: kw.ensure_ascii === undefined ? true : bool(kw.ensure_ascii) }));
def('from_json', [], (v) => {
  try {
    return JSON.parse(str(v));
  } catch (err) {
    throw new EvalError(`from_json: ${(err as Error).message}`);
  }
});
raw('to_yaml', (v, _args, kw) => pyYamlDump(v, { indent: kw.indent === undefined ? 2 : num(kw.indent), defaultFlowStyle: kw.default_flow_style === undefined ? null : truthy(kw.default_flow_style) }));
raw('to_nice_yaml', (v, args, kw) => pyYamlDump(v, { indent: num(args[0] ?? kw.indent ?? 4), defaultFlowStyle: false }));
def('from_yaml', [], (v) => {
  if (typeof v !== 'string') return v;
  try {
    return YAML.parse(v, { ...ANSIBLE_YAML_OPTIONS });
  } catch (err) {
    throw new EvalError(`from_yaml: ${(err as Error).message.split('\n')[0]}`);
  }
});
def('from_yaml_all', [], (v) => YAML.parseAllDocuments(str(v), { ...ANSIBLE_YAML_OPTIONS }).map((d) => d.toJS()));

// --- versions and misc
def('human_readable', ['isbits', 'unit'], (v, isbits) => {
  const n = num(toFloat(v));
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
  let i = 0;
  let x = n;
  while (Math.abs(x) >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${x.toFixed(2)} ${units[i]}${bool(isbits) ? 'b' : 'B'}`;
});
def('pow', ['y'], (v, y) => mkFloat(num(v) ** num(y)));
def('log', ['base'], (v, base) => mkFloat(base === undefined ? Math.log(num(v)) : Math.log(num(v)) / Math.log(num(base))));
def('root', ['base'], (v, base = 2) => mkFloat(num(base) === 2 ? Math.sqrt(num(v)) : num(v) ** (1 / num(base))));

function callFilterByName(name: string, value: unknown, args: unknown[], kw: Record<string, unknown>, scope: Scope): unknown {
  const f = FILTER_TABLE[name];
  if (!f) throw new EvalError(`no filter named '${name}'`);
  if (!f.acceptsUndefined) defined(value);
  return f.fn(value, args, kw, scope);
}

export const FILTERS: Readonly<Record<string, FilterDef>> = FILTER_TABLE;
