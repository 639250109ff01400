import { existsSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonFileCache } from '../../src/vars/fact-cache.js';

const dir = () => join(mkdtempSync(join(tmpdir(), 'tsrun-fact-cache-')), 'cache');

describe('jsonfile fact cache', () => {
  it('writes one file per host (prefix + name), creating the directory, leaving no temporary file', () => {
    const d = dir();
    const c = new JsonFileCache(d, 'p_', 86400);
    c.save('web1', { b: 1, a: { d: [1], c: 'x' } });
    expect(readdirSync(d)).toEqual(['p_web1']);
    expect(c.load('web1')).toEqual({ a: { c: 'x', d: [1] }, b: 1 });
    c.remove('web1');
    expect(readdirSync(d)).toEqual([]);
    expect(c.load('web1')).toBeUndefined();
  });

  it('forgets a file older than the timeout; timeout 0 never expires', () => {
    const d = dir();
    new JsonFileCache(d, '', 60).save('h', { k: 1 });
    const old = new Date(Date.now() - 3600_000);
    utimesSync(join(d, 'h'), old, old);
    expect(new JsonFileCache(d, '', 60).load('h')).toBeUndefined();
    expect(new JsonFileCache(d, '', 0).load('h')).toEqual({ k: 1 });
  });

  it('a corrupt file is removed and the run fails, naming it', () => {
    const d = dir();
    new JsonFileCache(d, '', 0).save('h', {});
    writeFileSync(join(d, 'h'), '{not json');
    expect(() => new JsonFileCache(d, '', 0).load('h')).toThrow(`The cache file ${join(d, 'h')} was corrupt`);
    expect(existsSync(join(d, 'h'))).toBe(false);
  });
});
