import { describe, expect, test } from 'vitest';
import { applyBlock } from '../../../src/modules/lib/file-block.js';
import { B, blockBase as base, blockCases, replaceCases } from './cases.js';
import { applyReplace } from '../../../src/modules/lib/file-replace.js';

describe('blockinfile', () => {
  test.each(blockCases)('%s', (_n, before, over, after, msg) => {
    const r = applyBlock(before, { ...base, ...over });
    expect(r.content).toBe(after);
    expect(r.msg).toBe(msg);
    expect(r.changed).toBe(before !== after);
  });
  test('new file', () => {
    expect(applyBlock(undefined, base)).toEqual({ content: B, changed: true, msg: 'File created' });
  });
});

describe('replace', () => {
  test.each([
    ['simple', 'a1 b2\nc3\n', { regexp: '\\d', replace: '#' }, 'a# b#\nc#\n', '3 replacements made'],
    ['multiline anchors', 'x=1\ny=2\n', { regexp: '^(\\w)=', replace: '\\1: ' }, 'x: 1\ny: 2\n', '2 replacements made'],
    ['named groups', 'k=v\n', { regexp: '(?P<a>\\w)=(?P<b>\\w)', replace: '\\g<b>=\\g<a>' }, 'v=k\n', '1 replacements made'],
    ['after limits section', 'x\n[s]\nx\n', { regexp: 'x', replace: 'y', after: '\\[s\\]' }, 'x\n[s]\ny\n', '1 replacements made'],
    ['before limits section', 'x\n[s]\nx\n', { regexp: 'x', replace: 'y', before: '\\[s\\]' }, 'y\n[s]\nx\n', '1 replacements made'],
    ['after+before', 'x<a>x</a>x', { regexp: 'x', replace: 'y', after: '<a>', before: '</a>' }, 'x<a>y</a>x', '1 replacements made'],
    ['no match', 'abc', { regexp: 'z', replace: 'y' }, 'abc', ''],
    ['same replacement is unchanged', 'abc', { regexp: 'b', replace: 'b' }, 'abc', ''],
  ] as [string, string, { regexp: string; replace: string; after?: string; before?: string }, string, string][])('%s', (_n, before, spec, after, msg) => {
    const r = applyReplace(before, spec);
    expect(r.content).toBe(after);
    expect(r.msg).toBe(msg);
  });
  test('section pattern not found', () => {
    const r = applyReplace('abc', { regexp: 'a', replace: 'b', after: 'zzz' });
    expect(r.changed).toBe(false);
    expect(r.msg).toBe('Pattern for before/after params did not match the given file: zzz(?P<subsection>.*)');
  });
});
