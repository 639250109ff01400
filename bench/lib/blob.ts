import { createCipheriv, createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** 4 MiB: the artifact size the benchmark spec asks for. */
export const BLOB_SIZE = 4 * 1024 * 1024;

/**
 * Deterministic, incompressible bytes (AES-CTR keystream under a fixed key), so that a
 * transport's compression cannot make one form look faster, and every checkout makes the
 * same file without committing 4 MiB.
 */
export function blobBytes(size = BLOB_SIZE): Buffer {
  const key = createHash('sha256').update('tsrun bench blob').digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.alloc(size)), cipher.final()]);
}

export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** Writes the blob unless an identical one is already there (keeps its mtime stable). */
export function ensureBlob(path: string): string {
  const want = blobBytes();
  const digest = sha256(want);
  if (!existsSync(path) || sha256(readFileSync(path)) !== digest) writeFileSync(path, want, { mode: 0o644 });
  return digest;
}
