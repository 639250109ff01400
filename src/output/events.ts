import type { HostStats } from './stats.js';
import type { ModuleResult } from '../modules/types.js';
import type { SourcePos } from '../util/errors.js';

export type HostStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

export interface PlayInfo {
  id: string;
  name: string;
  path: string;
}

export interface TaskInfo {
  id: string;
  /** As shown in the banner: `role : name`, or the action when unnamed. */
  name: string;
  action: string;
  path: string;
  isHandler: boolean;
  /** The module's results are messages (debug): the default callback shows only msg and status keys. */
  resultIsMessage?: boolean;
}

export interface HostResult {
  host: string;
  delegatedTo?: string;
  /** The delegated host's address (ansible_host), shown when it differs from its name. */
  delegatedHost?: string;
  task: TaskInfo;
  status: HostStatus;
  /** Already censored when the task has no_log. */
  result: ModuleResult;
  ignored: boolean;
}

export interface ItemResult extends HostResult {
  label: string;
}

/** Receives the run as it happens; the default (human) and json outputs implement it. */
export interface Callback {
  /** Before the first play: ansible-playbook -vv names the playbook and counts its plays. */
  playbookStart?(path: string, plays: number): void;
  playStart(play: PlayInfo): void;
  noHostsMatched(play: PlayInfo): void;
  taskStart(task: TaskInfo): void;
  /** any_errors_fatal failed every host still running: the play (and playbook) stops. */
  noHostsRemaining(): void;
  itemResult(event: ItemResult): void;
  hostResult(event: HostResult): void;
  retrying(host: string, task: TaskInfo, retriesLeft: number, result: ModuleResult): void;
  /** An `async:` task with `poll:` checked its job: still running (poll), finished (ok/failed). */
  asyncStatus?(host: string, task: TaskInfo, kind: 'poll' | 'ok' | 'failed', result: ModuleResult): void;
  /**
   * A warning, printed once per run as Ansible's Display does; `worker`: raised while a task ran
   * for a host (Ansible's worker process, whose own Display already dropped repeats within that
   * task), so it is printed even when an earlier task gave the same text.
   */
  warning(message: string, opts?: { worker?: boolean }): void;
  /**
   * Human text the run prints outside results (e.g. "ERROR! ..."); the json callback routes it to
   * stderr. With `pos`, the file, line and that line follow as in Ansible (output/excerpt.ts).
   */
  error(message: string, pos?: SourcePos): void;
  playbookEnd(stats: Record<string, HostStats>, elapsedMs: number, interrupted: boolean): void;
  /** A line Ansible's display.vvv..vvvv prints (connection debug), already gated by verbosity. */
  connectionDebug?(line: string): void;
  /** include_tasks loaded `file` for these hosts (Ansible's v2_playbook_on_include), once all hosts reported. */
  included?(file: string, hosts: string[], label?: string): void;
  /** A meta task did (or skipped) its action: ansible-playbook -vv prints `META: <header>`. */
  meta?(header: string): void;
  /** --step's question was answered; ansible-playbook prints it again as a banner (not under json: it would break the document). */
  stepAnswered?(question: string): void;
  // Live events, as they happen (results above arrive once every host has finished the task).
  // Only the progress line and the run report listen; ansible-playbook's outputs have no such thing.
  /** The hosts a task is about to run on; `usesTerminal`: the action may prompt (pause). */
  taskTargets?(task: TaskInfo, hosts: string[], usesTerminal?: boolean): void;
  hostTaskStart?(host: string, task: TaskInfo): void;
  hostTaskEnd?(host: string, task: TaskInfo, status: HostStatus): void;
  /** A push over the transfer threshold: `sent` of `total` payload bytes for this host. */
  transfer?(host: string, task: TaskInfo, sent: number, total: number): void;
}
