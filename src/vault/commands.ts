import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { TsrunError } from '../util/errors.js';
import { isVaulted } from './format.js';
import type { Keyring, VaultSecret } from './keyring.js';

/** What `tsrun vault` works with: the keyring, stdin/stdout/stderr and the editor. */
export interface VaultIo {
  keyring: Keyring;
  /** Second keyring for rekey (--new-vault-password-file / --new-vault-id). */
  newKeyring?: Keyring;
  encryptVaultId?: string;
  readStdin(): Buffer;
  stdout(data: Buffer | string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
}

const STDIO = '-';

function readInput(file: string, io: VaultIo): Buffer {
  if (file === STDIO) return io.readStdin();
  try {
    return readFileSync(file);
  } catch (err) {
    throw new TsrunError(`input file ${file} could not be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** Writes next to the target and renames, keeping the file's mode: never a half-written vault. */
function writeOutput(file: string, data: Buffer | string, io: VaultIo): void {
  if (file === STDIO) return io.stdout(data);
  const mode = existsSync(file) ? statSync(file).mode & 0o7777 : 0o600;
  const tmp = join(dirname(file), `.${basename(file)}.tsrun-vault-${process.pid}`);
  try {
    writeFileSync(tmp, data, { mode });
    chmodSync(tmp, mode);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new TsrunError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

const vaultFile = (text: string) => `${text}\n`;

function decryptInput(file: string, io: VaultIo): { plain: Buffer; secret: VaultSecret } {
  const data = readInput(file, io);
  if (!isVaulted(data)) throw new TsrunError(`input is not vault encrypted data${file === STDIO ? '' : ` for ${file}`}`);
  return io.keyring.open(data.toString('latin1'), file === STDIO ? 'stdin' : file);
}

export function encryptFiles(files: string[], output: string | undefined, io: VaultIo): void {
  if (output && files.length > 1) throw new TsrunError('--output can only be used with one input file');
  for (const file of files.length ? files : [STDIO]) {
    const data = readInput(file, io);
    if (isVaulted(data)) throw new TsrunError('input is already encrypted');
    writeOutput(output ?? file, vaultFile(io.keyring.encrypt(data, io.encryptVaultId)), io);
  }
  io.stderr('Encryption successful\n');
}

export function decryptFiles(files: string[], output: string | undefined, io: VaultIo): void {
  if (output && files.length > 1) throw new TsrunError('--output can only be used with one input file');
  for (const file of files.length ? files : [STDIO]) writeOutput(output ?? file, decryptInput(file, io).plain, io);
  io.stderr('Decryption successful\n');
}

export function viewFiles(files: string[], io: VaultIo): void {
  for (const file of files.length ? files : [STDIO]) io.stdout(decryptInput(file, io).plain);
}

export function rekeyFiles(files: string[], io: VaultIo): void {
  if (!io.newKeyring?.secrets.length) throw new TsrunError('a new vault password is required: --new-vault-password-file or --new-vault-id');
  for (const file of files) {
    const { plain } = decryptInput(file, io);
    writeOutput(file, vaultFile(io.newKeyring.encrypt(plain, io.encryptVaultId)), io);
  }
  io.stderr('Rekey successful\n');
}

/** The `!vault |` YAML block ansible-vault encrypt_string prints, one per value. */
export function encryptStrings(values: { name?: string; value: string }[], io: VaultIo): void {
  const blocks = values.map(({ name, value }) => {
    const body = io.keyring
      .encrypt(Buffer.from(value, 'utf8'), io.encryptVaultId)
      .split('\n')
      .map((l) => `          ${l}`)
      .join('\n');
    return `${name !== undefined ? `${name}: ` : ''}!vault |\n${body}`;
  });
  io.stdout(blocks.join('\n'));
  io.stderr('\nEncryption successful\n');
}

/**
 * create/edit: the plaintext goes to a private temporary file for $EDITOR (as ansible-vault
 * does; there is no other way to hand it to an editor), which is removed afterwards.
 */
function withEditor(initial: Buffer, io: VaultIo): Buffer {
  const dir = mkdtempSync(join(process.env.XDG_RUNTIME_DIR && existsSync(process.env.XDG_RUNTIME_DIR) ? process.env.XDG_RUNTIME_DIR : tmpdir(), 'tsrun-vault-'));
  const tmp = join(dir, 'plaintext');
  try {
    chmodSync(dir, 0o700);
    writeFileSync(tmp, initial, { mode: 0o600 });
    const editor = io.env.EDITOR || 'vi';
    // EDITOR may carry arguments ("code --wait"): split on whitespace like Ansible's shlex.split
    const [cmd, ...args] = editor.split(/\s+/).filter(Boolean);
    const r = spawnSync(cmd, [...args, tmp], { stdio: 'inherit' });
    if (r.error || r.status !== 0) throw new TsrunError(`editor '${editor}' failed${r.error ? `: ${r.error.message}` : ` with status ${r.status}`}`);
    return readFileSync(tmp);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function createFile(file: string, io: VaultIo): void {
  if (existsSync(file)) throw new TsrunError(`file already exists: ${file}`);
  const secret = io.keyring.encryptionSecret(io.encryptVaultId);
  const plain = withEditor(Buffer.alloc(0), io);
  if (!plain.length) return;
  writeOutput(file, vaultFile(io.keyring.encrypt(plain, secret)), io);
}

export function editFile(file: string, io: VaultIo): void {
  const { plain, secret } = decryptInput(file, io);
  const edited = withEditor(plain, io);
  if (edited.equals(plain)) return;
  writeOutput(file, vaultFile(io.keyring.encrypt(edited, io.encryptVaultId ?? secret)), io);
}
