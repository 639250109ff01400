/** Identity filters: password_hash (crypt(3) hashes) and to_uuid (UUID v5 in Ansible's namespace). */
import { createHash } from 'node:crypto';
import { EvalError } from './errors.js';
import { str } from './python.js';
import { cryptHash, type CryptScheme } from './password-hash.js';
import { filterTable } from './filter-registry.js';
import { num } from './values.js';

const { def, table } = filterTable();

const SCHEMES: Record<string, CryptScheme> = { sha512: 'sha512_crypt', sha256: 'sha256_crypt', md5: 'md5_crypt', sha512_crypt: 'sha512_crypt', sha256_crypt: 'sha256_crypt', md5_crypt: 'md5_crypt' };

def('password_hash', ['hashtype', 'salt', 'salt_size', 'rounds', 'ident'], (v, hashtype = 'sha512', salt, _saltSize, rounds) => {
  const scheme = SCHEMES[str(hashtype)];
  if (!scheme) throw new EvalError(`crypt.crypt does not support '${str(hashtype)}' algorithm`);
  const r = rounds === undefined || rounds === null ? undefined : num(rounds);
  if (r !== undefined && (r < 1000 || r > 999999999)) throw new EvalError(`invalid rounds value: ${r}`);
  return cryptHash(scheme, str(v), salt === undefined || salt === null ? undefined : str(salt), r);
});

const ANSIBLE_NAMESPACE = '361E6D51-FAEC-444A-9079-341386DA8E2E';

def('to_uuid', ['namespace'], (v, namespace = ANSIBLE_NAMESPACE) => {
  const hex = str(namespace).replace(/^urn:uuid:/i, '').replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new EvalError(`Invalid value '${str(namespace)}' for 'namespace': badly formed hexadecimal UUID string`);
  const d = createHash('sha1').update(Buffer.from(hex, 'hex')).update(str(v), 'utf8').digest().subarray(0, 16);
  d[6] = (d[6] & 0x0f) | 0x50;
  d[8] = (d[8] & 0x3f) | 0x80;
  const h = d.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
});

/** The crypto filters, by name (composed into FILTERS in filters.ts). */
export const CRYPTO_FILTERS = table;
