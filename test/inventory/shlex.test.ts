import { describe, expect, it } from 'vitest';
import { shlexSplit, ShlexError } from '../../src/inventory/shlex.js';

describe('shlexSplit (Python shlex.split with comments)', () => {
  it('splits on whitespace', () => {
    expect(shlexSplit('h1  a=1\tb=2 ')).toEqual(['h1', 'a=1', 'b=2']);
  });
  it('removes quotes and keeps quoted spaces', () => {
    expect(shlexSplit(`h a="x y" b='c d' e=ab"c d"ef`)).toEqual(['h', 'a=x y', 'b=c d', 'e=abc def']);
  });
  it('treats # as a comment even in the middle of a word', () => {
    expect(shlexSplit('h a=1 # c')).toEqual(['h', 'a=1']);
    expect(shlexSplit('h a=1#c')).toEqual(['h', 'a=1']);
    expect(shlexSplit('h a="1#c"')).toEqual(['h', 'a=1#c']);
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
  it('rejects a trailing backslash', () => {
    expect(() => shlexSplit('h a\\')).toThrow(/No escaped character/);
  });
});
