import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loopItems } from '../../src/executor/loop.js';
import type { Task } from '../../src/playbook/types.js';
import { Scope } from '../../src/vars/scope.js';

/** A task's items for a literal loop value (nothing to template), files searched under `dir`. */
function expandLoop(kind: string, loop: unknown, dir: string): unknown[] {
  const task = { kind: 'task', action: 'debug', args: {}, loop, loopKind: kind } as unknown as Task;
  return loopItems(task, new Scope([{ name: 'test', values: {}, templated: false }]), [dir]).items;
}

describe('loopItems', () => {
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
    ['with_sequence', '2-6/2', ['2', '4', '6']],
    ['with_sequence', '7-8:host%02d', ['host07', 'host08']],
    ['with_sequence', '0x0a-0x0c:%x', ['a', 'b', 'c']],
    // Ansible takes the sub-list out of the element it pairs
    ['with_subelements', [[{ n: 'x', subs: [1, 2] }, { n: 'y', subs: [3] }], 'subs'], [[{ n: 'x' }, 1], [{ n: 'x' }, 2], [{ n: 'y' }, 3]]],
  ] as const)('%s %j', (kind, value, expected) => {
    expect(expandLoop(kind, value, '/')).toEqual(expected);
  });

  it('rejects a non-list for loop with the value shown', () => {
    expect(() => expandLoop('loop', 'abc', '/')).toThrow(/requires a list/);
    expect(() => expandLoop('with_dict', [1], '/')).toThrow(/expects a dict/);
    expect(() => expandLoop('with_indexed_items', { a: 1 }, '/')).toThrow(/^with_indexed_items expects a list$/);
    expect(() => expandLoop('with_together', [], '/')).toThrow(/^with_together requires at least one element in each list$/);
    expect(() => expandLoop('with_sequence', 'start=0 junk=3', '/')).toThrow("unrecognized arguments to with_sequence: ['junk']");
    expect(() => expandLoop('with_sequence', '1-B/2', '/')).toThrow("can't parse end=B as integer");
    expect(() => expandLoop('with_sequence', 'start=4 end=1 stride=2', '/')).toThrow('to count backwards make stride negative');
  });

  it('with_fileglob lists matching files of one directory, sorted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'glob-'));
    mkdirSync(join(dir, 'files'));
    for (const f of ['b.conf', 'a.conf', 'c.txt']) writeFileSync(join(dir, 'files', f), '');
    mkdirSync(join(dir, 'files', 'd.conf'));
    expect(expandLoop('with_fileglob', '*.conf', dir)).toEqual([join(dir, 'files', 'a.conf'), join(dir, 'files', 'b.conf')]);
  });
});
