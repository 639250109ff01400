/**
 * Ansible's password lookup: a random password kept in a file on the controller (created on first
 * use, 0600 in a 0700 directory, written whole through a rename), `length`, `chars`, `seed`
 * (Python's random with that seed, so the same password as Ansible) and `encrypt` (the crypt
 * schemes of password_hash; the salt is stored beside the password so the hash is stable).
 */
import { randomInt } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parseKeyValue } from '../../parsing/kv.js';
import { PyRandom } from '../../util/py-random.js';
import { cryptHash, type CryptScheme } from '../password-hash.js';
import { str } from '../python.js';
import { LookupFailure, termList, type Lookup } from './types.js';

const VALID = ['length', 'encrypt', 'chars', 'ident', 'seed'];
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
/** Python's `string` module constants a `chars` entry may name. */
const NAMED: Record<string, string> = {
  ascii_letters: LOWER + UPPER, ascii_lowercase: LOWER, ascii_uppercase: UPPER, digits: DIGITS,
  hexdigits: `${DIGITS}abcdefABCDEF`, octdigits: '01234567', punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  whitespace: ' \t\n\r\x0b\x0c',
};
NAMED.printable = DIGITS + NAMED.ascii_letters + NAMED.punctuation + NAMED.whitespace;
const SCHEMES: Record<string, { scheme: CryptScheme; saltSize: number }> = {
  sha512_crypt: { scheme: 'sha512_crypt', saltSize: 16 }, sha256_crypt: { scheme: 'sha256_crypt', saltSize: 16 }, md5_crypt: { scheme: 'md5_crypt', saltSize: 8 },
};
const SALT_CHARS = `${NAMED.ascii_letters}${DIGITS}./`;

function parseTerm(term: string): { path: string; params: Record<string, unknown> } {
  const space = term.indexOf(' ');
  if (space < 0) return { path: term, params: {} };
  let path = term.slice(0, space);
  const { params, raw } = parseKeyValue(term.slice(space + 1));
  if (raw) {
    path = `${path} ${raw}`;
    if (!term.startsWith(path)) throw new LookupFailure('Unrecognized value after key=value parameters given to password lookup');
  }
  const bad = Object.keys(params).filter((k) => !VALID.includes(k));
  if (bad.length) throw new LookupFailure(`Unrecognized parameter(s) given to password lookup: ${bad.join(', ')}`);
  return { path, params };
}

/** `chars=digits,ascii_letters,,`: names or literal characters, comma separated (`,,` is a comma). */
function candidateChars(chars: unknown): string {
  let specs: string[];
  if (typeof chars === 'string') {
    specs = chars.includes(',,') ? [','] : [];
    specs.push(...chars.replace(/,,/g, ',').split(',').filter(Boolean));
  } else specs = (Array.isArray(chars) ? chars : [chars]).map(str);
  return specs.map((s) => NAMED[s] ?? s).join('').replace(/["']/g, '');
}

function randomText(length: number, chars: string, seed: unknown): string {
  if (!chars) throw new LookupFailure('the password lookup has no characters to choose from');
  const pick = seed === undefined || seed === null ? () => chars[randomInt(chars.length)] : ((r) => () => r.choice([...chars]))(new PyRandom(str(seed)));
  let out = '';
  for (let i = 0; i < length; i++) out += pick();
  return out;
}

/** The stored line: `password[ salt=SALT[ ident=IDENT]]`. */
function parseContent(content: string): { password: string; salt?: string; ident?: string } {
  const s = content.lastIndexOf(' salt=');
  if (s < 0) return { password: content };
  const rest = content.slice(s + 6);
  const i = rest.lastIndexOf(' ident=');
  return { password: content.slice(0, s), salt: i < 0 ? rest : rest.slice(0, i), ident: i < 0 ? undefined : rest.slice(i + 7) };
}

function writeWhole(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tsrun-${process.pid}`;
  writeFileSync(tmp, `${content}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

export const password: Lookup = (terms, kwargs, ctx) =>
  termList(terms).map((t) => {
    const { path: rel, params } = parseTerm(str(t));
    const opts = { length: 20, encrypt: null, chars: ['ascii_letters', 'digits', '.,:-_'], ident: null, seed: null, ...kwargs, ...params };
    const length = Number.parseInt(str(opts.length), 10);
    if (!Number.isInteger(length)) throw new LookupFailure(`invalid literal for int() with base 10: '${str(opts.length)}'`, 'error', "<class 'ValueError'>");
    const base = ctx.scope.get('playbook_dir');
    const path = isAbsolute(rel) ? rel : join(typeof base === 'string' ? base : process.cwd(), rel);
    const devNull = path === '/dev/null';
    const stored = !devNull && existsSync(path) ? parseContent(readFileSync(path, 'utf8').trimEnd()) : undefined;
    let { password: plain, salt } = stored ?? { password: randomText(length, candidateChars(opts.chars), opts.seed) };
    let changed = stored === undefined;
    const encrypt = opts.encrypt === null || opts.encrypt === undefined || opts.encrypt === '' ? undefined : str(opts.encrypt);
    const scheme = encrypt === undefined ? undefined : SCHEMES[encrypt];
    if (encrypt !== undefined && !scheme) throw new LookupFailure(`the password lookup's encrypt=${encrypt} is not supported by tsrun (sha512_crypt, sha256_crypt, md5_crypt)`);
    if (scheme && !salt) {
      salt = randomText(scheme.saltSize, SALT_CHARS, undefined);
      changed = true;
    }
    if (changed && !devNull) writeWhole(path, salt && scheme ? `${plain} salt=${salt}` : plain);
    return scheme ? cryptHash(scheme.scheme, plain, salt) : plain;
  });
