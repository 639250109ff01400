import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pyFloatRepr, pyRepr, pyStr, pyStrRepr } from '../../src/util/python-repr.js';

describe('pyRepr / pyStr agree with Python repr() / str()', () => {
  // JSON carries the values to Python; floats are marked so both sides see a float.
  const cases: unknown[] = [
    null,
    true,
    [1, -2, 10_000_000_000_000_000, 'x'],
    "it's",
    'say "hi"',
    `both ' and "`,
    'tab\tnl\ncr\r\x01\x7f back\\slash',
    { a: [1, { b: null }], "k'": false },
    [],
    {},
    'plain',
    'ünï',
  ];
  const python = JSON.parse(
    execFileSync('python3', ['-c', 'import json,sys\nprint(json.dumps([[repr(v), str(v)] for v in json.load(sys.stdin)]))'], {
      input: JSON.stringify(cases),
      encoding: 'utf8',
    }),
  ) as Array<[string, string]>;
  cases.forEach((v, i) =>
    it(JSON.stringify(v), () => {
      expect(pyRepr(v)).toBe(python[i][0]);
      expect(pyStr(v)).toBe(python[i][1]);
    }),
  );
});

describe('pyFloatRepr', () => {
  it.each([
    [0.5, '0.5'],
    [5, '5.0'],
    [-0, '-0.0'],
    [1e16, '1e+16'],
    [1.5e-7, '1.5e-07'],
    [NaN, 'nan'],
    [-Infinity, '-inf'],
  ])('%d → %s', (n, want) => expect(pyFloatRepr(n)).toBe(want));
  it('non-integral JS numbers are floats in pyRepr', () => {
    expect(pyRepr([0.25, 3])).toBe('[0.25, 3]');
  });
});

describe('special', () => {
  it('lets a caller print its own value types, recursively', () => {
    class Tuple {
      constructor(readonly items: unknown[]) {}
    }
    const out = pyRepr({ t: new Tuple(['a', 1]) }, (v, r) => (v instanceof Tuple ? `(${v.items.map(r).join(', ')})` : undefined));
    expect(out).toBe("{'t': ('a', 1)}");
    expect(pyStrRepr('a')).toBe("'a'");
  });
});
