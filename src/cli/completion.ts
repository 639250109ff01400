import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadInventory } from '../inventory/index.js';
import { moduleRegistry } from '../modules/index.js';
import { TsrunError } from '../util/errors.js';
import { complete, type CompletionSources } from './completion/complete.js';
import { BASH_SCRIPT, ZSH_SCRIPT } from './completion/scripts.js';
import { loadConfig } from '../config/index.js';
import { runDefaults } from '../config/run-defaults.js';
import { configCommandLine, CONFIG_ACTIONS } from './config-program.js';
import { docCommandLine } from './doc.js';
import { inventoryCommandLine } from './inventory-program.js';
import { mergeCommandLine } from './merge-program.js';
import { playbookProgram } from './playbook.js';
import { schemaCommandLine } from './schema.js';
import { vaultCommandLine, VAULT_ACTIONS } from './vault-program.js';

function playbookNames(cwd: string): string[] {
  const dir = resolve(cwd, 'playbooks');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => /\.ya?ml$/.test(n))
    .map((n) => n.replace(/\.ya?ml$/, ''))
    .sort();
}

/** The run's own rule when no -i is typed: ansible.cfg / ANSIBLE_INVENTORY, else ./inventory.ini. */
function defaultInventory(cwd: string): string[] {
  const configured = runDefaults(loadConfig(process.env, cwd)).inventory;
  if (configured) return configured.filter((p) => p.includes(',') || existsSync(resolve(cwd, p)));
  return existsSync(resolve(cwd, 'inventory.ini')) ? ['inventory.ini'] : [];
}

function inventoryNames(cwd: string, sources: string[]): string[] {
  try {
    const list = sources.length ? sources : defaultInventory(cwd);
    if (!list.length) return [];
    const inv = loadInventory(list.map((s) => (s.includes(',') && !existsSync(resolve(cwd, s)) ? s : resolve(cwd, s))), { cwd });
    return [...new Set([...inv.groups.keys(), ...inv.hostNames])].sort();
  } catch {
    // A broken inventory completes nothing; the run itself will say what is wrong.
    return [];
  }
}

export function completionSources(cwd: string): CompletionSources {
  return {
    program: playbookProgram(),
    subcommands: {
      inventory: inventoryCommandLine(),
      doc: docCommandLine(),
      schema: schemaCommandLine(),
      vault: vaultCommandLine(),
      config: configCommandLine(),
      merge: mergeCommandLine(),
      completion: null,
    },
    actions: { vault: VAULT_ACTIONS, config: CONFIG_ACTIONS, completion: ['bash', 'zsh'] },
    fileArguments: ['schema', 'vault', 'merge'],
    playbooks: () => playbookNames(cwd),
    hosts: (sources) => inventoryNames(cwd, sources),
    modules: () => [...new Set([...moduleRegistry().values()].map((d) => d.name))].sort(),
  };
}

/** `tsrun completion bash|zsh`: the script to source. */
export function completionProgram(argv: string[], write: (t: string) => void): number {
  const shell = argv[2];
  if (shell === 'bash') write(BASH_SCRIPT);
  else if (shell === 'zsh') write(ZSH_SCRIPT);
  else throw new TsrunError(`tsrun completion: name a shell, bash or zsh (got ${shell === undefined ? 'nothing' : `'${shell}'`})`, { exitCode: 2 });
  return 0;
}

/** `tsrun __complete INDEX WORDS...`: what the shell scripts call on TAB. */
export function completeProgram(argv: string[], cwd: string, write: (t: string) => void): number {
  const index = Number(argv[2]);
  const words = argv.slice(3);
  if (!Number.isInteger(index) || index < 0) return 1;
  const r = complete(words, index, completionSources(cwd));
  write([...r.words, ...(r.files ? [':files'] : [])].map((w) => `${w}\n`).join(''));
  return 0;
}
