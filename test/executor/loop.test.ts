import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandLoop } from '../../src/executor/loop.js';

describe('expandLoop', () => {
  it.each([
    ['loop', [1, [2, 3]], [1, [2, 3]]],
    ['with_items', [1, [2, 3], 4], [1, 2, 3, 4]],
    ['with_items', 'single', ['single']],
    ['with_list', [[1, 2], 3], [[1, 2], 3]],
    ['with_flattened', [1, [2, [3, [4]]]], [1, 2, 3, 4]],
    ['with_indexed_items', ['a', 'b'], [[0, 'a'], [1, 'b']]],
    ['with_dict', { a: 1, b: 2 }, [{ key: 'a', value: 1 }, { key: 'b', value: 2 }]],
    ['with_together', [[1, 2, 3], ['a', 'b']], [[1, 'a'], [2, 'b'], [3, null]]],
    ['with_nested', [[1, 2], ['a', 'b']], [[1, 'a'], [1, 'b'], [2, 'a'], [2, 'b']]],
    ['with_sequence', 'start=1 end=3', ['1', '2', '3']],
    ['with_sequence', 'start=0 end=10 stride=5 format=web%02d', ['web00', 'web05', 'web10']],
    ['with_sequence', 'count=3', ['1', '2', '3']],
    ['with_sequence', '4-6', ['4', '5', '6']],
    ['with_subelements', [[{ n: 'x', subs: [1, 2] }, { n: 'y', subs: [3] }], 'subs'], [[{ n: 'x', subs: [1, 2] }, 1], [{ n: 'x', subs: [1, 2] }, 2], [{ n: 'y', subs: [3] }, 3]]],
  ] as const)('%s %j', (kind, value, expected) => {
    expect(expandLoop(kind, value, '/')).toEqual(expected);
  });

  it('rejects a non-list for loop with the value shown', () => {
    expect(() => expandLoop('loop', 'abc', '/')).toThrow(/requires a list/);
    expect(() => expandLoop('with_dict', [1], '/')).toThrow(/expects a dict/);
  });

  it('with_fileglob lists matching files of one directory, sorted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'glob-'));
    mkdirSync(join(dir, 'files'));
    for (const f of ['b.conf', 'a.conf', 'c.txt']) writeFileSync(join(dir, 'files', f), '');
    mkdirSync(join(dir, 'files', 'd.conf'));
    expect(expandLoop('with_fileglob', '*.conf', dir)).toEqual([join(dir, 'files', 'a.conf'), join(dir, 'files', 'b.conf')]);
  });
});
