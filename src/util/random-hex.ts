/**
 * Random hex for request markers and reply nonces, drawn from a pool of CSPRNG bytes, each byte
 * used once: randomBytes(8) is a call into OpenSSL of several µs, and every task made two (three
 * with ssh2's own). One 4 KiB fill serves some 200 tasks.
 */
import { randomFillSync } from 'node:crypto';

const pool = Buffer.alloc(4096);
let used = pool.length;

export function randomHex(bytes: number): string {
  if (bytes > pool.length) throw new RangeError(`randomHex: at most ${pool.length} bytes`);
  if (used + bytes > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const hex = pool.toString('hex', used, used + bytes);
  used += bytes;
  return hex;
}
