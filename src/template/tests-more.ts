/** Ansible's result, async, uri, path and math tests beyond the everyday ones in tests.ts. */
import { lstatSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EvalError } from './errors.js';
import { pyContains, str, truthy } from './python.js';
import { urlSplit } from './url.js';
import { PyFloat, isMapping } from './values.js';

type Def = (names: string[], fn: (value: unknown, ...args: unknown[]) => boolean, acceptsUndefined?: boolean, params?: string[]) => void;

function result(v: unknown, what: string): Record<string, unknown> {
  if (!isMapping(v)) throw new EvalError(`The '${what}' test expects a dictionary`);
  return v as Record<string, unknown>;
}

/** started/finished are 0/1 on async results; a non-async result counts as started and finished. */
function asyncFlag(key: 'started' | 'finished') {
  return (v: unknown) => {
    const r = result(v, key);
    return key in r ? r[key] === 1 || r[key] === true : true;
  };
}

const BOOLISH_TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't', '1.0']);
const BOOLISH_FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f', '0.0']);

/** Ansible's truthy(convert_bool=True): boolean-like strings count by meaning, others by Python bool. */
function truthyConverted(v: unknown, convert: unknown): boolean {
  if (truthy(convert ?? false)) {
    const k = typeof v === 'string' ? v.trim().toLowerCase() : typeof v === 'number' ? String(v) : undefined;
    if (k !== undefined && BOOLISH_TRUE.has(k)) return true;
    if (k !== undefined && BOOLISH_FALSE.has(k)) return false;
  }
  return truthy(v);
}

/** urllib's urlparse never fails on text: a uri only needs an allowed scheme. */
function isUri(v: unknown, schemes?: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    const p = urlSplit(v);
    return schemes === undefined || schemes === null || !truthy(schemes) || pyContains(schemes, p.scheme);
  } catch {
    return false;
  }
}

function stat(path: string, link = false) {
  try {
    return link ? lstatSync(path) : statSync(path);
  } catch {
    return undefined;
  }
}

/** Python's os.path.ismount: a directory on another device than its parent, or the root. */
function isMount(path: string): boolean {
  const s = stat(path, true);
  if (!s || s.isSymbolicLink()) return false;
  const parent = stat(join(path, '..'), true);
  if (!parent) return false;
  return s.dev !== parent.dev || s.ino === parent.ino;
}

export function registerMoreTests(def: Def): void {
  def(['unreachable'], (v) => truthy(result(v, 'unreachable').unreachable ?? false));
  def(['reachable'], (v) => !truthy(result(v, 'reachable').unreachable ?? false));
  def(['started'], asyncFlag('started'));
  def(['finished'], asyncFlag('finished'));
  def(['true'], (v) => v === true, true);
  def(['false'], (v) => v === false, true);
  def(['nan', 'isnan'], (v) => (typeof v === 'number' && Number.isNaN(v)) || (v instanceof PyFloat && Number.isNaN(v.value)));
  def(['truthy'], (v, convert) => truthyConverted(v, convert), false, ['convert_bool']);
  def(['falsy'], (v, convert) => !truthyConverted(v, convert), false, ['convert_bool']);
  def(['uri'], isUri, false, ['schemes']);
  def(['url'], (v, schemes) => isUri(v, schemes) && (() => {
    const p = urlSplit(str(v));
    return p.netloc !== '' || p.scheme === 'file';
  })(), false, ['schemes']);
  def(['urn'], (v) => isUri(v, ['urn']));
  def(['link_exists'], (v) => stat(str(v), true) !== undefined);
  def(['same_file', 'is_same_file'], (v, other) => {
    const a = stat(str(v));
    const b = stat(str(other));
    return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
  });
  def(['mount', 'is_mount'], (v) => isMount(str(v)));
  // tsrun holds no vault-encrypted values (vaulted data is decrypted when read), so no value is one
  def(['vault_encrypted'], () => false, true);
}
