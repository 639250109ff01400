/**
 * Loads the CommonJS bundle (dist/cli/main.bundle.cjs, scripts/bundle.mjs) with V8's code cache:
 * compiling the 2.3 MB bundle (tsrun, its dependencies, ssh2), and then lazily each function a run calls, was most of the ~50 ms
 * the bundle took to load (Node 20 has no module.enableCompileCache). The cache lives beside the
 * bundle (`<bundle>.v8cache`); the build writes one, and a run that finds none it can use writes
 * one when it ends (best effort: a read-only install just runs without).
 *
 * A cache is used only when all of these hold, otherwise the bundle is compiled from source as
 * if there were none: the header names this format, this Node version and architecture and
 * the SHA-256 of the bundle's bytes (V8 itself compares only the source's length), the payload's
 * SHA-256 matches (a truncated or corrupted file), and V8 accepts it (its own version and
 * flag checks). So a stale or damaged cache costs a compile, never a wrong or failed run.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { readChecked, writeChecked } from '../util/checked-file.js';

const FORMAT = 'tsrun-v8-code-cache 1';

/**
 * V8's optimising compiler starts on a function after 4 times the default amount of work
 * (interrupt budget 66 KiB): in a short run most of what it compiled in the background was
 * never used long enough to pay (1 lab host, 100 `command: true` tasks, 9 interleaved runs:
 * 1.54 -> 1.15 ms of CPU a task; 300 tasks: 1.09 -> 0.93). Set before the bundle is compiled,
 * by the build as by every run: V8 accepts a code cache only under the flags it was made with.
 */
const V8_FLAGS = ['--interrupt-budget=270336'];

/**
 * Node's own modules every run loads, loaded before V8_FLAGS are set. Node compiles its modules
 * with a code cache built into it, which V8 also accepts only under the flags it was made with
 * (the default ones): the ~35 modules these bring in, compiled from source once the flags had
 * changed, cost 45 M instructions, 7 % of a 1-task run (callgrind). One missing here is only
 * compiled slower; `test/cli/code-cache.test.ts` runs a playbook and checks none is. stdout and
 * stderr are made here too: each loads the module for what it is (a terminal, a pipe, a file).
 */
export const EARLY_BUILTINS = ['net', 'child_process', 'os', 'fs/promises', 'worker_threads', 'perf_hooks', 'assert', 'dns', 'zlib', 'diagnostics_channel', 'process'];
const requireBuiltin = createRequire(import.meta.url);

/**
 * Who wrote a cache: the build (it covers loading the bundle), a run that ran no play (a syntax
 * check, a listing, another subcommand: also what that called), or a run that ran plays (also
 * connecting, executing, reporting), which covers the most.
 */
export type CacheOrigin = 'build' | 'partial' | 'run';

const COVERAGE: Record<CacheState, number> = { missing: 0, invalid: 0, rejected: 0, build: 1, partial: 2, run: 3 };

/**
 * Whether a run should write its cache over the one it found: when the new one covers more. The
 * first run after a build used to write the cache for good, so a first `--syntax-check` left
 * every later run compiling what runs plays from source (callgrind, one task: 568 -> 653 M
 * instructions).
 */
export function coversMore(origin: CacheOrigin, found: CacheState): boolean {
  return COVERAGE[origin] > COVERAGE[found];
}

export type CacheState = CacheOrigin | 'missing' | 'invalid' | 'rejected';

export interface LoadedBundle {
  exports: Record<string, unknown>;
  /** The cache used (who wrote it), or why none was. */
  cache: CacheState;
  /** This Node and this bundle (cacheKey): what caches of the bundle's own results are keyed by (playbook/parse-cache.ts). */
  identity: string;
  /** Writes the cache from what V8 has compiled so far (call it late: it then covers the functions the run used). */
  saveCache(origin: CacheOrigin): boolean;
}

export const cacheFileOf = (bundle: string): string => `${bundle}.v8cache`;

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** What a cache must be made for: this format, this Node, this bundle. */
export function cacheKey(bundleBytes: Buffer): string {
  return `${FORMAT} ${process.version} ${process.arch} ${sha256(bundleBytes)}`;
}

/** The payload of `file` (and who wrote it) if its header matches `key` and its digest its bytes. */
export function readCache(file: string, key: string): { payload: Buffer; origin: CacheOrigin } | 'missing' | 'invalid' {
  const found = readChecked(file);
  if (typeof found === 'string') return found;
  const m = /^(.*) (build|partial|run)$/.exec(found.header);
  if (!m || m[1] !== key) return 'invalid';
  return { payload: found.payload, origin: m[2] as CacheOrigin };
}

/** Writes header and payload whole (util/checked-file.ts). */
export function writeCache(file: string, key: string, origin: CacheOrigin, payload: Buffer): boolean {
  return writeChecked(file, `${key} ${origin}`, payload);
}

/** Runs the CommonJS file `bundle` as Node's loader would, compiled with its code cache if one fits. */
export function loadBundle(bundle: string): LoadedBundle {
  for (const name of EARLY_BUILTINS) requireBuiltin(name);
  void process.stdout;
  void process.stderr;
  for (const flag of V8_FLAGS) v8.setFlagsFromString(flag);
  const bytes = readFileSync(bundle);
  // esbuild writes ASCII (non-ASCII only in comments, if at all); latin1 makes that string without UTF-8 decoding.
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const key = cacheKey(bytes);
  const file = cacheFileOf(bundle);
  const found = readCache(file, key);
  const cachedData = typeof found === 'object' ? found.payload : undefined;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, {
    filename: bundle,
    cachedData,
    // The bundle's own `import()`s of files outside it go through Node's ES module loader, as in a module file.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const cache: CacheState = typeof found === 'string' ? found : script.cachedDataRejected ? 'rejected' : found.origin;
  const module = { exports: {} as Record<string, unknown> };
  const fn = script.runInThisContext() as (e: object, r: NodeRequire, m: object, f: string, d: string) => void;
  fn.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return { exports: module.exports, cache, identity: key, saveCache: (origin) => writeCache(file, key, origin, script.createCachedData()) };
}

