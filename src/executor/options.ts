import type { Shard } from './shard.js';

/** Everything a run is told from the command line, with Ansible's defaults. */
export interface RunOptions {
  inventory: string[];
  extraVars: Record<string, unknown>;
  limit?: string;
  tags: string[];
  skipTags: string[];
  check: boolean;
  diff: boolean;
  forks: number;
  remoteUser?: string;
  /** -c: the connection type below the `connection` keyword and ansible_connection. */
  connection?: string;
  become: boolean;
  becomeUser?: string;
  becomePassword?: string;
  connectionPassword?: string;
  privateKey?: string;
  verbosity: number;
  /** Host key checking, from ANSIBLE_HOST_KEY_CHECKING or the tsrun equivalent. */
  hostKeyChecking: boolean;
  /** From ansible.cfg / ANSIBLE_*: connection timeout, default port and ssh_args. */
  timeoutSec?: number;
  remotePort?: number;
  sshArgs?: string;
  /** --start-at-task: name or glob of the first task to run. */
  startAtTask?: string;
  /** --step: asks before each task; the answer is y(es), n(o) or c(ontinue). */
  step?: (question: string) => Promise<string>;
  cwd: string;
  /** --shard K/N: only this shard's hosts (see shard.ts). */
  shard?: Shard;
}

export const DEFAULT_FORKS = 50;

export function defaultRunOptions(overrides: Partial<RunOptions> = {}): RunOptions {
  return {
    inventory: [],
    extraVars: {},
    tags: [],
    skipTags: [],
    check: false,
    diff: false,
    forks: DEFAULT_FORKS,
    become: false,
    verbosity: 0,
    hostKeyChecking: true,
    cwd: process.cwd(),
    ...overrides,
  };
}
