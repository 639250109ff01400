import { describe, expect, test } from 'vitest';
import { pyExpand, pyRegex, pySubn } from '../../../src/modules/lib/file-pyregex.js';

describe('pyRegex: Python patterns in JS', () => {
  const cases: [string, string, boolean, { multiline?: boolean }?][] = [
    ['^foo$', 'foo\n', true], // Python $ matches before a final newline
    ['^foo$', 'foo\nbar', false],
    ['foo$', 'foo\nbar', true, { multiline: true }],
    ['^bar', 'foo\nbar', true, { multiline: true }],
    ['^bar', 'foo\rbar', false, { multiline: true }], // only \n separates lines in Python
    ['(?P<word>ab)(?P=word)', 'abab', true],
    ['(?i)HELLO', 'hello', true],
    ['\\Afoo', 'x\nfoo', false, { multiline: true }],
    ['foo\\Z', 'foo\n', false],
    ['[]a]', ']', true],
    ['[^]a]', 'b', true],
    ['a{2}', 'aa', true],
    ['\\d+', 'port 22', true],
  ];
  test.each(cases)('%s on %j → %s', (pat, text, want, opts) => {
    expect(pyRegex(pat, opts).test(text)).toBe(want);
  });
  test('invalid pattern gives a clear ArgError', () => {
    expect(() => pyRegex('(unclosed')).toThrow(/invalid regular expression \(unclosed/);
  });
});

describe('pyExpand / pySubn: Python replacement templates', () => {
  const m = /(?<key>\w+)=(\w+)/.exec('a=1')!;
  test.each([
    ['\\1:\\2', 'a:1'],
    ['\\g<key>-\\g<2>', 'a-1'],
    ['x\\ny', 'x\ny'],
    ['$1 \\\\', '$1 \\'],
    ['\\g<0>!', 'a=1!'],
  ])('%j → %j', (tpl, want) => expect(pyExpand(tpl, m)).toBe(want));
  test('unmatched group expands to empty', () => {
    expect(pyExpand('[\\2]', /(a)(b)?/.exec('a')!)).toBe('[]');
  });
  test('subn counts and handles empty matches like Python', () => {
    expect(pySubn(pyRegex('x*', { global: true }), '-', 'abc')).toEqual({ text: '-a-b-c-', count: 4 });
    expect(pySubn(pyRegex('^#(.*)$', { multiline: true, global: true }), '\\1', '#a\nb\n#c\n')).toEqual({ text: 'a\nb\nc\n', count: 2 });
  });
});
