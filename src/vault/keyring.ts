import { TsrunError } from '../util/errors.js';
import { decrypt, encrypt, isVaulted, parseEnvelope, VaultFormatError, VaultPasswordError } from './format.js';

/** One vault password and the vault id (label) it was given under; "default" when unlabelled. */
export interface VaultSecret {
  id: string;
  password: Buffer;
}

/**
 * The vault passwords of this run. Decryption happens in memory only: plaintext is never written
 * to disk or printed by tsrun itself.
 */
export class Keyring {
  constructor(readonly secrets: VaultSecret[] = []) {}

  /**
   * Ansible's order: secrets whose id matches the vault's 1.2 label first, then all the others
   * (vault_id_match is off by default).
   */
  decrypt(vaultText: string, where: string): Buffer {
    return this.open(vaultText, where).plain;
  }

  /** The plaintext and the secret that opened it (edit re-encrypts with that one). */
  open(vaultText: string, where: string): { plain: Buffer; secret: VaultSecret } {
    let envelope;
    try {
      envelope = parseEnvelope(vaultText);
    } catch (err) {
      if (err instanceof VaultFormatError) throw new TsrunError(`${where}: ${err.message}`);
      throw err;
    }
    if (!this.secrets.length) throw new TsrunError(`Attempting to decrypt but no vault secrets found (${where}); give --ask-vault-pass, --vault-password-file or --vault-id`);
    const ordered = envelope.label ? [...this.secrets.filter((s) => s.id === envelope.label), ...this.secrets.filter((s) => s.id !== envelope.label)] : this.secrets;
    for (const s of ordered) {
      try {
        return { plain: decrypt(envelope, s.password), secret: s };
      } catch (err) {
        if (err instanceof VaultPasswordError) continue;
        if (err instanceof VaultFormatError) throw new TsrunError(`${where}: ${err.message}`);
        throw err;
      }
    }
    throw new TsrunError(`Decryption failed (no vault secrets were found that could decrypt) on ${where}`);
  }

  /** The secret new vaults are encrypted with: the one named `id`, else the only/first one. */
  encryptionSecret(id?: string): VaultSecret {
    if (!this.secrets.length) throw new TsrunError('A vault password is required: give --ask-vault-pass, --vault-password-file or --vault-id');
    if (id === undefined) {
      if (this.secrets.length > 1) throw new TsrunError(`More than one vault id given (${this.secrets.map((s) => s.id).join(', ')}); choose one with --encrypt-vault-id`);
      return this.secrets[0];
    }
    const s = this.secrets.find((x) => x.id === id);
    if (!s) throw new TsrunError(`Did not find a match for --encrypt-vault-id=${id} in the known vault-ids [${this.secrets.map((x) => x.id).join(', ')}]`);
    return s;
  }

  encrypt(plaintext: Buffer, id?: string | VaultSecret): string {
    const s = typeof id === 'object' ? id : this.encryptionSecret(id);
    return encrypt(plaintext, s.password, s.id === 'default' ? undefined : s.id);
  }
}

let current = new Keyring();

/** The CLI sets the run's keyring once, before any file is read. */
export function setKeyring(k: Keyring): void {
  current = k;
}

export function keyring(): Keyring {
  return current;
}

/** Text of a file that may be a vault: decrypted in memory when it is one. */
export function maybeDecryptText(text: string, where: string): string {
  return isVaulted(text) ? current.decrypt(text, where).toString('utf8') : text;
}

/** Plaintexts of vaulted control files, per (cached) file Buffer: PBKDF2 runs once, not once per host. */
const decrypted = new WeakMap<Buffer, Buffer>();

/** Bytes of a file that may be a vault (copy's src). */
export function maybeDecryptBytes(data: Buffer, where: string): Buffer {
  if (!isVaulted(data)) return data;
  let plain = decrypted.get(data);
  if (!plain) {
    plain = current.decrypt(data.toString('latin1'), where);
    decrypted.set(data, plain);
  }
  return plain;
}
