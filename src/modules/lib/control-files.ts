import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { maybeDecryptBytes } from '../../vault/keyring.js';

/**
 * Control-side files a run pushes to many hosts are read and hashed once: 50 hosts copying the
 * same 4 MiB artifact share one Buffer and one checksum instead of 50 of each.
 */
const contents = new Map<string, { key: string; data: Buffer }>();
const digests = new WeakMap<Buffer, Map<string, string>>();
const MAX_CACHED_BYTES = 256 * 1024 * 1024;
let cachedBytes = 0;

export function readControlFile(path: string): Buffer {
  const st = statSync(path);
  const key = `${st.size}:${st.mtimeMs}:${st.ino}`;
  const hit = contents.get(path);
  if (hit && hit.key === key) return hit.data;
  const data = readFileSync(path);
  if (hit) cachedBytes -= hit.data.length;
  if (cachedBytes + data.length > MAX_CACHED_BYTES) {
    contents.clear();
    cachedBytes = 0;
  }
  contents.set(path, { key, data });
  cachedBytes += data.length;
  return data;
}

/** Hex digest of a Buffer, computed once per Buffer and algorithm. */
export function digestOf(data: Buffer | string, algorithm: 'sha1' | 'md5' | 'sha256' = 'sha1'): string {
  if (typeof data === 'string') return createHash(algorithm).update(data).digest('hex');
  let byAlg = digests.get(data);
  if (!byAlg) {
    byAlg = new Map();
    digests.set(data, byAlg);
  }
  let hex = byAlg.get(algorithm);
  if (!hex) {
    hex = createHash(algorithm).update(data).digest('hex');
    byAlg.set(algorithm, hex);
  }
  return hex;
}

/** A source file's bytes as copy and script send them: a vaulted one decrypted in memory unless `decrypt` is false. */
export function sourceBytes(path: string, decrypt: boolean): Buffer {
  const data = readControlFile(path);
  return decrypt ? maybeDecryptBytes(data, path) : data;
}
