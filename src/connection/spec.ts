/** ConnectionSpec from a host's Ansible connection variables. Pure. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../util/errors.js';
import { parseSshArgStrings } from './ssh-args.js';
import { parseBool } from '../util/ansible-bool.js';
import type { ConnectionSpec } from './types.js';

/** ConnectionSpec plus what the contract has no field for. */
export interface SshConnectionSpec extends ConnectionSpec {
  /** StrictHostKeyChecking=accept-new: unknown hosts are accepted, changed keys refused. */
  acceptNewHostKeys?: boolean;
  /** Further private keys to try (all -i / IdentityFile given, in order). */
  extraPrivateKeyFiles?: string[];
  /** Keepalive probe interval (0: none) and how many may go unanswered before the host is lost. */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
}

export interface SpecOptions {
  defaultUser?: string;
  privateKeyFile?: string;
  hostKeyChecking?: boolean;
  env?: NodeJS.ProcessEnv;
  /** ansible.cfg / ANSIBLE_* defaults: [defaults] timeout, remote_port, [ssh_connection] ssh_args. */
  timeoutSec?: number;
  port?: number;
  sshArgs?: string;
}

const DEFAULT_TIMEOUT_SEC = 10;
/** OpenSSH's ServerAliveCountMax default, used when only ServerAliveInterval is given. */
const OPENSSH_ALIVE_COUNT = 3;

/**
 * Keepalives: `-o ServerAliveInterval/ServerAliveCountMax` as OpenSSH reads them. Without
 * them, a probe every timeout/2 and 2 unanswered probes allowed: a host or link that goes dead
 * is noticed within 1.5 x the connection timeout (15 s by default), instead of when TCP gives up.
 */
export function keepalive(timeoutSec: number, intervalSec?: number, countMax?: number): { intervalMs: number; countMax: number } {
  if (intervalSec !== undefined) return { intervalMs: intervalSec * 1000, countMax: countMax ?? OPENSSH_ALIVE_COUNT };
  return { intervalMs: Math.max(1000, Math.round((timeoutSec * 1000) / 2)), countMax: countMax ?? 2 };
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return String(v);
}

/** Ansible's boolean strings (`False`, `no`, `0`, `off`, ...). */
export function ansibleBool(v: unknown): boolean | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return parseBool(v);
}

function expandHome(p: string, home: string): string {
  return p === '~' ? home : p.startsWith('~/') ? join(home, p.slice(2)) : p;
}

function kindOf(host: string, v: unknown): 'ssh' | 'local' {
  const c = str(v) ?? 'ssh';
  if (c === 'local') return 'local';
  if (['ssh', 'smart', 'paramiko', 'paramiko_ssh', 'ansible.builtin.ssh', 'ansible.builtin.paramiko_ssh'].includes(c)) return 'ssh';
  if (c === 'ansible.builtin.local') return 'local';
  throw new ConfigError(`${host}: connection type "${c}" is not supported (only ssh and local)`);
}

/** The spec's keepalive, or the default for its connection timeout. */
export function keepaliveOf(spec: SshConnectionSpec): { intervalMs: number; countMax: number } {
  const d = keepalive(spec.connectTimeoutMs / 1000);
  return { intervalMs: spec.keepaliveIntervalMs ?? d.intervalMs, countMax: spec.keepaliveCountMax ?? d.countMax };
}

export function connectionSpecFromVars(host: string, vars: Record<string, unknown>, opts: SpecOptions = {}): SshConnectionSpec {
  const env = opts.env ?? {};
  const home = env.HOME || homedir();
  // Same order as Ansible's ssh plugin builds the command line; in ssh the first value wins.
  const args = parseSshArgStrings([
    str(vars.ansible_ssh_args) ?? opts.sshArgs,
    str(vars.ansible_ssh_common_args),
    str(vars.ansible_ssh_extra_args),
  ]);

  const portVar = str(vars.ansible_port) ?? str(vars.ansible_ssh_port);
  let port = args.port ?? opts.port ?? 22;
  if (portVar !== undefined) {
    port = Number(portVar);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError(`${host}: invalid ansible_port ${JSON.stringify(portVar)}`);
  }

  const keyFiles = [
    str(vars.ansible_ssh_private_key_file) ?? str(vars.ansible_private_key_file) ?? opts.privateKeyFile,
    ...args.identityFiles,
  ]
    .filter((k): k is string => k !== undefined)
    .map((k) => expandHome(k, home));

  const forcedOff = opts.hostKeyChecking === false || ansibleBool(env.ANSIBLE_HOST_KEY_CHECKING) === false ||
    ansibleBool(vars.ansible_host_key_checking) === false || ansibleBool(vars.ansible_ssh_host_key_checking) === false;
  const strict = forcedOff ? 'no' : (args.strictHostKeyChecking ?? 'yes');

  const knownHostsFiles = [
    ...(args.userKnownHostsFiles ?? [join(home, '.ssh', 'known_hosts'), join(home, '.ssh', 'known_hosts2')]),
    ...(args.globalKnownHostsFiles ?? ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']),
  ].map((f) => expandHome(f, home));

  const timeoutVar = str(vars.ansible_timeout) ?? str(vars.ansible_ssh_timeout);
  let timeoutSec = args.connectTimeoutSec ?? opts.timeoutSec ?? (env.ANSIBLE_TIMEOUT ? Number(env.ANSIBLE_TIMEOUT) : DEFAULT_TIMEOUT_SEC);
  if (timeoutVar !== undefined) timeoutSec = Number(timeoutVar);
  if (!Number.isFinite(timeoutSec) || timeoutSec <= 0) throw new ConfigError(`${host}: invalid connection timeout ${JSON.stringify(timeoutVar ?? env.ANSIBLE_TIMEOUT)}`);

  const alive = keepalive(timeoutSec, args.serverAliveIntervalSec, args.serverAliveCountMax);
  const spec: SshConnectionSpec = {
    name: host,
    kind: kindOf(host, vars.ansible_connection),
    host: str(vars.ansible_host) ?? str(vars.ansible_ssh_host) ?? host,
    port,
    user: str(vars.ansible_user) ?? str(vars.ansible_ssh_user) ?? args.user ?? opts.defaultUser,
    password: str(vars.ansible_password) ?? str(vars.ansible_ssh_pass) ?? str(vars.ansible_ssh_password),
    privateKeyFile: keyFiles[0],
    hostKeyChecking: strict !== 'no',
    knownHostsFiles,
    connectTimeoutMs: Math.round(timeoutSec * 1000),
    keepaliveIntervalMs: alive.intervalMs,
    keepaliveCountMax: alive.countMax,
  };
  if (strict === 'accept-new') spec.acceptNewHostKeys = true;
  if (keyFiles.length > 1) spec.extraPrivateKeyFiles = keyFiles.slice(1);
  if (args.proxyJump && args.proxyJump.length) spec.proxyJump = args.proxyJump;
  return spec;
}
