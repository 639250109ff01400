import { describe, expect, it } from 'vitest';
import { Scope, type VarLayer } from '../../src/vars/scope.js';

const layer = (name: string, values: Record<string, unknown>, templated = true): VarLayer => ({ name, values, templated });

describe('Scope', () => {
  it('looks up the highest layer first', () => {
    const s = new Scope([layer('low', { a: 1, b: 1 }), layer('high', { a: 2 })]);
    expect(s.lookup('a')).toBe(2);
    expect(s.lookup('b')).toBe(1);
    expect(s.lookup('c')).toBeUndefined();
    expect(s.has('b')).toBe(true);
    expect([...s.names()].sort()).toEqual(['a', 'b']);
  });

  it('renders lazily, so a low layer may refer to a variable defined higher up', () => {
    const s = new Scope([layer('defaults', { url: 'http://{{ host }}:{{ port }}', port: 80 }), layer('task', { host: 'db', port: 8080 })]);
    expect(s.lookup('url')).toBe('http://db:8080');
  });

  it('keeps the type of a whole-expression value', () => {
    const s = new Scope([layer('vars', { list: [1, 2], copy: '{{ list }}', n: 3, m: '{{ n }}' })]);
    expect(s.lookup('copy')).toEqual([1, 2]);
    expect(s.lookup('m')).toBe(3);
  });

  it('never renders data from hosts', () => {
    const s = new Scope([layer('vars', { x: 'boom' }), layer('register', { out: { stdout: '{{ x }}' } }, false)]);
    expect(s.lookup('out')).toEqual({ stdout: '{{ x }}' });
  });

  it('reports a cycle with the chain of variables', () => {
    const s = new Scope([layer('vars', { a: '{{ b }}', b: '{{ c }}', c: '{{ a }}' })]);
    expect(() => s.lookup('a')).toThrow(/recursive loop detected in variable 'a' \(a -> b -> c -> a\)/);
  });

  it('renders nested structures', () => {
    const s = new Scope([layer('vars', { name: 'x', cfg: { path: '/opt/{{ name }}', list: ['{{ name }}-1'] } })]);
    expect(s.lookup('cfg')).toEqual({ path: '/opt/x', list: ['x-1'] });
  });

  it('with() adds layers without touching the original', () => {
    const s = new Scope([layer('vars', { a: 1 })]);
    const t = s.with(layer('loop', { item: 5 }, false));
    expect(t.lookup('item')).toBe(5);
    expect(s.lookup('item')).toBeUndefined();
  });
});
