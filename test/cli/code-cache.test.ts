/**
 * The bundle's V8 code cache (src/cli/code-cache.ts): used only when it was made for exactly
 * these bytes of the bundle by this Node; a stale, truncated, corrupted or foreign cache is a
 * compile from source, never a wrong or failed load.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheFileOf, cacheKey, loadBundle, readCache } from '../../src/cli/code-cache.js';

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
