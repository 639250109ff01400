import { describe, expect, it } from 'vitest';
import { lex } from '../../src/template/lexer.js';
import { lexTemplate } from '../../src/template/jinja-lexer.js';
import { parseExpression } from '../../src/template/parser.js';
import { parseTemplate } from '../../src/template/jinja-parser.js';
import { TemplateError } from '../../src/template/errors.js';

const kinds = (text: string) => lex(text).tokens.map((t) => `${t.type}:${t.value}`);

describe('lexer', () => {
  it('tokenizes names, numbers, strings and operators', () => {
    expect(kinds("a.b[0] // 2 ** 'x\\n' ~ 1.5e3")).toEqual([
      'name:a', 'op:.', 'name:b', 'op:[', 'int:0', 'op:]', 'op://', 'int:2', 'op:**', 'string:x\n', 'op:~', 'float:1.5e3', 'eof:',
    ]);
  });

  it('reads foo.0.1 as integer subscripts, not a float', () => {
    expect(kinds('foo.0.1')).toEqual(['name:foo', 'op:.', 'int:0', 'op:.', 'int:1', 'eof:']);
  });

  it('rejects unterminated strings and unbalanced brackets', () => {
    expect(() => lex("'abc")).toThrow(TemplateError);
    expect(() => lex('a)')).toThrow(/unexpected '\)'/);
  });

  it('does not end a {{ }} block on braces that close a dict', () => {
    const segs = lexTemplate("{{ {'a': {'b': 1}} }}x");
    expect(segs.map((s) => s.kind)).toEqual(['expr', 'data']);
  });

  it('drops comments, applies -%} / {%- and trim_blocks', () => {
    const segs = lexTemplate('a  {#- c -#}  b {%- if x -%}\n  c\n{% endif %}\nd');
    expect(segs.filter((s) => s.kind === 'data').map((s) => (s as { text: string }).text).join('|')).toBe('a|b|c\n|d');
  });

  it('keeps backslashes literal in {{ }} strings of YAML-sourced templates', () => {
    const segs = lexTemplate("{{ '\\d' }}{% set x = '\\t' %}", { rawStrings: true });
    const expr = segs[0] as { tokens: { value: string }[] };
    const stmt = segs[1] as { tokens: { value: string }[] };
    expect(expr.tokens[0].value).toBe('\\d');
    expect(stmt.tokens[3].value).toBe('\t');
  });
});

describe('parser', () => {
  it('follows Jinja precedence: filters bind tighter than unary minus and math', () => {
    expect(parseExpression('-1 | abs')).toMatchObject({ t: 'filter', name: 'abs', node: { t: 'unary', op: '-' } });
    expect(parseExpression('1 + 2 * 3')).toMatchObject({ t: 'binary', op: '+', right: { t: 'binary', op: '*' } });
    expect(parseExpression('a ~ b + c')).toMatchObject({ t: 'binary', op: '+' });
    expect(parseExpression('not a and b')).toMatchObject({ t: 'binary', op: 'and', left: { t: 'unary', op: 'not' } });
  });

  it('parses chained comparisons, not in, tests with bare arguments', () => {
    expect(parseExpression('1 < x <= 3')).toMatchObject({ t: 'compare', ops: [['<', {}], ['<=', {}]] });
    expect(parseExpression('a not in b')).toMatchObject({ t: 'compare', ops: [['notin', {}]] });
    expect(parseExpression('x is not divisibleby 3')).toMatchObject({ t: 'test', name: 'divisibleby', negate: true, args: [{ t: 'const', value: 3 }] });
    expect(parseExpression('x is defined and y')).toMatchObject({ t: 'binary', op: 'and', left: { t: 'test', args: [] } });
  });

  it('parses literals, calls with kwargs, slices and conditional expressions', () => {
    expect(parseExpression("{'a': [1, (2,)], 'b': none}")).toMatchObject({ t: 'dict' });
    expect(parseExpression("x | map(attribute='name')")).toMatchObject({ t: 'filter', kwargs: [['attribute', { t: 'const', value: 'name' }]] });
    expect(parseExpression('s[1:-1]')).toMatchObject({ t: 'slice' });
    expect(parseExpression("'a' if c")).toMatchObject({ t: 'cond', else: undefined });
    expect(parseExpression('ansible.builtin.lower')).toMatchObject({ t: 'getattr' });
    expect(parseExpression('x | ansible.builtin.to_json')).toMatchObject({ t: 'filter', name: 'ansible.builtin.to_json' });
  });

  it('reports syntax errors', () => {
    expect(() => parseExpression('(1')).toThrow(TemplateError);
    expect(() => parseExpression('1 +')).toThrow(/syntax error/);
    expect(() => parseExpression('')).toThrow(/empty expression/);
    expect(() => parseTemplate('{% if x %}a')).toThrow(/expected one of 'elif', 'else', 'endif'/);
    expect(() => parseTemplate('{% frobnicate %}')).toThrow(/Encountered unknown tag 'frobnicate'/);
  });

  it('builds if/for/set nodes', () => {
    const nodes = parseTemplate('{% if a %}1{% elif b %}2{% else %}3{% endif %}{% for k, v in d.items() if v %}{% endfor %}{% set x = 1 %}');
    expect(nodes.map((n) => n.t)).toEqual(['if', 'for', 'set']);
    expect(nodes[0]).toMatchObject({ branches: [{}, {}], else: [{ t: 'text', text: '3' }] });
    expect(nodes[1]).toMatchObject({ targets: ['k', 'v'], filter: { t: 'name', name: 'v' } });
  });
});
