import { describe, expect, it } from 'vitest';
import { iniValue, literalEval } from '../../src/inventory/python-literal.js';

describe('iniValue (ast.literal_eval or the raw text)', () => {
  it('types numbers', () => {
    expect(iniValue('42')).toBe(42);
    expect(iniValue('-5')).toBe(-5);
    expect(iniValue('+3')).toBe(3);
    expect(iniValue('1.5')).toBe(1.5);
    expect(iniValue('.5')).toBe(0.5);
    expect(iniValue('1e3')).toBe(1000);
    expect(iniValue('0x10')).toBe(16);
    expect(iniValue('0o17')).toBe(15);
    expect(iniValue('0b101')).toBe(5);
    expect(iniValue('1_000')).toBe(1000);
  });
  it('keeps Python-invalid numbers as strings', () => {
    expect(iniValue('010')).toBe('010');
    expect(iniValue('1abc')).toBe('1abc');
    expect(iniValue('1.2.3')).toBe('1.2.3');
  });
  it('types True/False/None but not true/yes', () => {
    expect(iniValue('True')).toBe(true);
    expect(iniValue('False')).toBe(false);
    expect(iniValue('None')).toBe(null);
    expect(iniValue('true')).toBe('true');
    expect(iniValue('yes')).toBe('yes');
  });
  it('unquotes string literals with escapes and concatenation', () => {
    expect(iniValue(`'a b'`)).toBe('a b');
    expect(iniValue(`"it's"`)).toBe("it's");
    expect(iniValue(String.raw`'tab\there'`)).toBe('tab\there');
    expect(iniValue(String.raw`r'raw\n'`)).toBe('raw\\n');
    expect(iniValue(`'a' 'b'`)).toBe('ab');
    expect(iniValue(`u'x'`)).toBe('x');
  });
  it('parses containers', () => {
    expect(iniValue(`[1, 'a', None]`)).toEqual([1, 'a', null]);
    expect(iniValue(`{'k': [True, {'n': 2}], 1: 'one'}`)).toEqual({ k: [true, { n: 2 }], 1: 'one' });
    expect(iniValue('(1, 2)')).toEqual([1, 2]);
    expect(iniValue('(1,)')).toEqual([1]);
    expect(iniValue('(1)')).toBe(1);
    expect(iniValue('[]')).toEqual([]);
    expect(iniValue('{}')).toEqual({});
    expect(iniValue('[1, 2,]')).toEqual([1, 2]);
  });
  it('leaves non-literals as text', () => {
    expect(iniValue('hello')).toBe('hello');
    expect(iniValue('{k:1}')).toBe('{k:1}');
    expect(iniValue('[1,')).toBe('[1,');
    expect(iniValue('a=b')).toBe('a=b');
    expect(iniValue('hello # c')).toBe('hello # c');
    expect(iniValue('')).toBe('');
    expect(iniValue('1 + 2')).toBe('1 + 2');
  });
  it('ignores a trailing Python comment and leading blanks', () => {
    expect(iniValue('1 # c')).toBe(1);
    expect(iniValue('  7')).toBe(7);
  });
  it('reports failure distinctly from a falsy literal', () => {
    expect(literalEval('None')).toEqual({ ok: true, value: null });
    expect(literalEval('nope')).toEqual({ ok: false });
  });
});
