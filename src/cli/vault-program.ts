import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { TsrunError } from '../util/errors.js';
import { createFile, decryptFiles, editFile, encryptFiles, encryptStrings, rekeyFiles, viewFiles, type VaultIo } from '../vault/commands.js';
import { loadKeyring } from '../vault/sources.js';
import { loadConfig } from '../config/index.js';
import { runDefaults } from '../config/run-defaults.js';
import { promptSecret } from './prompt.js';

const collect = (value: string, previous: string[]) => [...previous, value];
export const VAULT_ACTIONS = ['create', 'edit', 'encrypt', 'decrypt', 'view', 'rekey', 'encrypt_string'];
/** Actions that make new vaults ask for a "New" password when none is given, as ansible-vault does. */
const CREATES = ['create', 'encrypt', 'encrypt_string'];

interface VaultFlags {
  vaultId: string[];
  vaultPasswordFile: string[];
  askVaultPass?: boolean;
  encryptVaultId?: string;
  newVaultId: string[];
  newVaultPasswordFile: string[];
  output?: string;
  name: string[];
  prompt?: boolean;
  stdinName?: string;
}

/** The command line of `tsrun vault` (completion reads its options from here). */
export function vaultCommandLine(): Command {
  return new Command('tsrun vault')
    .usage(`${VAULT_ACTIONS.join('|')} [options] [FILE|STRING...]`)
    .argument('<action>', VAULT_ACTIONS.join(', '))
    .argument('[args...]', 'files (or strings for encrypt_string); none or "-" means stdin')
    .option('--vault-id <id>', 'the vault identity to use, [label@]source (repeatable)', collect, [])
    .option('--vault-password-file <file>', 'vault password file or executable (repeatable)', collect, [])
    .option('-J, --ask-vault-pass', 'ask for the vault password')
    .option('--encrypt-vault-id <id>', 'the vault id used to encrypt (required if more than one vault-id is provided)')
    .option('--new-vault-id <id>', 'the new vault identity to use for rekey', collect, [])
    .option('--new-vault-password-file <file>', 'new vault password file for rekey', collect, [])
    .option('--output <file>', 'output file name for encrypt or decrypt; use - for stdout')
    .option('-n, --name <name>', 'variable name for encrypt_string (repeatable)', collect, [])
    .option('-p, --prompt', 'prompt for the string to encrypt (encrypt_string)')
    .option('--stdin-name <name>', 'encrypt the string read from stdin, with this name (encrypt_string)')
    .exitOverride();
}

/** `tsrun vault ACTION`: ansible-vault's create/edit/encrypt/decrypt/view/rekey/encrypt_string. */
export async function vaultProgram(argv: string[]): Promise<number> {
  const program = vaultCommandLine();
  program.parse(argv);
  const [action, args] = program.processedArgs as [string, string[]];
  const f = program.opts<VaultFlags>();
  if (!VAULT_ACTIONS.includes(action)) throw new TsrunError(`unknown vault action '${action}'; one of ${VAULT_ACTIONS.join(', ')}`, { exitCode: 2 });
  const cwd = process.cwd();
  const prompt = (q: string) => promptSecret(q, 'tsrun vault');
  const config = loadConfig(process.env, cwd);
  const fromConfig = runDefaults(config).vault;
  const given = { askVaultPass: f.askVaultPass, passwordFiles: f.vaultPasswordFile, vaultIds: f.vaultId };
  const anyGiven = Boolean(f.askVaultPass || f.vaultPasswordFile.length || f.vaultId.length);
  let keyring = await loadKeyring(anyGiven ? given : fromConfig, cwd, prompt);
  if (!keyring.secrets.length) keyring = await loadKeyring({ vaultIds: ['prompt'] }, cwd, (q) => prompt(CREATES.includes(action) ? `New ${q}` : q));
  const io: VaultIo = {
    keyring,
    encryptVaultId: f.encryptVaultId ?? config.get<string | null>('DEFAULT_VAULT_ENCRYPT_IDENTITY') ?? undefined,
    readStdin: () => readFileSync(0),
    stdout: (d) => process.stdout.write(d),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
  };
  const files = args.length ? args : [];
  switch (action) {
    case 'create':
    case 'edit':
      if (files.length !== 1) throw new TsrunError(`${action} takes exactly one file name`, { exitCode: 2 });
      (action === 'create' ? createFile : editFile)(files[0], io);
      break;
    case 'encrypt':
      encryptFiles(files, f.output, io);
      break;
    case 'decrypt':
      decryptFiles(files, f.output, io);
      break;
    case 'view':
      viewFiles(files, io);
      break;
    case 'rekey':
      if (!files.length) throw new TsrunError('rekey needs at least one file name', { exitCode: 2 });
      io.newKeyring = await loadKeyring({ passwordFiles: f.newVaultPasswordFile, vaultIds: f.newVaultId.length || f.newVaultPasswordFile.length ? f.newVaultId : ['prompt'] }, cwd, (q) => prompt(`New ${q}`));
      rekeyFiles(files, io);
      break;
    case 'encrypt_string':
      encryptStrings(await stringsToEncrypt(args, f, prompt), io);
      break;
  }
  return 0;
}

/** encrypt_string's values: arguments (named by --name in order), --stdin-name, or -p. */
async function stringsToEncrypt(args: string[], f: VaultFlags, prompt: (q: string) => Promise<string>): Promise<{ name?: string; value: string }[]> {
  if (f.stdinName !== undefined) return [{ name: f.stdinName, value: readFileSync(0, 'utf8') }];
  if (f.prompt) return [{ name: f.name[0], value: await prompt('String to encrypt: ') }];
  if (!args.length || (args.length === 1 && args[0] === '-')) return [{ name: f.name[0], value: readFileSync(0, 'utf8') }];
  return args.map((value, i) => ({ name: f.name[i], value }));
}
