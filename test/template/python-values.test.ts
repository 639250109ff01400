import { describe, expect, it } from 'vitest';
import { repr, str, truthy } from '../../src/template/python.js';
import { pyFloatRepr as floatRepr } from '../../src/util/python-repr.js';
import { templateRegex, templateSub } from '../../src/template/regex.js';
import { EvalError } from '../../src/template/errors.js';
import { literalEval } from '../../src/template/literal.js';
import { pyJsonDumps, pyYamlDump } from '../../src/template/serialize.js';
import { PyFloat, tuple } from '../../src/template/values.js';

describe('Python printing', () => {
  it('prints floats like repr()', () => {
    expect(floatRepr(5)).toBe('5.0');
    expect(floatRepr(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(floatRepr(1e20)).toBe('1e+20');
    expect(floatRepr(1e16)).toBe('1e+16');
    expect(floatRepr(1e15)).toBe('1000000000000000.0');
    expect(floatRepr(1e-5)).toBe('1e-05');
    expect(floatRepr(0.0001)).toBe('0.0001');
  });
  it('prints containers, strings, tuples and None like Python', () => {
    expect(repr([1, new PyFloat(2), 'a', null, true, { k: "it's" }])).toBe(`[1, 2.0, 'a', None, True, {'k': "it's"}]`);
    expect(repr('a\nb\\')).toBe("'a\\nb\\\\'");
    expect(repr(tuple([1]))).toBe('(1,)');
    expect(repr(tuple([1, 'x']))).toBe("(1, 'x')");
    expect(str('plain')).toBe('plain');
  });
  it('uses Python truthiness', () => {
    for (const v of ['', [], {}, 0, null, false, new PyFloat(0)]) expect(truthy(v)).toBe(false);
    for (const v of ['0', [0], { a: 1 }, 1, -1, 'False']) expect(truthy(v)).toBe(true);
  });
});

describe('literalEval', () => {
  it('reads Python literals and nothing else', () => {
    expect(literalEval("[1, 'a', None, True, {'k': (1, 2)}, -3, 2.5]")?.value).toEqual([1, 'a', null, true, { k: [1, 2] }, -3, 2.5]);
    // JSON's names are read too: Ansible maps them to Python's before literal_eval
    expect(literalEval('[true, null]')?.value).toEqual([true, null]);
    expect(literalEval('[x]')).toBeUndefined();
    expect(literalEval('[1, 2')).toBeUndefined();
  });
});

describe('Python regexes in templates', () => {
  it('translates through util/pyregex', () => {
    expect(templateRegex('(?P<v>\\d+)\\Z').exec('ab12')?.groups?.v).toBe('12');
    expect(templateRegex('b$').test('ab\n')).toBe(true);
  });
  it('reports bad patterns and replacements as EvalError', () => {
    expect(() => templateRegex('(')).toThrow(EvalError);
    expect(() => templateSub('ab', 'a', '\\2', {}, 0)).toThrow(EvalError);
  });
  it('substitutes like re.sub with a count', () => {
    expect(templateSub('abab', '(?P<x>a)(b)', '\\2\\1-\\g<x>', {}, 1)).toBe('ba-aab');
  });
});

describe('serializers', () => {
  it('writes json.dumps output', () => {
    expect(pyJsonDumps({ b: [1, new PyFloat(2)], a: 'é' })).toBe('{"b": [1, 2.0], "a": "\\u00e9"}');
    expect(pyJsonDumps({ b: 1, a: [] }, { indent: 2, sortKeys: true })).toBe('{\n  "a": [],\n  "b": 1\n}');
  });
  it('writes yaml.dump output', () => {
    expect(pyYamlDump({ b: 'yes', a: [1, 'x'] })).toBe("a: [1, x]\nb: 'yes'\n");
    expect(pyYamlDump({ l: [{ a: 1, b: [2] }] }, { defaultFlowStyle: false, indent: 4 })).toBe('l:\n-   a: 1\n    b:\n    - 2\n');
  });
});
