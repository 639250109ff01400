import { displayColumns, warningText } from '../output/display.js';
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultRunOptions, DEFAULT_FORKS, type RunOptions } from '../executor/options.js';
import { PlaybookRunner, VERSION } from '../executor/playbook-runner.js';
import { formatShard, parseShard, type Shard } from '../executor/shard.js';
import { loadInventory } from '../inventory/index.js';
import { loaderWarning } from '../util/warnings.js';
import { moduleRegistry } from '../modules/index.js';
import type { Callback } from '../output/events.js';
import { Redactor } from '../output/redact.js';
import { letSignalsIn } from '../util/event-loop.js';
import { cacheDirFrom, useParseCache } from '../playbook/parse-cache.js';
import type { Play, Playbook } from '../playbook/types.js';
import { renderValue } from '../template/index.js';
import { plainVars } from '../vars/types.js';
import { TsrunError } from '../util/errors.js';
import { onLoaderWarning } from '../util/warnings.js';
import { parseExtraVars } from './extra-vars.js';
import { interrupted, loadPlaybooks } from './load-playbooks.js';
import { listPlaybook } from './list.js';
import { promptSecret } from './prompt.js';
import { setKeyring } from '../vault/keyring.js';
import { loadKeyring, type VaultOptions } from '../vault/sources.js';
import { configNotes, loadConfig, setActiveConfig } from '../config/index.js';
import { runDefaults } from '../config/run-defaults.js';
import { runLog, withRetryFile, type RunLog } from '../output/run-files.js';
import { stepPrompt } from './step-prompt.js';
import { buildRunOutput, callbackRequested } from './run-output.js';
import { toBool } from '../util/ansible-bool.js';
import { factCacheFromConfig } from '../vars/fact-cache.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function playbookProgram(): Command {
  return new Command('tsrun')
    .description('Run Ansible playbooks over SSH, agentless, without Python')
    .usage('[options] PLAYBOOK...  |  tsrun inventory|doc|schema|completion ...')
    .argument('[playbooks...]', 'playbook files, or names resolved to playbooks/NAME.yml')
    .option('-i, --inventory <path>', 'inventory file, directory or host list (repeatable)', collect, [])
    .option('-e, --extra-vars <vars>', 'key=value, JSON/YAML, or @file (repeatable)', collect, [])
    .option('-l, --limit <pattern>', 'further limit selected hosts to a pattern')
    .option('-t, --tags <tags>', 'only run plays and tasks tagged with these values (repeatable)', collect, [])
    .option('--skip-tags <tags>', 'skip plays and tasks tagged with these values (repeatable)', collect, [])
    .option('-C, --check', "don't make any changes; predict some of the changes that may occur")
    .option('-D, --diff', 'show the differences in files and templates that change')
    .option('-f, --forks <n>', `number of parallel hosts (default ${DEFAULT_FORKS})`, parseForks)
    .option('-u, --user <user>', 'connect as this user')
    .option('-c, --connection <type>', 'connection type to use where no keyword or ansible_connection sets one (ssh, local)')
    .option('-b, --become', 'run operations with become (sudo)')
    .option('--become-user <user>', 'run operations as this user (default root)')
    .option('-K, --ask-become-pass', 'ask for the privilege escalation password')
    .option('-k, --ask-pass', 'ask for the connection password')
    .option('--private-key <file>', 'use this file to authenticate the connection')
    .option('-J, --ask-vault-pass', 'ask for the vault password')
    .option('--vault-password-file <file>', 'vault password file or executable (repeatable)', collect, [])
    .option('--vault-id <id>', 'the vault identity to use, [label@]source (repeatable)', collect, [])
    .option('--start-at-task <name>', 'start the playbook at the task matching this name (or glob)')
    .option('--step', 'one-step-at-a-time: confirm each task before running')
    .option('--list-hosts', 'outputs a list of matching hosts; does not run anything')
    .option('--list-tasks', 'list all tasks that would be executed')
    .option('--list-tags', 'list all available tags')
    .option('--syntax-check', 'perform a syntax check on the playbook, but do not execute it')
    .option('--json', "print one JSON document shaped like ansible-playbook's json callback")
    .option('--shard <K/N>', 'run only the K-th of N deterministic shares of the inventory\'s hosts (merge the --json documents with `tsrun merge`)', parseShardOption)
    .option('--report <file>', 'write a self-contained HTML run report (timeline, recap, failures, diffs); also TSRUN_REPORT')
    .option('--flush-cache', 'clear the fact cache for every host in inventory')
    .option('--profile-tasks', 'print the slowest tasks at the end, like the profile_tasks callback')
    .addOption(new Option('-v, --verbose', 'verbose mode (-vvvv for more)').argParser((_v: string, prev: number) => prev + 1).default(0))
    .version(`tsrun ${VERSION}`, '--version')
    .showHelpAfterError()
    .exitOverride();
}

/** A bare name such as `deploy` means playbooks/deploy.yml, as operators type it. */
export function resolvePlaybookPath(arg: string, cwd: string): string {
  const direct = isAbsolute(arg) ? arg : resolve(cwd, arg);
  if (existsSync(direct)) {
    if (!statSync(direct).isFile()) throw new TsrunError(`the playbook: ${arg} does not appear to be a file`, { exitCode: 1 });
    return direct;
  }
  if (!/[/\\]/.test(arg)) {
    for (const ext of ['.yml', '.yaml']) {
      const candidate = resolve(cwd, 'playbooks', `${arg}${ext}`);
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new TsrunError(`the playbook: ${arg} could not be found`, { exitCode: 1 });
}

function displayPlaybookPath(arg: string, resolved: string, cwd: string): string {
  const direct = isAbsolute(arg) ? arg : resolve(cwd, arg);
  return direct === resolved ? arg : relative(cwd, resolved);
}

function parseShardOption(value: string): Shard {
  try {
    return parseShard(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

function parseForks(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1.');
  return n;
}

interface CliFlags {
  inventory: string[];
  extraVars: string[];
  limit?: string;
  tags: string[];
  skipTags: string[];
  check?: boolean;
  diff?: boolean;
  forks?: number;
  user?: string;
  connection?: string;
  become?: boolean;
  becomeUser?: string;
  askBecomePass?: boolean;
  askPass?: boolean;
  privateKey?: string;
  askVaultPass?: boolean;
  vaultPasswordFile: string[];
  vaultId: string[];
  startAtTask?: string;
  step?: boolean;
  listHosts?: boolean;
  listTasks?: boolean;
  listTags?: boolean;
  syntaxCheck?: boolean;
  json?: boolean;
  shard?: Shard;
  report?: string;
  profileTasks?: boolean;
  flushCache?: boolean;
  verbose: number;
}

function hostKeyChecking(env: NodeJS.ProcessEnv): boolean {
  const v = env.TSRUN_HOST_KEY_CHECKING ?? env.ANSIBLE_HOST_KEY_CHECKING;
  return v === undefined ? true : !['false', 'no', '0', 'off'].includes(v.toLowerCase());
}

function splitList(values: string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

let playsStarted = false;

/** Whether this process went on to run plays (not only a check or a listing): bin/tsrun.js keeps a fuller code cache then. */
export function ranPlays(): boolean {
  return playsStarted;
}

export async function runPlaybooks(argv: string[], signal: AbortSignal, codeIdentity?: string): Promise<number> {
  const program = playbookProgram();
  program.parse(argv);
  const flags = program.opts<CliFlags>();
  const cwd = process.cwd();
  if (program.args.length === 0) {
    program.outputHelp();
    return 1;
  }
  const redactor = new Redactor();
  const config = loadConfig(process.env, cwd);
  setActiveConfig(config);
  const cfg = runDefaults(config);
  const columns = displayColumns(process.stdout.isTTY ? process.stdout.columns : undefined);
  for (const w of [...config.warnings, ...configNotes(config)]) process.stderr.write(warningText(w, columns));
  // vaulted -e @files, vars files and inventories are decrypted as they are read: secrets first
  const keyring = await loadKeyring(vaultSources(flags, cfg.vault), cwd, (q) => promptSecret(q, '--ask-vault-pass/--vault-id'));
  for (const s of keyring.secrets) redactor.add(s.password.toString('utf8'));
  setKeyring(keyring);
  const opts: RunOptions = defaultRunOptions({
    inventory: flags.inventory.length ? flags.inventory.map((i) => (i.includes(',') && !existsSync(i) ? i : resolve(cwd, i))) : cfg.inventory ?? defaultInventory(cwd),
    extraVars: parseExtraVars(flags.extraVars, cwd),
    limit: flags.limit,
    tags: splitList(flags.tags),
    skipTags: splitList(flags.skipTags),
    check: Boolean(flags.check),
    diff: Boolean(flags.diff),
    forks: flags.forks && flags.forks > 0 ? flags.forks : cfg.forks ?? DEFAULT_FORKS,
    remoteUser: flags.user ?? cfg.remoteUser,
    connection: flags.connection,
    become: Boolean(flags.become) || cfg.become,
    becomeUser: flags.becomeUser ?? cfg.becomeUser,
    privateKey: flags.privateKey ? resolve(cwd, flags.privateKey) : cfg.privateKey,
    verbosity: flags.verbose,
    hostKeyChecking: process.env.TSRUN_HOST_KEY_CHECKING !== undefined ? hostKeyChecking(process.env) : cfg.hostKeyChecking,
    timeoutSec: cfg.timeoutSec,
    remotePort: cfg.remotePort,
    sshArgs: cfg.sshArgs,
    startAtTask: flags.startAtTask,
    step: flags.step ? stepPrompt() : undefined,
    cwd,
    shard: flags.shard,
  });
  if (flags.askPass || cfg.askPass) opts.connectionPassword = await promptSecret('SSH password: ', '-k/--ask-pass');
  if (flags.askBecomePass || cfg.askBecomePass) opts.becomePassword = await promptSecret('BECOME password: ', '-K/--ask-become-pass');
  redactor.add(opts.connectionPassword);
  redactor.add(opts.becomePassword);

  const cacheDir = codeIdentity ? cacheDirFrom(process.env) : undefined;
  useParseCache(cacheDir && codeIdentity ? { dir: cacheDir, identity: codeIdentity } : undefined);
  const modules = moduleRegistry();
  const loader = { modules, ...(cfg.rolesPath ? { rolesPath: cfg.rolesPath } : {}) };
  const playbooks: Playbook[] = await loadPlaybooks(program.args.map((a) => resolvePlaybookPath(a, cwd)), loader, keyring.secrets, signal, opts.extraVars);
  // Listings name a playbook as the operator typed it, as ansible-playbook does.
  const shown = program.args.map((a, i) => displayPlaybookPath(a, playbooks[i].path, cwd));
  const log = cfg.logPath ? runLog(cfg.logPath) : undefined;
  const write = (t: string) => (log?.write(t), process.stdout.write(t));
  const writeErr = (t: string) => (log?.write(t), process.stderr.write(t));
  try {
    if (flags.syntaxCheck) {
      onLoaderWarning((m) => writeErr(warningText(redactor.text(m), columns)));
      for (const name of shown) write(`\nplaybook: ${name}\n`);
      return 0;
    }
    const inventory = loadInventory(opts.inventory, { cwd });
    if (inventory.hostNames.length === 0) loaderWarning("provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'");
    // A small playbook and the inventory load on this thread: a Ctrl-C pressed meanwhile is
    // delivered now. Nothing has touched a host yet, so stop here, as ansible-playbook does (exit
    // 99, no recap).
    await letSignalsIn();
    if (signal.aborted) throw interrupted();
    const callback: Callback = buildRunOutput({
      json: Boolean(flags.json) || cfg.json, verbosity: opts.verbosity, diff: opts.diff, redactor, report: flags.report, cwd,
      env: { ...process.env, ...(cfg.noColor ? { ANSIBLE_NOCOLOR: '1' } : {}), ...(cfg.forceColor ? { ANSIBLE_FORCE_COLOR: '1' } : {}) },
      profileTasks: Boolean(flags.profileTasks) || toBool(process.env.TSRUN_PROFILE_TASKS) || callbackRequested('profile_tasks', process.env, cfg.callbacks),
      timer: callbackRequested('timer', process.env, cfg.callbacks),
      stdout: teeTo(process.stdout, log), stderr: teeTo(process.stderr, log), shard: flags.shard && formatShard(flags.shard),
    });
    onLoaderWarning((m) => callback.warning(m));

    if (flags.limit && inventory.selectHosts(flags.limit, { cwd }).length === 0) {
      throw new TsrunError('Specified inventory, host pattern and/or --limit leaves us with no hosts to target.', { exitCode: 1 });
    }
    if (flags.flushCache) {
      // as ansible-playbook: before anything runs (listings too), every inventory host's cached facts go
      const cache = factCacheFromConfig(config, cwd);
      for (const h of inventory.hostNames) cache.remove(h);
    }
    if (flags.listHosts || flags.listTasks || flags.listTags) {
      for (const [i, pb] of playbooks.entries()) {
        const runner = new PlaybookRunner(opts, inventory, modules, loader, callback, redactor, signal);
        const renderTag = (tag: string, play: Play) => renderValue(tag, { vars: plainVars({ ...play.vars, ...opts.extraVars, playbook_dir: play.baseDir }) });
        write(listPlaybook({ ...pb, path: shown[i] }, { hosts: flags.listHosts, tasks: flags.listTasks, tags: flags.listTags }, (p) => runner.selectHosts(p), { only: opts.tags, skip: opts.skipTags }, renderTag));
      }
      return 0;
    }
    let exitCode = 0;
    playsStarted = true;
    for (const pb of playbooks) {
      const cb = cfg.retryFiles ? withRetryFile(callback, pb.path, cfg.retryFiles.savePath, write) : callback;
      const runner = new PlaybookRunner(opts, inventory, modules, loader, cb, redactor, signal);
      const result = await runner.run(pb);
      exitCode = result.exitCode;
      if (exitCode !== 0) break;
    }
    return exitCode;
  } finally {
    log?.flush();
  }
}

/** log_path: what a stream prints also goes to the log (the stream itself is unchanged). */
function teeTo(stream: NodeJS.WriteStream, log: RunLog | undefined): NodeJS.WriteStream {
  if (!log) return stream;
  return new Proxy(stream, {
    get: (target, prop) => {
      const v: unknown = Reflect.get(target, prop);
      if (prop === 'write') return (chunk: unknown, ...rest: unknown[]) => (log.write(String(chunk)), (v as (...a: unknown[]) => boolean).apply(target, [chunk, ...rest]));
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** The command line's vault secrets, else those ansible.cfg / ANSIBLE_* name (as Ansible does). */
function vaultSources(flags: CliFlags, fromConfig: VaultOptions): VaultOptions {
  if (flags.askVaultPass || flags.vaultPasswordFile.length || flags.vaultId.length) return { askVaultPass: flags.askVaultPass, passwordFiles: flags.vaultPasswordFile, vaultIds: flags.vaultId };
  return fromConfig;
}

function defaultInventory(cwd: string): string[] {
  // tsrun's own default first; then Ansible's, which when absent leaves only implicit localhost
  const local = resolve(cwd, 'inventory.ini');
  if (existsSync(local)) return [local];
  return existsSync('/etc/ansible/hosts') ? ['/etc/ansible/hosts'] : [];
}
