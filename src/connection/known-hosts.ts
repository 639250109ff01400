/**
 * OpenSSH known_hosts files: plain and hashed (`|1|salt|hash`) host patterns, `[host]:port`
 * for non-default ports, wildcards and negation, `@revoked` keys. Pure apart from nothing:
 * callers read the files.
 */
import { createHmac } from 'node:crypto';

export interface KnownHostEntry {
  marker?: 'cert-authority' | 'revoked';
  patterns: string;
  keyType: string;
  key: Buffer;
  /** file:line, for messages. */
  where: string;
}

export type HostKeyVerdict =
  | { status: 'match'; entry: KnownHostEntry }
  | { status: 'mismatch'; entry: KnownHostEntry }
  | { status: 'revoked'; entry: KnownHostEntry }
  | { status: 'unknown'; otherTypes: string[] };

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0].startsWith('@')) {
      const m = fields.shift()!.slice(1);
      if (m !== 'cert-authority' && m !== 'revoked') return;
      marker = m;
    }
    if (fields.length < 3) return;
    const [patterns, keyType, b64] = fields;
    const key = Buffer.from(b64, 'base64');
    if (key.length === 0) return;
    out.push({ marker, patterns, keyType, key, where: `${file}:${i + 1}` });
  });
  return out;
}

/** The name OpenSSH looks up: `host`, or `[host]:port` when the port is not 22. */
export function hostLookupName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globToRegExp(p: string): RegExp {
  const re = p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i');
}

function hashedMatches(pattern: string, name: string): boolean {
  const parts = pattern.split('|'); // ['', '1', salt, hash]
  if (parts.length !== 4 || parts[1] !== '1') return false;
  const salt = Buffer.from(parts[2], 'base64');
  const want = Buffer.from(parts[3], 'base64');
  const got = createHmac('sha1', salt).update(name).digest();
  return got.length === want.length && got.equals(want);
}

/** Whether a comma-separated pattern list matches `name` (a negated match excludes). */
export function patternsMatch(patterns: string, name: string): boolean {
  if (patterns.startsWith('|')) return hashedMatches(patterns, name);
  let matched = false;
  for (const p of patterns.split(',')) {
    const negated = p.startsWith('!');
    const body = negated ? p.slice(1) : p;
    if (!globToRegExp(body).test(name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** The key type named at the start of an SSH public key blob (`ssh-ed25519`, ...). */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) return '';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

export function checkHostKey(entries: KnownHostEntry[], host: string, port: number, blob: Buffer): HostKeyVerdict {
  const name = hostLookupName(host, port);
  const type = keyTypeOfBlob(blob);
  const forHost = entries.filter((e) => e.marker !== 'cert-authority' && patternsMatch(e.patterns, name));
  const revoked = forHost.find((e) => e.marker === 'revoked' && e.key.equals(blob));
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = forHost.filter((e) => !e.marker);
  const same = plain.find((e) => e.key.equals(blob));
  if (same) return { status: 'match', entry: same };
  const sameType = plain.find((e) => e.keyType === type);
  if (sameType) return { status: 'mismatch', entry: sameType };
  return { status: 'unknown', otherTypes: [...new Set(plain.map((e) => e.keyType))] };
}

/** Key types known for a host, to prefer them in key exchange as OpenSSH does. */
export function knownKeyTypes(entries: KnownHostEntry[], host: string, port: number): string[] {
  const name = hostLookupName(host, port);
  return [...new Set(entries.filter((e) => !e.marker && patternsMatch(e.patterns, name)).map((e) => e.keyType))];
}
