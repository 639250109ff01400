import { describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { PyRegexError, pyExpand, pyRegex, pySubn } from '../../src/util/pyregex.js';

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
  test('translates named groups, \\Z, inline flags and ignorecase', () => {
    expect(pyRegex('(?P<v>\\d+)\\Z').exec('ab12')?.groups?.v).toBe('12');
    expect(pyRegex('abc', { ignorecase: true }).test('ABC')).toBe(true);
    expect(pyRegex('a.b', { dotall: true }).test('a\nb')).toBe(true);
  });
  test('invalid pattern gives a clear PyRegexError', () => {
    expect(() => pyRegex('(unclosed')).toThrow(PyRegexError);
    expect(() => pyRegex('(unclosed')).toThrow(/invalid regular expression \(unclosed/);
    expect(() => pyRegex('(?x)a b')).toThrow(/\(\?x\) is not supported/);
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
  test('bad group references fail as in Python', () => {
    expect(() => pyExpand('\\3', m)).toThrow(/invalid group reference 3/);
    expect(() => pyExpand('\\g<nope>', m)).toThrow(/unknown group name 'nope'/);
  });
  test('subn honours count', () => {
    expect(pySubn(pyRegex('a'), 'b', 'aaa', 2)).toEqual({ text: 'bba', count: 2 });
  });
  test('subn counts and handles empty matches like Python', () => {
    expect(pySubn(pyRegex('x*', { global: true }), '-', 'abc')).toEqual({ text: '-a-b-c-', count: 4 });
    expect(pySubn(pyRegex('^#(.*)$', { multiline: true, global: true }), '\\1', '#a\nb\n#c\n')).toEqual({ text: 'a\nb\nc\n', count: 2 });
  });
});

describe('pyRegex / pySubn agree with Python re', () => {
  // [pattern, replacement, text, multiline, ignorecase]
  const cases: Array<[string, string, string, boolean, boolean]> = [
    ['^(\\w+)$', '<\\1>', 'ab\ncd\n', true, false],
    ['^(\\w+)$', '<\\1>', 'ab\ncd\n', false, false],
    ['^x', 'y', 'a\rx\nx', true, false],
    ['(?P<k>\\w+)=(?P<v>\\w*)', '\\g<v>=\\g<k>\\0', 'a=1 b=', false, false],
    ['[]x]+', '_', 'a]]x', false, false],
    ['HELLO$', 'bye', 'hello\n', false, true],
  ];
  const python = JSON.parse(
    execFileSync('python3', ['-c', 'import json,re,sys\nprint(json.dumps([re.subn(p, r, t, flags=(re.M if m else 0)|(re.I if i else 0)) for p,r,t,m,i in json.load(sys.stdin)]))'], {
      input: JSON.stringify(cases),
      encoding: 'utf8',
    }),
  ) as Array<[string, number]>;
  cases.forEach(([pat, repl, text, multiline, ignorecase], i) =>
    test(`${pat} → ${repl} on ${JSON.stringify(text)}`, () => {
      const got = pySubn(pyRegex(pat, { multiline, ignorecase, global: true }), repl, text);
      expect([got.text, got.count]).toEqual(python[i]);
    }),
  );
});
