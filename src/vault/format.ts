import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Ansible Vault 1.1 / 1.2 with the AES256 cipher, as ansible-vault writes it:
 *
 *   $ANSIBLE_VAULT;1.1;AES256            (1.2 adds ";label", the vault id)
 *   hex( hex(salt) "\n" hex(hmac) "\n" hex(ciphertext) ), in lines of 80 characters
 *
 * key1 (AES-256-CTR), key2 (HMAC-SHA256) and the initial counter come from
 * PBKDF2-SHA256(password, salt, 10000 iterations, 80 bytes); the plaintext is PKCS#7-padded to
 * the AES block size before encryption. Only node:crypto does cryptography here.
 */
export const VAULT_HEADER = '$ANSIBLE_VAULT';
const ITERATIONS = 10_000;
const SALT_BYTES = 32;
const LINE = 80;

export class VaultFormatError extends Error {}
/** The password does not open this vault (HMAC mismatch). */
export class VaultPasswordError extends Error {}

export interface Envelope {
  version: string;
  cipher: string;
  label?: string;
  /** The hex payload with line breaks removed. */
  payload: string;
}

export function isVaulted(text: string | Buffer): boolean {
  const head = typeof text === 'string' ? text.slice(0, 64) : text.subarray(0, 64).toString('latin1');
  return head.trimStart().startsWith(`${VAULT_HEADER};`);
}

export function parseEnvelope(text: string): Envelope {
  const lines = text.trim().split(/\r?\n/).map((l) => l.trim());
  const header = lines[0].split(';');
  if (header[0] !== VAULT_HEADER || header.length < 3) throw new VaultFormatError('not a vault: the first line must start with $ANSIBLE_VAULT;1.1;AES256');
  const [, version, cipher, label] = header;
  if (version !== '1.1' && version !== '1.2') throw new VaultFormatError(`unsupported vault format version ${version}`);
  if (cipher !== 'AES256') throw new VaultFormatError(`unsupported vault cipher ${cipher} (only AES256)`);
  const payload = lines.slice(1).join('');
  if (!/^[0-9a-fA-F]*$/.test(payload) || payload.length % 2) throw new VaultFormatError('vault payload is not hexadecimal');
  return { version, cipher, ...(version === '1.2' && label ? { label } : {}), payload };
}

function keys(password: Buffer, salt: Buffer): { key1: Buffer; key2: Buffer; iv: Buffer } {
  const derived = pbkdf2Sync(password, salt, ITERATIONS, 32 + 32 + 16, 'sha256');
  return { key1: derived.subarray(0, 32), key2: derived.subarray(32, 64), iv: derived.subarray(64, 80) };
}

function pad(data: Buffer): Buffer {
  const n = 16 - (data.length % 16);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

function unpad(data: Buffer): Buffer {
  const n = data[data.length - 1];
  if (!n || n > 16 || n > data.length || !data.subarray(data.length - n).every((b) => b === n)) throw new VaultFormatError('vault plaintext has invalid padding');
  return data.subarray(0, data.length - n);
}

export function decrypt(envelope: Envelope, password: Buffer): Buffer {
  const inner = Buffer.from(envelope.payload, 'hex').toString('latin1').split('\n');
  if (inner.length !== 3) throw new VaultFormatError('vault payload is malformed');
  const [salt, mac, ciphertext] = inner.map((h) => Buffer.from(h, 'hex'));
  const { key1, key2, iv } = keys(password, salt);
  const expected = createHmac('sha256', key2).update(ciphertext).digest();
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw new VaultPasswordError('HMAC verification failed');
  const decipher = createDecipheriv('aes-256-ctr', key1, iv);
  return unpad(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
}

/** The vault text ansible-vault writes (without a final newline; files add one). */
export function encrypt(plaintext: Buffer, password: Buffer, label?: string, salt = randomBytes(SALT_BYTES)): string {
  const { key1, key2, iv } = keys(password, salt);
  const cipher = createCipheriv('aes-256-ctr', key1, iv);
  const ciphertext = Buffer.concat([cipher.update(pad(plaintext)), cipher.final()]);
  const mac = createHmac('sha256', key2).update(ciphertext).digest();
  const inner = [salt, mac, ciphertext].map((b) => b.toString('hex')).join('\n');
  const payload = Buffer.from(inner, 'latin1').toString('hex');
  const header = label ? `${VAULT_HEADER};1.2;AES256;${label}` : `${VAULT_HEADER};1.1;AES256`;
  const lines = [header];
  for (let i = 0; i < payload.length; i += LINE) lines.push(payload.slice(i, i + LINE));
  return lines.join('\n');
}
