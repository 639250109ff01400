import type { StartAt } from './start-at.js';
import type { Stepper } from './step.js';
import type { Inventory } from '../inventory/index.js';
import type { ModuleDef } from '../modules/types.js';
import type { Callback } from '../output/events.js';
import type { Redactor } from '../output/redact.js';
import type { LoaderOptions, PlayState } from '../playbook/index.js';
import type { Play, Task } from '../playbook/types.js';
import type { PlayVars, VariableManager } from '../vars/manager.js';
import type { ConnectionCache } from './connections.js';
import type { RunOptions } from './options.js';
import type { RunStats } from '../output/stats.js';

/** A host's standing in the current play. */
export interface HostRun {
  name: string;
  failed: boolean;
  unreachable: boolean;
  /** meta: end_host / end_play. */
  ended: boolean;
  /**
   * The host failed where no rescue or always was left to run: in Ansible its task list is
   * done, so even meta: clear_host_errors does not bring it back into this play.
   */
  failedFinal?: boolean;
  /**
   * An include failed for the host where a rescue or always section took it: Ansible's task queue
   * still holds it failed, so it sits out the later plays (the exit status is the iterator's).
   */
  includeFailed?: boolean;
  /** Handler names and listen topics notified and not yet run. */
  notified: Set<string>;
}

/** Shared by everything that runs one playbook. */
export interface RunContext {
  opts: RunOptions;
  inventory: Inventory;
  vars: VariableManager;
  modules: ReadonlyMap<string, ModuleDef>;
  loader: LoaderOptions;
  connections: ConnectionCache;
  callback: Callback;
  stats: RunStats;
  redactor: Redactor;
  signal: AbortSignal;
  limit: <T>(fn: () => Promise<T>) => Promise<T>;
  /** --start-at-task, shared by the playbook's plays. */
  startAt: StartAt;
  stepper: Stepper;
}

/** Shared by everything that runs one play batch. */
export interface PlayContext {
  run: RunContext;
  play: Play;
  playVars: PlayVars;
  hosts: Map<string, HostRun>;
  /** Handlers of the play plus those pulled in by include_role. */
  handlers: Task[];
  taskCounter: { n: number };
  /** meta: end_play ran: no further batch of the play starts. */
  playEnded?: boolean;
  /** Roles include_role has run in this play, so their meta dependencies run once. */
  includedRoles: PlayState;
  /** free / host_pinned: hosts run the task list independently (flush_handlers is per host). */
  freeStrategy?: boolean;
  /** How many times meta: clear_host_errors has run, so an always section can tell it ran inside. */
  errorsCleared?: number;
}

export function isActive(h: HostRun): boolean {
  return !h.failed && !h.unreachable && !h.ended;
}
