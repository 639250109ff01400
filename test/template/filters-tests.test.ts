import { describe, expect, it } from 'vitest';
import { evaluate, filters, renderString, type TemplateEnv } from '../../src/template/index.js';
import { plainVars } from '../../src/vars/types.js';

const users = [
  { name: 'bob', age: 30, admin: true },
  { name: 'alice', age: 25, admin: false },
];
const env: TemplateEnv = { vars: plainVars({ users, l: [3, 1, 2, 1], d: { b: 2, a: 1 } }) };
const ev = (e: string) => evaluate(e, env);

describe('filters', () => {
  it('converts types like Ansible', () => {
    expect(ev("'42' | int")).toBe(42);
    expect(ev("'x' | int(7)")).toBe(7);
    expect(ev("'ff' | int(base=16)")).toBe(255);
    expect(ev("'3.9' | int")).toBe(3);
    expect(renderString("{{ '3' | float }}", env)).toBe('3.0');
    expect(ev("'yes' | bool")).toBe(true);
    expect(ev("'off' | bool")).toBe(false);
    expect(ev('2.5 | round')).toBe(2);
    expect(ev('3.5 | round')).toBe(4);
    expect(ev('3.14159 | round(2)')).toBe(3.14);
  });
  it('sorts, dedups and aggregates lists', () => {
    expect(ev('l | sort')).toEqual([1, 1, 2, 3]);
    expect(ev('l | unique')).toEqual([3, 1, 2]);
    expect(ev("users | sort(attribute='age') | map(attribute='name') | list")).toEqual(['alice', 'bob']);
    expect(ev("users | selectattr('admin') | map(attribute='name') | first")).toBe('bob');
    expect(ev("users | rejectattr('age', 'gt', 26) | map(attribute='name') | list")).toEqual(['alice']);
    expect(ev("users | max(attribute='age')")).toEqual(users[0]);
    expect(ev("l | select('odd') | list")).toEqual([3, 1, 1]);
    expect(ev("['a', 'b'] | map('upper') | join('-')")).toBe('A-B');
    expect(ev('[[1, [2]], 3] | flatten')).toEqual([1, 2, 3]);
    expect(ev('[1, 2] | zip([3, 4]) | list')).toEqual([[1, 3], [2, 4]]);
    expect(ev('[1, 2, 3] | difference([2]) + [1, 2] | intersect([2])')).toEqual([1, 3, 2]);
  });
  it('works on dicts', () => {
    expect(ev('d | dict2items')).toEqual([{ key: 'b', value: 2 }, { key: 'a', value: 1 }]);
    expect(ev("[{'key': 'x', 'value': 1}] | items2dict")).toEqual({ x: 1 });
    expect(ev("{'a': {'x': 1}} | combine({'a': {'y': 2}}, recursive=true)")).toEqual({ a: { x: 1, y: 2 } });
    expect(ev("{'a': {'x': 1}} | combine({'a': {'y': 2}})")).toEqual({ a: { y: 2 } });
    expect(ev("{'a': [1]} | combine({'a': [2]}, list_merge='append_rp')")).toEqual({ a: [1, 2] });
    expect(ev("[{'n': 'a', 'l': [1, 2]}] | subelements('l') | map('last') | list")).toEqual([1, 2]);
  });
  it('handles regexes with Python syntax', () => {
    expect(ev("'key=val' | regex_replace('^(?P<k>\\\\w+)=(?P<v>\\\\w+)$', '\\\\g<v>:\\\\g<k>')")).toBe('val:key');
    expect(ev("'abc' | regex_replace('(b)', '[\\\\1]')")).toBe('a[b]c');
    expect(ev("'a$b' | regex_replace('\\\\$', 'S')")).toBe('aSb');
    expect(ev("'line\\n' | regex_search('line$')")).toBe('line');
    expect(ev("'ABC' | regex_search('(?i)b')")).toBe('B');
    expect(ev("'x1y22' | regex_findall('\\\\d+')")).toEqual(['1', '22']);
    expect(ev("'abc' is match('b')")).toBe(false);
    expect(ev("'abc' is search('b')")).toBe(true);
    expect(ev("'abc\\nxyz' | regex_replace('^x', 'X', multiline=True)")).toBe('abc\nXyz');
  });
  it('serializes like Python json / PyYAML', () => {
    expect(ev("{'b': 1, 'a': [1, 2.0, none, true]} | to_json")).toBe('{"b": 1, "a": [1, 2.0, null, true]}');
    expect(ev("{'b': 1, 'a': 'é'} | to_nice_json")).toBe('{\n    "a": "\\u00e9",\n    "b": 1\n}');
    expect(ev("{'b': [1, 2], 'a': {'x': 'y: z'}} | to_yaml")).toBe("a: {x: 'y: z'}\nb: [1, 2]\n");
    expect(ev("{'b': [1, {'q': 2}]} | to_nice_yaml")).toBe('b:\n- 1\n-   q: 2\n');
    expect(ev("'{\"a\": [1]}' | from_json")).toEqual({ a: [1] });
    expect(ev("'a: [x, 1]' | from_yaml")).toEqual({ a: ['x', 1] });
  });
  it('does paths, hashes, encodings and ternary', () => {
    expect(ev("'/a/b.tar.gz' | basename")).toBe('b.tar.gz');
    expect(ev("'/a/b.tar.gz' | dirname")).toBe('/a');
    expect(ev("'/a/b.txt' | splitext | list")).toEqual(['/a/b', '.txt']);
    expect(ev("'x' | hash('sha1')")).toBe('11f6ad8ec52a2984abaafd7c3b516503785c2072');
    expect(ev("'x' | b64encode | b64decode")).toBe('x');
    expect(ev("\"it's\" | quote")).toBe(`'it'"'"'s'`);
    expect(ev("none | ternary('a', 'b', 'n')")).toBe('n');
  });
  it('rejects unknown filters and tests', () => {
    expect(() => ev('1 | nosuch')).toThrow(/no filter named 'nosuch'/);
    expect(() => ev('1 is nosuch')).toThrow(/no test named 'nosuch'/);
  });
  it('accepts fully qualified names', () => {
    expect(ev("'A' | ansible.builtin.lower")).toBe('a');
    expect(ev("'1.2' is ansible.builtin.version('1.10', '<')")).toBe(true);
  });
  it('exposes a positional form', () => {
    expect(filters.default(undefined, 'x')).toBe('x');
    expect(filters.join(['a', 'b'], ',')).toBe('a,b');
    expect(filters.to_json({ a: 1.5 })).toBe('{"a": 1.5}');
    expect(() => filters.upper(undefined)).toThrow(/filter 'upper': the value is undefined/);
  });
});

describe('tests', () => {
  it('checks types and values', () => {
    expect(ev('1 is number and 1.5 is float and 1 is integer and "s" is string')).toBe(true);
    expect(ev('true is boolean and none is none and d is mapping and l is iterable')).toBe(true);
    expect(ev('6 is divisibleby 3 and 4 is even and 3 is odd')).toBe(true);
    expect(ev('[1] is subset([1, 2]) and [1, 2] is superset([2]) and [1, 0] is any and not ([1, 0] is all)')).toBe(true);
  });
  it('compares versions (loose, strict, semver)', () => {
    expect(ev("'1.10' is version('1.9', '>')")).toBe(true);
    expect(ev("'1.0.0-rc1' is version('1.0.0', '<', version_type='semver')")).toBe(true);
    expect(ev("'2.0' is version_compare('2.0', '==')")).toBe(true);
    expect(() => ev("'1' is version('2', 'bogus')")).toThrow(/Invalid operator/);
  });
  it('reads task results', () => {
    const r = { vars: plainVars({ ok: { changed: true, failed: false }, bad: { failed: true }, sk: { skipped: true } }) };
    expect(evaluate('ok is succeeded and ok is changed and bad is failed and sk is skipped and not (ok is skipped)', r)).toBe(true);
  });
  it('checks control-side paths', () => {
    expect(ev("'/' is directory and '/' is exists and '/' is abs and not ('/nope-xyz' is file)")).toBe(true);
  });
});
