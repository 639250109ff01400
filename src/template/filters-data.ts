/** Dict and serialization filters. */
import YAML from 'yaml';
import { EvalError } from './errors.js';
import { getAttr, getItem } from './access.js';
import { iterate, pyCompare, pyEquals, str, truthy } from './python.js';
import { pyJsonDumps, pyYamlDump } from './serialize.js';
import { ANSIBLE_YAML_OPTIONS } from '../yaml/yaml.js';
import { tuple, isPlainObject, num, typeName } from './values.js';
import { bool, sortKey, filterTable } from './filter-registry.js';

const { def, raw, table } = filterTable();

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

function toMappingKeys(v: unknown, name: string): Record<string, unknown> {
  if (!isPlainObject(v)) throw new EvalError(`${name} requires a dictionary, got ${typeName(v)} instead.`);
  return v;
}

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
// Jinja's tojson: sorted keys, and <, >, &, ' escaped so the result is safe inside HTML
def('tojson', ['indent'], (v, indent) =>
  pyJsonDumps(v, { indent: indent === undefined || indent === null ? undefined : num(indent), sortKeys: true, ensureAscii: true }).replace(/[<>&']/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`),
);
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

/** The data filters, by name (composed into FILTERS in filters.ts). */
export const DATA_FILTERS = table;
