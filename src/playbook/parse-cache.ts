/**
 * Parsed YAML kept between runs: a playbook, task file or role file whose text a run has parsed
 * before is read back instead of parsed again. A short-lived process parses YAML in cold code,
 * and that was about a third of tsrun's control-side CPU per task (callgrind, 100 `command:
 * true` tasks: loading 0.95 M instructions a task, reading back 0.1 M).
 *
 * An entry is the parsed value and the positions of its mappings and lists (source.ts), filed
 * under the digest of the file's text, in a directory per identity of the code that parsed it
 * (the bundle's digest, cli/code-cache.ts): a change to the file or to tsrun is a miss, never a
 * stale value. Positions carry no file name (a file's name depends on the working directory).
 * What is not kept: a file that warns while parsing (the warning is due every run), vault text
 * (no decrypted secret is written to disk), and values other than plain data.
 *
 * Best effort throughout: a directory that cannot be written, a damaged or foreign entry, all
 * mean parsing as if there were no cache. The caller (cli/playbook.ts) turns it on; it is off
 * in development (no bundle, no identity) and with TSRUN_CACHE_DIR set to empty.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { readChecked, writeChecked } from '../util/checked-file.js';

export interface ParseCacheConfig {
  /** The cache's root; entries go to `<dir>/parsed/<identity digest>/`. */
  dir: string;
  /** What the parsing code is (the bundle's cache key): entries of any other identity are not read. */
  identity: string;
}

/** [line, column], or null for a node with no position of its own. */
export type Spot = [number, number] | null;

/** Positions of one mapping or list, and where its own mappings and lists are (indices into the entry's list, or -1). */
export interface Placed {
  at: Spot;
  /** A mapping's keys: [key, the key's spot, its value's spot, value written as an integral float, the value's Placed]. */
  keys: [string, Spot, Spot, boolean, number][];
  /** A list's items: [the item's spot, written as an integral float, the item's Placed]. */
  items: [Spot, boolean, number][];
}

export interface ParsedEntry {
  value: unknown;
  /** The root's first (when the value is a mapping or list); empty otherwise. */
  placed: Placed[];
}

const HEADER = 'tsrun-parsed 1';
/** Entries kept per identity before the older half is removed. */
export const MAX_ENTRIES = 1000;

let active: ParseCacheConfig | undefined;
/** Entries this process has found in (or added to) the identity's directory, once counted. */
let counted: number | undefined;

export function useParseCache(config: ParseCacheConfig | undefined): void {
  active = config;
  counted = undefined;
}

export function parseCacheConfig(): ParseCacheConfig | undefined {
  return active;
}

/** TSRUN_CACHE_DIR, else $XDG_CACHE_HOME/tsrun, else ~/.cache/tsrun; TSRUN_CACHE_DIR set to empty means none. */
export function cacheDirFrom(env: NodeJS.ProcessEnv): string | undefined {
  if (env.TSRUN_CACHE_DIR !== undefined) return env.TSRUN_CACHE_DIR || undefined;
  const base = env.XDG_CACHE_HOME || (env.HOME ? join(env.HOME, '.cache') : undefined);
  return base ? join(base, 'tsrun') : undefined;
}

const digest = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** Text that may be kept: no vault content, whose decrypted form would be written to disk. */
export function keepable(text: string): boolean {
  return !text.includes('$ANSIBLE_VAULT') && !text.includes('!vault');
}

/** Null, booleans, numbers, strings, and plain objects and arrays of them: what v8.deserialize gives back exactly. */
export function plainData(value: unknown, seen = new Set<object>()): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'function' && typeof value !== 'symbol' && typeof value !== 'bigint';
  if (seen.has(value)) return true;
  seen.add(value);
  const proto = Object.getPrototypeOf(value);
  if (proto === Array.prototype) return (value as unknown[]).every((v) => plainData(v, seen));
  if (proto !== Object.prototype) return false;
  return Object.values(value).every((v) => plainData(v, seen));
}

function identityDir(config: ParseCacheConfig): { parent: string; dir: string } {
  const parent = join(config.dir, 'parsed');
  return { parent, dir: join(parent, digest(config.identity).slice(0, 32)) };
}

/** Directories this process has checked, and whether their entries can be trusted. */
const checked = new Map<string, boolean>();

/**
 * An entry is run as the playbook it stands for, so it is read only from a directory that no
 * other user can write to (as OpenSSH treats ~/.ssh): owned by this user, not group- or
 * world-writable. TSRUN_CACHE_DIR may point anywhere, /tmp included.
 */
export function trustedDir(dir: string): boolean {
  let verdict = checked.get(dir);
  if (verdict === undefined) {
    try {
      const st = statSync(dir);
      verdict = st.isDirectory() && (st.mode & 0o022) === 0 && (process.getuid === undefined || st.uid === process.getuid());
    } catch {
      return false;
    }
    checked.set(dir, verdict);
  }
  return verdict;
}

/** The entry for `text`, if one was kept by this identity and is whole. */
export function readParsed(text: string, config: ParseCacheConfig | undefined = active): ParsedEntry | undefined {
  if (!config || !keepable(text)) return undefined;
  const { dir } = identityDir(config);
  if (!trustedDir(dir)) return undefined;
  const found = readChecked(join(dir, digest(text)));
  if (typeof found === 'string' || found.header !== HEADER) return undefined;
  try {
    const entry = deserialize(found.payload) as ParsedEntry;
    return Array.isArray(entry?.placed) ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps `entry` as the parse of `text` (written whole or not at all); false if it was not kept. */
export function writeParsed(text: string, entry: ParsedEntry, config: ParseCacheConfig | undefined = active): boolean {
  if (!config || !keepable(text) || !plainData(entry.value)) return false;
  const { parent, dir } = identityDir(config);
  try {
    const created = mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined;
    // A new identity is a new build of tsrun: what older builds kept can never be read again.
    if (created) for (const other of readdirSync(parent)) if (join(parent, other) !== dir) rmSync(join(parent, other), { recursive: true, force: true });
    if (!trustedDir(dir) || !writeChecked(join(dir, digest(text)), HEADER, serialize(entry), 0o600)) return false;
    counted = counted === undefined ? readdirSync(dir).length : counted + 1;
    if (counted > MAX_ENTRIES) counted = pruneOldest(dir);
    return true;
  } catch {
    return false;
  }
}

/** Removes the older half of the entries (by when they were written); returns how many are left. */
function pruneOldest(dir: string): number {
  const entries = readdirSync(dir).flatMap((name) => {
    try {
      return [{ name, mtime: statSync(join(dir, name)).mtimeMs }];
    } catch {
      return [];
    }
  });
  entries.sort((a, b) => a.mtime - b.mtime);
  const drop = entries.slice(0, Math.floor(entries.length / 2));
  for (const e of drop) rmSync(join(dir, e.name), { force: true });
  return entries.length - drop.length;
}
