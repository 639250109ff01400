import { describe, expect, it } from 'vitest';
import { randomHex } from '../../src/util/random-hex.js';

describe('randomHex', () => {
  it('gives hex of the asked length, never the same value twice, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const h = randomHex(i % 2 ? 8 : 12);
      expect(h).toMatch(i % 2 ? /^[0-9a-f]{16}$/ : /^[0-9a-f]{24}$/);
      seen.add(h);
    }
    expect(seen.size).toBe(3000);
  });

  it('refuses more bytes than its pool holds', () => {
    expect(() => randomHex(5000)).toThrow(RangeError);
  });
});
