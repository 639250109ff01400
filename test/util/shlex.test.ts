import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shlexSplit, ShlexError } from '../../src/util/shlex.js';

const C = { comments: true };

describe('shlexSplit (Python shlex.split)', () => {
  it('splits on whitespace', () => {
    expect(shlexSplit('h1  a=1\tb=2 ')).toEqual(['h1', 'a=1', 'b=2']);
  });
  it('removes quotes and keeps quoted spaces', () => {
    expect(shlexSplit(`h a="x y" b='c d' e=ab"c d"ef`)).toEqual(['h', 'a=x y', 'b=c d', 'e=abc def']);
  });
  it('treats # as a comment even in the middle of a word', () => {
    expect(shlexSplit('h a=1 # c', C)).toEqual(['h', 'a=1']);
    expect(shlexSplit('h a=1#c', C)).toEqual(['h', 'a=1']);
    expect(shlexSplit('h a="1#c"', C)).toEqual(['h', 'a=1#c']);
  });
  it('handles escapes like POSIX shlex', () => {
    expect(shlexSplit(String.raw`a\ b`)).toEqual(['a b']);
    expect(shlexSplit(String.raw`"a\"b" "c\\d" "e\nf"`)).toEqual(['a"b', 'c\\d', 'e\\nf']);
    expect(shlexSplit(String.raw`'a\nb'`)).toEqual(['a\\nb']);
  });
  it('keeps empty quoted tokens', () => {
    expect(shlexSplit(`a="" ''`)).toEqual(['a=', '']);
  });
  it('rejects an unclosed quote', () => {
    expect(() => shlexSplit('h a="x')).toThrow(ShlexError);
    expect(() => shlexSplit("h a='x")).toThrow(/No closing quotation/);
  });
  it('rejects a trailing backslash, also inside double quotes', () => {
    expect(() => shlexSplit('h a\\')).toThrow(/No escaped character/);
    expect(() => shlexSplit('h "a\\')).toThrow(/No escaped character/);
  });
  it('keeps # as text without comments', () => {
    expect(shlexSplit('echo a#b # c')).toEqual(['echo', 'a#b', '#', 'c']);
  });
});

describe('shlexSplit matches Python shlex.split', () => {
  const cases: Array<[string, boolean]> = [
    ['echo hi', false],
    [String.raw`a\ b "c\d\"e" 'x\y' f\\g`, false],
    ['  lead   trail  ', false],
    [`x"y z"w 'a''b' ""`, false],
    ['tab\there\nnewline', false],
    ['multi "line\nquoted"', false],
    ['-o "a\\$b" "c\\`d" e\\', false],
    ['h a=1#c d\nnext # x', true],
    ['# only', true],
    [`h a="1#c" b='#'`, true],
    ['a\vb\fc', false],
  ];
  const python = JSON.parse(
    execFileSync('python3', ['-c', 'import json,shlex,sys\nout=[]\nfor t,c in json.load(sys.stdin):\n  try: out.append(shlex.split(t, comments=c))\n  except ValueError as e: out.append(str(e))\nprint(json.dumps(out))'], {
      input: JSON.stringify(cases),
      encoding: 'utf8',
    }),
  ) as Array<string[] | string>;
  cases.forEach(([text, comments], i) =>
    it(`${JSON.stringify(text)}${comments ? ' (comments)' : ''}`, () => {
      const want = python[i];
      if (typeof want === 'string') expect(() => shlexSplit(text, { comments })).toThrow(want);
      else expect(shlexSplit(text, { comments })).toEqual(want);
    }),
  );
});
