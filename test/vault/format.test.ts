import { describe, expect, it } from 'vitest';
import { decrypt, encrypt, isVaulted, parseEnvelope, VaultFormatError, VaultPasswordError } from '../../src/vault/format.js';
import { Keyring } from '../../src/vault/keyring.js';
import { parseVaultId } from '../../src/vault/sources.js';

const pw = Buffer.from('pw');
const salt = Buffer.alloc(32, 7);

describe('vault format', () => {
  it('round-trips, is deterministic for a given salt, and labels 1.2 vaults', () => {
    const text = encrypt(Buffer.from('secret\n'), pw, undefined, salt);
    expect(text).toBe(encrypt(Buffer.from('secret\n'), pw, undefined, salt));
    expect(text.split('\n')[0]).toBe('$ANSIBLE_VAULT;1.1;AES256');
    expect(decrypt(parseEnvelope(text), pw).toString()).toBe('secret\n');
    const labelled = encrypt(Buffer.from(''), pw, 'prod');
    expect(parseEnvelope(labelled)).toMatchObject({ version: '1.2', label: 'prod' });
    expect(decrypt(parseEnvelope(labelled), pw).length).toBe(0);
    expect(isVaulted(text)).toBe(true);
    expect(isVaulted('plain: yaml')).toBe(false);
  });

  it('rejects a wrong password, a tampered payload and a foreign header', () => {
    const text = encrypt(Buffer.from('x'), pw, undefined, salt);
    expect(() => decrypt(parseEnvelope(text), Buffer.from('nope'))).toThrow(VaultPasswordError);
    const lines = text.split('\n');
    lines[2] = lines[2].replace(/^./, (c) => (c === '3' ? '4' : '3'));
    expect(() => decrypt(parseEnvelope(lines.join('\n')), pw)).toThrow();
    expect(() => parseEnvelope('$ANSIBLE_VAULT;1.1;AES\nab')).toThrow(VaultFormatError);
    expect(() => parseEnvelope('$ANSIBLE_VAULT;1.1;AES256\nxyz')).toThrow(/not hexadecimal/);
  });

  it('keyring tries the labelled secret first and names the file when nothing opens it', () => {
    const k = new Keyring([{ id: 'a', password: Buffer.from('1') }, { id: 'b', password: Buffer.from('2') }]);
    const v = k.encrypt(Buffer.from('hi'), 'b');
    expect(v).toMatch(/^\$ANSIBLE_VAULT;1\.2;AES256;b\n/);
    expect(k.open(v, 'f').secret.id).toBe('b');
    expect(() => new Keyring([{ id: 'a', password: Buffer.from('1') }]).decrypt(v, 'group_vars/all.yml')).toThrow(/that could decrypt\) on group_vars\/all\.yml/);
    expect(() => new Keyring().decrypt(v, 'x.yml')).toThrow(/no vault secrets found \(x\.yml\)/);
    expect(() => k.encrypt(Buffer.from('hi'))).toThrow(/--encrypt-vault-id/);
    expect(parseVaultId('dev@prompt')).toEqual({ id: 'dev', source: 'prompt' });
    expect(parseVaultId('file.txt')).toEqual({ id: 'default', source: 'file.txt' });
  });
});
