import type { HostStats } from './stats.js';
import type { ModuleResult } from '../modules/types.js';
import type { Callback, HostResult, PlayInfo, TaskInfo } from './events.js';
import { displayColumns, warningText } from './display.js';
import { ansiblePath } from './paths.js';
import type { Redactor } from './redact.js';
import type { SourcePos } from '../util/errors.js';

// Internal keys Ansible's json callback lets through; tsrun's other `_ansible_*` keys are its own.
const KEPT_INTERNAL = new Set(['_ansible_no_log', '_ansible_verbose_always', '_ansible_item_label']);

function withoutOwnInternals(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (!k.startsWith('_ansible') || KEPT_INTERNAL.has(k)) out[k] = v;
  return out;
}

/** One loop item as Ansible records it: its label, `failed: false` once run, `_ansible_no_log`. */
function jsonItem(item: unknown): unknown {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
  const r = withoutOwnInternals(item as Record<string, unknown>);
  const loopVar = typeof r.ansible_loop_var === 'string' ? r.ansible_loop_var : 'item';
  if (!('_ansible_item_label' in r) && loopVar in r) r._ansible_item_label = r[loopVar];
  // Ansible builds an include's item results itself; they never went through the module runner.
  if ('include' in r || 'include_args' in r) return r;
  if (!('censored' in r)) r._ansible_no_log ??= false;
  if (r.skipped !== true) r.failed ??= false;
  return r;
}

/**
 * A host's result as ansible-core 2.14's json callback records it. Results that went through the
 * task executor carry `_ansible_no_log`; loop summaries, include results and censored ones do not.
 */
export function jsonResult(result: ModuleResult): Record<string, unknown> {
  const r = withoutOwnInternals(result);
  if (r.changed === undefined) r.changed = false;
  const isLoop = Array.isArray(r.results);
  // registered results say failed/skipped: false; the json callback's top level never shows those
  if (r.failed === false) delete r.failed;
  if (isLoop && r.skipped === false) delete r.skipped;
  if (isLoop) r.results = (r.results as unknown[]).map(jsonItem);
  else if (!('censored' in r) && !('include_args' in r) && r.unreachable !== true) r._ansible_no_log ??= false;
  if ('censored' in r) delete r._ansible_no_log;
  return r;
}

export interface Duration {
  start: string;
  end?: string;
}

export interface JsonTask {
  task: { id: string; name: string; path: string; duration: Duration };
  hosts: Record<string, unknown>;
}

export interface JsonPlay {
  play: { id: string; name: string; path: string; duration: Duration };
  tasks: JsonTask[];
}

/** One JSON document at the end, shaped like ansible-playbook's `json` stdout callback. */
export class JsonOutput implements Callback {
  private readonly plays: JsonPlay[] = [];

  constructor(
    private readonly o: {
      write: (text: string) => void;
      writeErr: (text: string) => void;
      redactor: Redactor;
      /** `K/N` of a --shard run; recorded so `tsrun merge` can check it has every shard once. */
      shard?: string;
      /** The terminal's width, when stdout is one (Display wraps warnings to it). */
      columns?: number;
      /** An error's text with its position spelled out (operatorErrorText); without it, the message alone. */
      errorText?: (message: string, pos?: SourcePos) => string;
    },
  ) {}

  private now(): string {
    return new Date().toISOString();
  }

  private closeTask(): void {
    const play = this.plays.at(-1);
    const task = play?.tasks.at(-1);
    if (task && !task.task.duration.end) task.task.duration.end = this.now();
  }

  playStart(play: PlayInfo): void {
    this.closeTask();
    const last = this.plays.at(-1);
    if (last && !last.play.duration.end) last.play.duration.end = this.now();
    this.plays.push({ play: { ...play, path: ansiblePath(play.path), duration: { start: this.now() } }, tasks: [] });
  }

  noHostsMatched(): void {}

  taskStart(task: TaskInfo): void {
    this.closeTask();
    this.plays.at(-1)?.tasks.push({ task: { id: task.id, name: task.name, path: ansiblePath(task.path), duration: { start: this.now() } }, hosts: {} });
  }

  noHostsRemaining(): void {}

  itemResult(): void {}

  hostResult(e: HostResult): void {
    // the latest entry of this task without this host: under strategy free hosts run tasks concurrently
    const tasks = this.plays.at(-1)?.tasks ?? [];
    const task = [...tasks].reverse().find((t) => t.task.id === e.task.id && !(e.host in t.hosts)) ?? tasks.at(-1);
    if (!task) return;
    // A meta task's result never went through the task executor: Ansible records it as built.
    const r = e.task.action === 'meta' ? withoutOwnInternals(e.result) : jsonResult(e.result);
    // Ansible's callbacks get a copy without `failed`, and the json callback adds it back from the
    // event: an until loop that ran out of retries under a failed_when that held false says
    // failed in the registered result but is reported ok.
    if (e.status === 'failed') r.failed = true;
    else if (e.status !== 'unreachable') delete r.failed;
    task.hosts[e.host] = { ...r, action: e.task.action };
  }

  retrying(): void {}

  /** Ansible's Display prints a warning once per run: the same text again is dropped. */
  private readonly warned = new Set<string>();

  /** On stderr: stdout holds only the JSON document. */
  connectionDebug(line: string): void {
    this.o.writeErr(`${this.o.redactor.text(line)}\n`);
  }

  warning(message: string, opts?: { worker?: boolean }): void {
    const text = warningText(this.o.redactor.text(message), displayColumns(this.o.columns));
    if (!opts?.worker && this.warned.has(text)) return;
    if (!opts?.worker) this.warned.add(text);
    this.o.writeErr(text);
  }

  error(message: string, pos?: SourcePos): void {
    const text = (this.o.errorText?.(message, pos) ?? message).replace(/\n$/, '');
    this.o.writeErr(`ERROR! ${this.o.redactor.text(text)}\n`);
  }

  playbookEnd(stats: Record<string, HostStats>): void {
    this.closeTask();
    const last = this.plays.at(-1);
    if (last && !last.play.duration.end) last.play.duration.end = this.now();
    const doc = { custom_stats: {}, global_custom_stats: {}, plays: this.plays, stats, ...(this.o.shard ? { shard: this.o.shard } : {}) };
    this.o.write(`${this.o.redactor.text(JSON.stringify(doc, null, 4))}\n`);
  }
}
