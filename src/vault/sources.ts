import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { TsrunError } from '../util/errors.js';
import { Keyring, type VaultSecret } from './keyring.js';

/** Where vault passwords come from, as the operator gave them (CLI, environment, ansible.cfg). */
export interface VaultOptions {
  askVaultPass?: boolean;
  /** --vault-password-file (repeatable); the vault id is "default". */
  passwordFiles?: string[];
  /** --vault-id [label@]source, source = prompt | file | executable script. */
  vaultIds?: string[];
}

export type Prompt = (question: string) => Promise<string>;

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * A password file's contents (whitespace stripped, as Ansible does), or an executable's
 * stdout. A script named *-client gets `--vault-id <label>` (Ansible's client-script protocol).
 */
export function readPasswordSource(source: string, id: string, cwd: string): Buffer {
  const path = resolve(cwd, source);
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new TsrunError(`The vault password file ${source} was not found`);
  }
  if (!st.isFile()) throw new TsrunError(`The vault password file ${source} is not a file`);
  let data: Buffer;
  if (isExecutable(path)) {
    const args = /-client(\.[^.]+)?$/.test(basename(path)) ? ['--vault-id', id] : [];
    const r = spawnSync(path, args, { cwd, stdio: ['inherit', 'pipe', 'pipe'], maxBuffer: 1024 * 1024 });
    if (r.error) throw new TsrunError(`Problem running vault password script ${source} (${r.error.message}). If this is not a script, remove the executable bit from the file.`);
    if (r.status !== 0) throw new TsrunError(`Vault password script ${source} returned non-zero (${r.status}): ${r.stderr.toString().trim()}`);
    data = r.stdout;
  } else data = readFileSync(path);
  const password = Buffer.from(data.toString('utf8').trim(), 'utf8');
  if (!password.length) throw new TsrunError(`Invalid vault password was provided from ${isExecutable(path) ? 'script' : 'file'} (${source})`);
  return password;
}

/** Splits "label@source"; a bare source is the "default" id. */
export function parseVaultId(spec: string): { id: string; source: string } {
  const at = spec.indexOf('@');
  if (at < 0) return { id: 'default', source: spec };
  return { id: spec.slice(0, at) || 'default', source: spec.slice(at + 1) };
}

/** Collects the run's vault secrets; prompts only when asked to (never when stdin is no terminal). */
export async function loadKeyring(opts: VaultOptions, cwd: string, prompt: Prompt): Promise<Keyring> {
  const secrets: VaultSecret[] = [];
  for (const spec of opts.vaultIds ?? []) {
    const { id, source } = parseVaultId(spec);
    if (source === 'prompt' || source === 'prompt_ask_vault_pass') {
      const q = id === 'default' ? 'Vault password: ' : `Vault password (${id}): `;
      secrets.push({ id, password: Buffer.from(await prompt(q), 'utf8') });
    } else secrets.push({ id, password: readPasswordSource(source, id, cwd) });
  }
  for (const file of opts.passwordFiles ?? []) secrets.push({ id: 'default', password: readPasswordSource(file, 'default', cwd) });
  if (opts.askVaultPass) secrets.push({ id: 'default', password: Buffer.from(await prompt('Vault password: '), 'utf8') });
  return new Keyring(secrets);
}
