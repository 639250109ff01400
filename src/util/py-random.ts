/**
 * Python's random.Random(seed) for a text seed (MT19937 seeded through init_by_array with the
 * seed's bytes followed by their SHA-512, as CPython's version-2 seeding does), and its choice():
 * what Ansible's password lookup uses for `seed=`, so the same seed gives the same password.
 */
import { createHash } from 'node:crypto';

export class PyRandom {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  constructor(seed: string) {
    const bytes = Buffer.from(seed, 'utf8');
    const big = Buffer.concat([bytes, createHash('sha512').update(bytes).digest()]);
    // the big-endian integer's 32-bit words, least significant first
    const words: number[] = [];
    for (let end = big.length; end > 0; end -= 4) {
      const start = Math.max(0, end - 4);
      words.push(big.subarray(start, end).reduce((acc, b) => acc * 256 + b, 0) >>> 0);
    }
    while (words.length > 1 && words[words.length - 1] === 0) words.pop();
    this.initByArray(words);
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < 624; i++) mt[i] = (Math.imul(1812433253, mt[i - 1] ^ (mt[i - 1] >>> 30)) + i) >>> 0;
  }

  private initByArray(key: number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(624, key.length); k > 0; k--) {
      mt[i] = ((mt[i] ^ Math.imul(mt[i - 1] ^ (mt[i - 1] >>> 30), 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= 624) {
        mt[0] = mt[623];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = 623; k > 0; k--) {
      mt[i] = ((mt[i] ^ Math.imul(mt[i - 1] ^ (mt[i - 1] >>> 30), 1566083941)) - i) >>> 0;
      i++;
      if (i >= 624) {
        mt[0] = mt[623];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.index = 624;
  }

  private next32(): number {
    const mt = this.mt;
    if (this.index >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7fffffff);
        mt[k] = mt[(k + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** random.choice(seq) for a sequence of at most 2**32 items (CPython's _randbelow by rejection). */
  choice<T>(seq: readonly T[]): T {
    const n = seq.length;
    const k = n.toString(2).length;
    let r = this.next32() >>> (32 - k);
    while (r >= n) r = this.next32() >>> (32 - k);
    return seq[r];
  }
}
