import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fnmatchToRegExp, orderPatterns, splitHostPattern } from '../../src/inventory/host-patterns.js';
import { loadInventory } from '../../src/inventory/index.js';
import { writeTree } from './support.js';

describe('pattern splitting and ordering', () => {
  it('splits on commas, else on colons outside brackets, keeping addresses whole', () => {
    expect(splitHostPattern('a:b:&c:!d')).toEqual(['a', 'b', '&c', '!d']);
    expect(splitHostPattern('a, b ,c')).toEqual(['a', 'b', 'c']);
    expect(splitHostPattern('a:!b,c')).toEqual(['a:!b', 'c']);
    expect(splitHostPattern('web[1:2]:db')).toEqual(['web[1:2]', 'db']);
    expect(splitHostPattern('fe80::1')).toEqual(['fe80::1']);
    expect(splitHostPattern(['a:b', 'c'])).toEqual(['a', 'b', 'c']);
  });
  it('orders regular, then intersections, then exclusions, with all as default', () => {
    expect(orderPatterns(['!x', 'a', '&b', 'c'])).toEqual(['a', 'c', '&b', '!x']);
    expect(orderPatterns(['!x'])).toEqual(['all', '!x']);
  });
  it('translates fnmatch globs', () => {
    expect(fnmatchToRegExp('web*').test('web1.x')).toBe(true);
    expect(fnmatchToRegExp('web?').test('web12')).toBe(false);
    expect(fnmatchToRegExp('n[ab]').test('na')).toBe(true);
    expect(fnmatchToRegExp('n[!ab]').test('na')).toBe(false);
    expect(fnmatchToRegExp('a.b').test('axb')).toBe(false);
  });
});

describe('selectHosts', () => {
  const root = writeTree({
    'hosts.ini': ['top', '[web]', 'w2', 'w1', '[db]', 'd[1:3]', '[prod:children]', 'web', 'db', '[edge]', 'w1', 'e1.example.com'].join('\n'),
  });
  const inv = loadInventory([join(root, 'hosts.ini')]);
  const sel = (p: string | string[]): string[] => inv.selectHosts(p, { cwd: root });

  it('selects groups, hosts and unions in pattern order', () => {
    expect(sel('web')).toEqual(['w2', 'w1']);
    expect(sel('db:web')).toEqual(['d1', 'd2', 'd3', 'w2', 'w1']);
    expect(sel('w1,top')).toEqual(['w1', 'top']);
    expect(sel(['edge', 'web'])).toEqual(['w1', 'e1.example.com', 'w2']);
  });
  it('walks group descendants level by level for all', () => {
    expect(sel('all')).toEqual(['top', 'w1', 'e1.example.com', 'w2', 'd1', 'd2', 'd3']);
    expect(sel('*')).toEqual(sel('all'));
  });
  it('supports intersection, exclusion, globs and regexes', () => {
    expect(sel('prod:&edge')).toEqual(['w1']);
    expect(sel('prod:!web')).toEqual(['d1', 'd2', 'd3']);
    expect(sel('!prod')).toEqual(['top', 'e1.example.com']);
    expect(sel('*.example.com')).toEqual(['e1.example.com']);
    expect(sel('~^d[12]')).toEqual(['d1', 'd2']);
    expect(sel('w*')).toEqual(['w2', 'w1']);
  });
  it('supports subscripts', () => {
    expect(sel('db[0]')).toEqual(['d1']);
    expect(sel('db[-1]')).toEqual(['d3']);
    expect(sel('db[1:]')).toEqual(['d2', 'd3']);
    expect(sel('db[0:1]')).toEqual(['d1', 'd2']);
    expect(() => sel('db[5]')).toThrow(/subscripted pattern 'db\[5\]'/);
  });
  it('returns nothing for unknown names, but the implicit localhost', () => {
    expect(sel('nothere')).toEqual([]);
    expect(sel('web:nothere')).toEqual(['w2', 'w1']);
    expect(sel('localhost')).toEqual(['localhost']);
  });
  it('reads @file limits relative to cwd, one pattern per line', () => {
    writeFileSync(join(root, 'limit.txt'), 'db\n\n!d2\n');
    expect(sel('@limit.txt')).toEqual(['d1', 'd3']);
    expect(() => sel('@missing.txt')).toThrow(/unable to find limit file/);
  });
});
