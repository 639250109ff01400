/**
 * The crypt(3) password hashes Ansible's password_hash filter produces without passlib:
 * SHA-512/SHA-256 crypt (Drepper's scheme) and MD5 crypt. Only the digests come from node:crypto;
 * the schemes below are their published mixing and encoding steps.
 */
import { createHash, randomInt } from 'node:crypto';

const ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function b64(b2: number, b1: number, b0: number, n: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let out = '';
  for (let i = 0; i < n; i++) {
    out += ALPHABET[w & 0x3f];
    w >>= 6;
  }
  return out;
}

function encode(d: Buffer, triples: number[][], tail: number[]): string {
  let out = triples.map(([a, b, c]) => b64(d[a], d[b], d[c], 4)).join('');
  out += tail.length === 1 ? b64(0, 0, d[tail[0]], 2) : b64(0, d[tail[0]], d[tail[1]], 3);
  return out;
}

const SHA512_ORDER = [[0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41]];
const SHA256_ORDER = [[0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14], [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29]];
const MD5_ORDER = [[0, 6, 12], [1, 7, 13], [2, 8, 14], [3, 9, 15], [4, 10, 5]];

function repeatTo(src: Buffer, len: number): Buffer {
  const out = Buffer.alloc(len);
  for (let i = 0; i < len; i++) out[i] = src[i % src.length];
  return out;
}

function shaCrypt(algo: 'sha256' | 'sha512', password: string, saltText: string, rounds: number | undefined): string {
  const H = (...parts: Buffer[]) => parts.reduce((h, p) => h.update(p), createHash(algo)).digest();
  const P = Buffer.from(password, 'utf8');
  const S = Buffer.from(saltText.slice(0, 16), 'utf8');
  const size = algo === 'sha512' ? 64 : 32;
  const B = H(P, S, P);
  const a = createHash(algo).update(P).update(S);
  let i = P.length;
  for (; i > size; i -= size) a.update(B);
  a.update(B.subarray(0, i));
  for (i = P.length; i > 0; i >>= 1) a.update(i & 1 ? B : P);
  let C = a.digest();
  const pSeq = repeatTo(H(...Array<Buffer>(P.length).fill(P)), P.length);
  const sSeq = repeatTo(H(...Array<Buffer>(16 + C[0]).fill(S)), S.length);
  const n = rounds ?? 5000;
  for (let r = 0; r < n; r++) {
    const h = createHash(algo);
    h.update(r & 1 ? pSeq : C);
    if (r % 3) h.update(sSeq);
    if (r % 7) h.update(pSeq);
    h.update(r & 1 ? C : pSeq);
    C = h.digest();
  }
  const id = algo === 'sha512' ? '6' : '5';
  const body = algo === 'sha512' ? encode(C, SHA512_ORDER, [63]) : encode(C, SHA256_ORDER, [31, 30]);
  return `$${id}$${rounds === undefined ? '' : `rounds=${rounds}$`}${S.toString('utf8')}$${body}`;
}

function md5Crypt(password: string, saltText: string): string {
  const P = Buffer.from(password, 'utf8');
  const S = Buffer.from(saltText.slice(0, 8), 'utf8');
  const md5 = () => createHash('md5');
  const alt = md5().update(P).update(S).update(P).digest();
  const ctx = md5().update(P).update('$1$').update(S);
  for (let pl = P.length; pl > 0; pl -= 16) ctx.update(alt.subarray(0, Math.min(pl, 16)));
  for (let i = P.length; i; i >>= 1) ctx.update(i & 1 ? Buffer.from([0]) : P.subarray(0, 1));
  let fin = ctx.digest();
  for (let i = 0; i < 1000; i++) {
    const c = md5();
    c.update(i & 1 ? P : fin);
    if (i % 3) c.update(S);
    if (i % 7) c.update(P);
    c.update(i & 1 ? fin : P);
    fin = c.digest();
  }
  return `$1$${S.toString('utf8')}$${encode(fin, MD5_ORDER, [11])}`;
}

function randomSalt(size: number): string {
  let s = '';
  for (let i = 0; i < size; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

export type CryptScheme = 'sha512_crypt' | 'sha256_crypt' | 'md5_crypt';

export function cryptHash(scheme: CryptScheme, password: string, salt?: string, rounds?: number): string {
  if (scheme === 'md5_crypt') return md5Crypt(password, salt ?? randomSalt(8));
  return shaCrypt(scheme === 'sha512_crypt' ? 'sha512' : 'sha256', password, salt ?? randomSalt(16), rounds);
}
