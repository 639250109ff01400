import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../src/inventory/address.js';
import { expandHostEntry } from '../../src/inventory/host-entry.js';
import { expandHostRange } from '../../src/inventory/host-ranges.js';

describe('expandHostRange', () => {
  it('expands numeric ranges with zero padding', () => {
    expect(expandHostRange('web[01:03].x')).toEqual(['web01.x', 'web02.x', 'web03.x']);
    expect(expandHostRange('h[8:10]')).toEqual(['h8', 'h9', 'h10']);
  });
  it('expands letters, steps, a missing begin and several ranges', () => {
    expect(expandHostRange('n-[a:c]')).toEqual(['n-a', 'n-b', 'n-c']);
    expect(expandHostRange('s[1:9:3]')).toEqual(['s1', 's4', 's7']);
    expect(expandHostRange('x[:2]')).toEqual(['x0', 'x1', 'x2']);
    expect(expandHostRange('r[1:2]c[a:b]')).toEqual(['r1ca', 'r1cb', 'r2ca', 'r2cb']);
  });
  it('rejects ranges that make no hosts or are malformed', () => {
    expect(() => expandHostRange('h[3:1]')).toThrow(/yields no hosts/);
    expect(() => expandHostRange('h[c:a]')).toThrow(/begin <= end/);
    expect(() => expandHostRange('h[01:1]')).toThrow(/equal-length/);
    expect(() => expandHostRange('h[1]')).toThrow(/begin:end/);
    expect(() => expandHostRange('h[1:]')).toThrow(/end value/);
  });
});

describe('parseAddress / expandHostEntry', () => {
  it('splits ports off names, IPv4 and bracketed IPv6', () => {
    expect(parseAddress('h:2222')).toEqual({ host: 'h', port: 2222 });
    expect(parseAddress('10.0.0.1:22')).toEqual({ host: '10.0.0.1', port: 22 });
    expect(parseAddress('[2001:db8::1]:2200')).toEqual({ host: '2001:db8::1', port: 2200 });
    expect(parseAddress('web[1:2]:8022')).toEqual({ host: 'web[1:2]', port: 8022 });
  });
  it('keeps bare IPv6 addresses whole', () => {
    expect(parseAddress('fe80::1')).toEqual({ host: 'fe80::1', port: undefined });
    expect(parseAddress('::1')).toEqual({ host: '::1', port: undefined });
  });
  it('does not recognise names with invalid characters', () => {
    expect(parseAddress('bad-:22')).toBeNull();
    expect(parseAddress('a b')).toBeNull();
  });
  it('expands entries with ranges and ports', () => {
    expect(expandHostEntry('web[1:2]:8022', true)).toEqual({ hosts: ['web1', 'web2'], port: 8022 });
    expect(expandHostEntry('2001:db8::[a:b]', true)).toEqual({ hosts: ['2001:db8::a', '2001:db8::b'], port: undefined });
    expect(() => expandHostEntry('h1:', true)).toThrow(/trailing ':'/);
  });
});
