/**
 * The bundle's V8 code cache (src/cli/code-cache.ts): used only when it was made for exactly
 * these bytes of the bundle by this Node; a stale, truncated, corrupted or foreign cache is a
 * compile from source, never a wrong or failed load.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheFileOf, cacheKey, coversMore, EARLY_BUILTINS, loadBundle, readCache } from '../../src/cli/code-cache.js';
import { REPO, run, TSRUN } from '../support/runners.js';

const root = mkdtempSync(join(tmpdir(), 'tsrun-code-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A CommonJS bundle in a directory of its own; `answer` changes its result, not its length. */
function bundleDir(answer: number): { dir: string; file: string } {
  const dir = join(root, `b${n++}`);
  mkdirSync(dir);
  const file = join(dir, 'main.bundle.cjs');
  writeFileSync(file, bundleSource(answer));
  return { dir, file };
}

const bundleSource = (answer: number): string =>
  `"use strict";\nfunction helper(x) { return x * 2; }\nexports.answer = () => helper(${answer});\nexports.where = () => __filename;\nexports.os = () => import('node:os').then((m) => typeof m.cpus);\n`;

describe('the bundle code cache', () => {
  it('loads without a cache, then with the build\'s, then with a run\'s', async () => {
    const { file } = bundleDir(21);
    const first = loadBundle(file);
    expect(first.cache).toBe('missing');
    expect((first.exports.answer as () => number)()).toBe(42);
    expect((first.exports.where as () => string)()).toBe(file);
    await expect((first.exports.os as () => Promise<string>)()).resolves.toBe('function');
    expect(first.saveCache('build')).toBe(true);
    const second = loadBundle(file);
    expect(second.cache).toBe('build');
    expect((second.exports.answer as () => number)()).toBe(42);
    expect(second.saveCache('run')).toBe(true);
    expect(loadBundle(file).cache).toBe('run');
  });

  it('ignores a cache made for other bytes of the same length', () => {
    const { file } = bundleDir(21);
    loadBundle(file).saveCache('run');
    writeFileSync(file, bundleSource(12)); // same length: V8's own check would accept the cache
    const again = loadBundle(file);
    expect(again.cache).toBe('invalid');
    expect((again.exports.answer as () => number)()).toBe(24);
  });

  it('ignores a truncated, corrupted or foreign cache file', () => {
    const { file } = bundleDir(21);
    loadBundle(file).saveCache('run');
    const good = readFileSync(cacheFileOf(file));
    const damaged = [
      good.subarray(0, good.length - 7), // truncated
      Buffer.concat([good.subarray(0, good.length - 1), Buffer.from([good[good.length - 1]! ^ 1])]), // one bit
      Buffer.from('not a cache at all'),
      Buffer.concat([Buffer.from(good.toString('latin1').replace(/^tsrun-v8-code-cache 1 v\d+/, 'tsrun-v8-code-cache 1 v0'), 'latin1')]), // another Node
      Buffer.alloc(0),
    ];
    for (const bytes of damaged) {
      writeFileSync(cacheFileOf(file), bytes);
      const l = loadBundle(file);
      expect(l.cache).toBe('invalid');
      expect((l.exports.answer as () => number)()).toBe(42);
    }
  });

  it('compiles from source when V8 refuses a cache that passes the header checks', () => {
    // A source this process never compiled: V8 would otherwise take it from its in-memory cache.
    const { file } = bundleDir(33);
    const key = cacheKey(readFileSync(file));
    const payload = Buffer.alloc(4096, 0x5a); // not V8's data, but its digest is right
    writeFileSync(cacheFileOf(file), Buffer.concat([Buffer.from(`${key} run ${createHash('sha256').update(payload).digest('hex')}\n`), payload]));
    expect(readCache(cacheFileOf(file), key)).toMatchObject({ origin: 'run' });
    const l = loadBundle(file);
    expect(l.cache).toBe('rejected');
    expect((l.exports.answer as () => number)()).toBe(66);
  });

  it('runs without a cache where none can be written, leaving no temporary file', () => {
    const { dir, file } = bundleDir(21);
    mkdirSync(cacheFileOf(file)); // a directory where the cache would go: unreadable and unwritable as a file
    const l = loadBundle(file);
    expect(l.cache).toBe('missing');
    expect((l.exports.answer as () => number)()).toBe(42);
    expect(l.saveCache('run')).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['main.bundle.cjs', 'main.bundle.cjs.v8cache']);
  });
});

/**
 * Preloaded into a tsrun run: prints which of Node's own modules were loaded after V8's flags
 * first changed (those compile without Node's built-in code cache), or that they never did.
 */
const LATE_MODULES_PROBE = `
const v8 = require('node:v8');
const set = v8.setFlagsFromString;
let mark;
v8.setFlagsFromString = (flag) => { mark ??= process.moduleLoadList.length; return set(flag); };
process.on('exit', () => process.stderr.write('late modules: ' + (mark === undefined ? 'flags never set' :
  JSON.stringify(process.moduleLoadList.slice(mark).filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)))) + '\\n'));
`;

describe('which run writes the cache', () => {
  it('is the one that covers more than the cache it found: a run of plays, then one that ran none, then the build', () => {
    expect(coversMore('run', 'partial')).toBe(true);
    expect(coversMore('run', 'build')).toBe(true);
    expect(coversMore('partial', 'build')).toBe(true);
    expect(coversMore('build', 'missing')).toBe(true);
    for (const found of ['missing', 'invalid', 'rejected'] as const) expect(coversMore('partial', found)).toBe(true);
    expect(coversMore('run', 'run')).toBe(false);
    expect(coversMore('partial', 'run')).toBe(false);
    expect(coversMore('partial', 'partial')).toBe(false);
  });

  it('keeps a partial cache apart from a run\'s', () => {
    const { file } = bundleDir(21);
    expect(loadBundle(file).saveCache('partial')).toBe(true);
    expect(loadBundle(file).cache).toBe('partial');
  });

  it('through the CLI: a syntax check first leaves a partial cache, the first run of plays replaces it, a later check keeps it', async () => {
    // A copy of the built CLI, so this test's caches are its own.
    const dir = join(root, 'cli');
    mkdirSync(dir);
    for (const part of ['bin', 'dist', 'package.json']) cpSync(join(REPO, part), join(dir, part), { recursive: true, preserveTimestamps: true });
    symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
    const cacheFile = join(dir, 'dist', 'cli', 'main.bundle.cjs.v8cache');
    rmSync(cacheFile, { force: true });
    const origin = (): string => readFileSync(cacheFile).subarray(0, 200).toString('latin1').split('\n')[0]!.split(' ').at(-2)!;
    writeFileSync(join(dir, 'p.yml'), '- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n    - command: "true"\n');
    const bin = join(dir, 'bin', 'tsrun.js');
    const check = async () => expect((await run(bin, ['--syntax-check', 'p.yml'], { cwd: dir })).code).toBe(0);
    await check();
    expect(origin(), 'the bundle is built (npm run build)').toBe('partial');
    const play = await run(bin, ['p.yml'], { cwd: dir, env: { NO_COLOR: '1' } });
    expect(play.code, play.stdout + play.stderr).toBe(0);
    expect(origin()).toBe('run');
    await check();
    expect(origin()).toBe('run');
  });
});

describe("Node's own modules", () => {
  it('are all real builtins', () => {
    for (const name of EARLY_BUILTINS) expect(() => createRequire(import.meta.url)(`node:${name}`), name).not.toThrow();
  });

  it('that a run over SSH loads are loaded before the flags change', async () => {
    const dir = join(root, 'late');
    mkdirSync(dir);
    const probe = join(dir, 'probe.cjs');
    writeFileSync(probe, LATE_MODULES_PROBE);
    // Nothing listens on port 9 of the loopback: the connection is refused, after ssh2 and
    // everything a connection needs have loaded. The play ends unreachable (exit 4).
    writeFileSync(join(dir, 'inventory.ini'), '[all]\nh1 ansible_host=127.0.0.1 ansible_port=9\n');
    writeFileSync(join(dir, 'play.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n');
    const out = await run('node', ['--require', probe, TSRUN, '-i', 'inventory.ini', 'play.yml'], { cwd: dir, env: { NO_COLOR: '1' } });
    expect(out.stdout).toMatch(/unreachable=1/);
    expect(out.stderr).toContain('late modules: []');
  });
});
