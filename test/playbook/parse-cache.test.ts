import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheDirFrom, MAX_ENTRIES, readParsed, useParseCache, writeParsed, type ParseCacheConfig } from '../../src/playbook/parse-cache.js';
import { keyPos, parseYamlWithPositions, posOf, valuePos } from '../../src/playbook/source.js';
import { isFloatLiteral } from '../../src/yaml/float-marks.js';
import { ReadBudgetExceeded, withLoadBudget } from '../../src/playbook/load-budget.js';
import { holdLoaderWarnings } from '../../src/util/warnings.js';
import { setKeyring, Keyring } from '../../src/vault/keyring.js';

let root: string;
let config: ParseCacheConfig;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tsrun-parse-cache-'));
  config = { dir: join(root, 'cache'), identity: 'build A' };
  useParseCache(config);
});

afterEach(() => {
  useParseCache(undefined);
  rmSync(root, { recursive: true, force: true });
});

/** Every entry file kept, under any identity. */
function entries(): string[] {
  const parsed = join(config.dir, 'parsed');
  try {
    return readdirSync(parsed).flatMap((id) => readdirSync(join(parsed, id)).map((f) => join(parsed, id, f)));
  } catch {
    return [];
  }
}

/** What the loader can ask of a parsed value: each container's position, each key's and value's, float marks. */
function positions(value: unknown, path = '$', out: string[] = [], seen = new Set<object>()): string[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return out;
  seen.add(value);
  const fb = { file: '<none>' };
  out.push(`${path} ${JSON.stringify(posOf(value, fb))}`);
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push(`${path}[${i}] item ${JSON.stringify(valuePos(value, i, fb))} float=${isFloatLiteral(value, i)}`);
      positions(item, `${path}[${i}]`, out, seen);
    });
  } else {
    for (const [k, v] of Object.entries(value)) {
      out.push(`${path}.${k} key ${JSON.stringify(keyPos(value, k, fb))} value ${JSON.stringify(valuePos(value, k, fb))} float=${isFloatLiteral(value, k)}`);
      positions(v, `${path}.${k}`, out, seen);
    }
  }
  return out;
}

const RICH = `# a comment
- name: first play
  hosts: all
  vars:
    base: &base
      port: 8080
      ratio: 1.0
      list: [1, 2.0, "three", 'four', null, yes, off]
    derived:
      <<: *base
      port: 9090
    empty:
    __proto__: {polluted: 1}
    text: |
      two
      lines
    unicode: "caf\\u00e9 ✓"
    same: *base
  tasks:
    - name: t1
      command: echo "{{ x }}"
    - debug: msg={{ y }}
      when: z is defined
    - !unsafe '{{ raw }}'
- import_playbook: other.yml
`;

describe('parse cache', () => {
  it('reads back the same value and the same positions as a parse', () => {
    const first = parseYamlWithPositions(RICH, '/srv/p.yml');
    expect(entries()).toHaveLength(1);
    const fresh = positions(first);
    const second = parseYamlWithPositions(RICH, '/srv/p.yml');
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    expect(positions(second)).toEqual(fresh);
    // The positions are real ones, floats are marked, the alias is one object, nothing leaked into Object.prototype.
    const vars = (second as { vars: Record<string, unknown> }[])[0].vars;
    expect(valuePos(vars, 'text')).toEqual({ file: '/srv/p.yml', line: 14, column: 11 });
    expect(isFloatLiteral(vars.base, 'ratio')).toBe(true);
    expect(isFloatLiteral((vars.base as { list: unknown[] }).list, 1)).toBe(true);
    expect(vars.same).toBe(vars.base);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(vars)).toContain('__proto__');
  });

  it('names the file as this run sees it, not as the run that kept the entry did', () => {
    parseYamlWithPositions(RICH, '/srv/p.yml');
    const again = parseYamlWithPositions(RICH, '/elsewhere/q.yml') as unknown[];
    expect(posOf(again[0], { file: '?' })).toEqual({ file: '/elsewhere/q.yml', line: 2, column: 3 });
  });

  it('gives back the value as parsed, whatever the caller did to the first one', () => {
    const first = parseYamlWithPositions('a: [1, 2]\n', '/p.yml') as { a: number[] };
    first.a.push(3);
    expect(parseYamlWithPositions('a: [1, 2]\n', '/p.yml')).toEqual({ a: [1, 2] });
  });

  it('keeps scalar documents and empty ones', () => {
    expect(parseYamlWithPositions('just text\n', '/p.yml')).toBe('just text');
    expect(parseYamlWithPositions('just text\n', '/p.yml')).toBe('just text');
    expect(parseYamlWithPositions('', '/p.yml')).toBeNull();
    expect(parseYamlWithPositions('', '/p.yml')).toBeNull();
    expect(entries()).toHaveLength(2);
  });

  it('keeps no file that warns: the warning is given on every run', () => {
    const text = 'a: 1\na: 2\n';
    for (let i = 0; i < 2; i++) {
      const { value, warnings } = holdLoaderWarnings(() => parseYamlWithPositions(text, '/p.yml'));
      expect(value).toEqual({ a: 2 });
      expect(warnings).toEqual([expect.stringContaining('found a duplicate dict key (a)')]);
    }
    expect(entries()).toHaveLength(0);
  });

  it('keeps nothing of a file with vault content, so no decrypted secret reaches the disk', () => {
    const keys = new Keyring([{ id: 'default', password: Buffer.from('pw') }]);
    setKeyring(keys);
    const inline = keys.encrypt(Buffer.from('hunter2'));
    const files = [keys.encrypt(Buffer.from('secret: hunter2\n')), `secret: !vault |\n  ${inline.trimEnd().split('\n').join('\n  ')}\n`];
    for (const text of files) {
      for (let i = 0; i < 2; i++) expect(parseYamlWithPositions(text, '/v.yml')).toEqual({ secret: 'hunter2' });
      expect(readParsed(text)).toBeUndefined();
    }
    expect(entries()).toHaveLength(0);
    setKeyring(new Keyring());
  });

  it('keeps only plain data: binary, sets and ordered maps are parsed each time', () => {
    for (const text of ['b: !!binary aGVsbG8=\n', 's: !!set {a, b}\n', 'o: !!omap [a: 1]\n']) {
      parseYamlWithPositions(text, '/p.yml');
      expect(writeParsed(text, { value: parseYamlWithPositions(text, '/p.yml'), placed: [] })).toBe(false);
    }
    expect(entries()).toHaveLength(0);
  });

  it('reads nothing kept by other code, and a new identity clears what older ones kept', () => {
    parseYamlWithPositions('a: 1\n', '/p.yml');
    expect(readParsed('a: 1\n', { ...config, identity: 'build B' })).toBeUndefined();
    useParseCache({ ...config, identity: 'build B' });
    parseYamlWithPositions('a: 1\n', '/p.yml');
    const ids = readdirSync(join(config.dir, 'parsed'));
    expect(ids).toHaveLength(1);
    expect(readParsed('a: 1\n', config)).toBeUndefined();
    expect(readParsed('a: 1\n')).toBeDefined();
  });

  it('parses again, and keeps anew, when an entry is damaged or foreign', () => {
    const text = 'key: value\nlist: [1, 2]\n';
    parseYamlWithPositions(text, '/p.yml');
    const [file] = entries();
    const whole = readFileSync(file);
    const damaged = [whole.subarray(0, whole.length - 3), Buffer.concat([whole.subarray(0, whole.length - 1), Buffer.from([whole[whole.length - 1] ^ 1])]), Buffer.from('not an entry'), Buffer.alloc(0)];
    for (const bytes of damaged) {
      writeFileSync(file, bytes);
      expect(readParsed(text)).toBeUndefined();
      const value = parseYamlWithPositions(text, '/p.yml');
      expect(value).toEqual({ key: 'value', list: [1, 2] });
      expect(valuePos(value, 'list')).toEqual({ file: '/p.yml', line: 2, column: 7 });
      expect(readFileSync(file)).toEqual(whole);
    }
  });

  it('parses as usual where the cache cannot be written', () => {
    writeFileSync(join(root, 'a-file'), '');
    useParseCache({ dir: join(root, 'a-file'), identity: 'x' });
    expect(parseYamlWithPositions('a: 1\n', '/p.yml')).toEqual({ a: 1 });
    expect(parseYamlWithPositions('a: 1\n', '/p.yml')).toEqual({ a: 1 });
  });

  it('refuses bad YAML every time, with its position, and keeps nothing of it', () => {
    for (let i = 0; i < 2; i++) expect(() => parseYamlWithPositions('a: [1,\n', '/bad.yml')).toThrow(/bad\.yml:\d+:\d+|YAML syntax error/);
    expect(entries()).toHaveLength(0);
  });

  it('removes the older half once an identity holds more than MAX_ENTRIES', () => {
    const dir = join(config.dir, 'parsed');
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i <= MAX_ENTRIES; i++) writeParsed(`n: ${i}\n`, { value: { n: i }, placed: [] });
    const left = entries().length;
    expect(left).toBeGreaterThan(MAX_ENTRIES / 2 - 2);
    expect(left).toBeLessThanOrEqual(MAX_ENTRIES / 2 + 1);
    expect(readParsed(`n: ${MAX_ENTRIES}\n`)).toBeDefined();
  });

  it('charges a read-back parse to the load budget, so a file too large for the main thread still goes to the worker', () => {
    const text = `${Array.from({ length: 200 }, (_, i) => `k${i}: [${i}, x]`).join('\n')}\n`;
    parseYamlWithPositions(text, '/p.yml');
    expect(readParsed(text)).toBeDefined();
    expect(() => withLoadBudget({ tokens: 100, bytes: 1e9 }, () => parseYamlWithPositions(text, '/p.yml'))).toThrow(ReadBudgetExceeded);
    expect(withLoadBudget({ tokens: 10_000, bytes: 1e9 }, () => parseYamlWithPositions(text, '/p.yml'))).toMatchObject({ k0: [0, 'x'], k199: [199, 'x'] });
  });

  it('reads and writes nothing in a directory another user could write to', () => {
    const text = 'a: 1\n';
    parseYamlWithPositions(text, '/p.yml');
    const [file] = entries();
    const dir = join(file!, '..');
    chmodSync(dir, 0o777);
    // What a test process has already checked it trusts for its life: a new directory name stands for a new process.
    const shared = join(root, 'shared');
    mkdirSync(join(shared, 'parsed'), { recursive: true });
    cpSync(join(config.dir, 'parsed'), join(shared, 'parsed'), { recursive: true });
    useParseCache({ ...config, dir: shared });
    expect(readParsed(text)).toBeUndefined();
    expect(writeParsed('b: 2\n', { value: { b: 2 }, placed: [] })).toBe(false);
    expect(parseYamlWithPositions(text, '/p.yml')).toEqual({ a: 1 });
    chmodSync(join(shared, 'parsed', readdirSync(join(shared, 'parsed'))[0]!), 0o700);
    const fresh = join(root, 'fresh');
    cpSync(join(shared, 'parsed'), join(fresh, 'parsed'), { recursive: true });
    useParseCache({ ...config, dir: fresh });
    expect(readParsed(text)).toBeDefined();
  });

  it('is off without a configuration', () => {
    useParseCache(undefined);
    parseYamlWithPositions('a: 1\n', '/p.yml');
    expect(entries()).toHaveLength(0);
  });
});

describe('cacheDirFrom', () => {
  it('takes TSRUN_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache; empty turns it off', () => {
    expect(cacheDirFrom({ TSRUN_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/c');
    expect(cacheDirFrom({ TSRUN_CACHE_DIR: '', HOME: '/h' })).toBeUndefined();
    expect(cacheDirFrom({ XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/x/tsrun');
    expect(cacheDirFrom({ XDG_CACHE_HOME: '', HOME: '/h' })).toBe('/h/.cache/tsrun');
    expect(cacheDirFrom({})).toBeUndefined();
  });
});
