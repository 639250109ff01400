import { basename, relative } from 'node:path';
import type { HostStats } from './stats.js';
import type { FileDiff, ModuleResult } from '../modules/types.js';
import { COLORS, colorize } from './ansi.js';
import type { Callback, HostResult, ItemResult, PlayInfo, TaskInfo } from './events.js';
import { formatDiff } from './diff.js';
import { displayColumns, playbookRunTook, warningText } from './display.js';
import { ansiblePath } from './paths.js';
import type { SourcePos } from '../util/errors.js';
import { pyJson } from './pyjson.js';
import type { Redactor } from './redact.js';

export interface DefaultOutputOptions {
  write: (text: string) => void;
  writeErr: (text: string) => void;
  color: boolean;
  verbosity: number;
  diff: boolean;
  redactor: Redactor;
  columns?: number;
  /** The source line (and caret) at a position, for failures that name the task's file:line:column. */
  excerpt?: (pos: SourcePos) => string | undefined;
  /** An error's text with its position spelled out (operatorErrorText); without it, the message alone. */
  errorText?: (message: string, pos?: SourcePos) => string;
  /** callbacks_enabled names ansible.posix.timer: the run's duration follows the recap. */
  timer?: boolean;
}

/** The position tsrun's task-failure messages end with: "... The error appears to be in task 'x' at 'file:line:col'". */
const TASK_POS = /The error appears to be in task '[^\n]*' at '([^'\n]+):(\d+):(\d+)'$/;

// Ansible's TaskResult.clean_copy drops failed/skipped before the default callback sees a result.
const CLEAN_COPY_DROPS = new Set(['failed', 'skipped']);
// What the default callback's _clean_results keeps of a debug result that has `msg`.
const DEBUG_ALLOWED = new Set(['msg', 'exception', 'warnings', 'deprecations']);
// ... and drops from one printing a variable.
const DEBUG_HIDDEN = ['changed', 'failed', 'skipped', 'invocation', 'skip_reason'];
const INCLUDE_ACTIONS = new Set(['include_tasks', 'include', 'ansible.builtin.include_tasks', 'ansible.builtin.include']);
const CENSORED_KEYS = new Set(['censored', 'changed', 'attempts', 'retries', 'failed', 'skipped', 'unreachable']);

/** Ansible's strip_internal_keys: `_ansible_*` keys go at every depth (registered loop results keep them). */
function stripInternalKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripInternalKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('_ansible_')) out[k] = stripInternalKeys(v);
  return out;
}

/** The human output of ansible-playbook's default stdout callback (ansible-core 2.14). */
export class DefaultOutput implements Callback {
  private readonly cols: number;
  constructor(private readonly o: DefaultOutputOptions) {
    // Ansible's Display: max(79, terminal width - 1) columns, 79 when stdout is not a terminal.
    this.cols = displayColumns(o.columns);
  }

  private out(text: string, color?: string): void {
    const safe = this.o.redactor.text(text);
    this.o.write(`${color ? colorize(safe, color, this.o.color) : safe}\n`);
  }

  stepAnswered(question: string): void {
    this.banner(question);
  }

  private excerptsShown = new Set<string>();

  /** Under the first failure that names a task's position, that line with a caret, as load errors show it. */
  private taskExcerpt(msg: unknown): void {
    const m = typeof msg === 'string' ? TASK_POS.exec(msg) : null;
    if (!m || !this.o.excerpt || this.excerptsShown.has(m[0])) return;
    this.excerptsShown.add(m[0]);
    const text = this.o.excerpt({ file: m[1], line: Number(m[2]), column: Number(m[3]) });
    if (text) this.out(text.replace(/\n$/, ''));
  }

  private banner(text: string): void {
    const msg = text.trim();
    this.out(`\n${msg} ${'*'.repeat(Math.max(3, this.cols - msg.length))}`);
  }

  /** clean_copy (no_log censoring keeps only a few keys) then the default callback's _clean_results. */
  private clean(result: ModuleResult, task: TaskInfo): Record<string, unknown> {
    const censored = 'censored' in result;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(result)) {
      if (CLEAN_COPY_DROPS.has(k)) continue;
      if (censored && !CENSORED_KEYS.has(k) && !k.startsWith('_ansible')) continue;
      out[k] = v;
    }
    if (task.resultIsMessage) {
      if ('msg' in out) {
        for (const k of Object.keys(out)) if (!DEBUG_ALLOWED.has(k) && !k.startsWith('_')) delete out[k];
      } else for (const k of DEBUG_HIDDEN) delete out[k];
    }
    return out;
  }

  /** CallbackBase._dump_results: internal keys, invocation, diff and exception are never shown. */
  private dump(result: ModuleResult, task: TaskInfo): string {
    const clean = this.clean(result, task);
    const verbose = clean._ansible_verbose_always === true || this.o.verbosity > 2;
    const shown: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(clean)) {
      if (k.startsWith('_ansible_') || k === 'exception') continue;
      if ((k === 'invocation' || k === 'diff') && this.o.verbosity < 3) continue;
      shown[k] = stripInternalKeys(v);
    }
    return pyJson(shown, verbose ? 4 : undefined);
  }

  private verbose(result: ModuleResult, level = 0): boolean {
    return (this.o.verbosity > level || result._ansible_verbose_always === true) && result._ansible_verbose_override !== true;
  }

  private hostLabel(e: HostResult): string {
    if (!e.delegatedTo || e.delegatedTo === e.host) return e.host;
    const address = e.delegatedHost !== undefined && e.delegatedHost !== e.delegatedTo ? `(${e.delegatedHost})` : '';
    return `${e.host} -> ${e.delegatedTo}${address}`;
  }

  /** A result's item label; censored results lost theirs, which Ansible prints as None. */
  private itemLabel(e: ItemResult): string {
    return 'censored' in e.result ? 'None' : e.label;
  }

  private printDiff(diff: FileDiff | FileDiff[]): void {
    const text = this.o.redactor.text(formatDiff(diff));
    if (!text) return;
    const body = text.endsWith('\n') ? text.slice(0, -1) : text;
    const painted = body.split('\n').map((line) => {
      const color = line.startsWith('+') ? COLORS.diffAdd : line.startsWith('-') ? COLORS.diffRemove : line.startsWith('@@') ? COLORS.diffLines : undefined;
      return color ? colorize(line, color, this.o.color) : line;
    });
    this.o.write(`${painted.join('\n')}\n`);
  }

  included(file: string, hosts: string[], label?: string): void {
    this.out(`included: ${file} for ${hosts.join(', ')}${label !== undefined ? ` => (item=${label})` : ''}`, COLORS.skipped);
  }

  meta(header: string): void {
    if (this.o.verbosity >= 2) this.out(`META: ${header}`, COLORS.debug);
  }

  playbookStart(path: string, plays: number): void {
    if (this.o.verbosity < 2) return;
    this.banner(`PLAYBOOK: ${basename(path)}`);
    this.out(`${plays} plays in ${relative(process.cwd(), path) || path}`, COLORS.debug);
  }

  playStart(play: PlayInfo): void {
    this.banner(`PLAY [${play.name}]`);
  }

  noHostsMatched(): void {
    this.out('skipping: no hosts matched', COLORS.skipped);
  }

  noHostsRemaining(): void {
    this.banner('NO MORE HOSTS LEFT');
  }

  taskStart(task: TaskInfo): void {
    this.banner(`${task.isHandler ? 'RUNNING HANDLER' : 'TASK'} [${task.name}]`);
    if (this.o.verbosity >= 2) this.out(`task path: ${ansiblePath(task.path)}`, COLORS.debug);
  }

  itemResult(e: ItemResult): void {
    const host = this.hostLabel(e);
    const item = `(item=${this.itemLabel(e)})`;
    const action = e.task.action;
    // The task executor sends an item's diff just before the item's ok/changed line (not for failed or skipped items).
    if (this.o.diff && e.result.diff && e.result.changed === true && (e.status === 'ok' || e.status === 'changed')) this.printDiff(e.result.diff);
    switch (e.status) {
      // An unreachable item is reported as a failed one; the task's own result says UNREACHABLE.
      case 'failed':
      case 'unreachable':
        this.out(`failed: [${host}] ${item} => ${this.dump(e.result, e.task)}`, COLORS.failed);
        return;
      case 'skipped': {
        const extra = this.verbose(e.result) ? ` => ${this.dump(e.result, e.task)}` : '';
        this.out(`skipping: [${e.host}] => ${item} ${extra}`, COLORS.skipped);
        return;
      }
      default: {
        if (INCLUDE_ACTIONS.has(action) || action === 'include_role' || action === 'ansible.builtin.include_role') return;
        const word = e.status === 'changed' ? 'changed' : 'ok';
        const extra = this.verbose(e.result) ? ` => ${this.dump(e.result, e.task)}` : '';
        this.out(`${word}: [${host}] => ${item}${extra}`, e.status === 'changed' ? COLORS.changed : COLORS.ok);
      }
    }
  }

  hostResult(e: HostResult): void {
    const host = this.hostLabel(e);
    const action = e.task.action;
    // Loop results are reported item by item; a censored loop result has no items left.
    const isLoop = Array.isArray(e.result.results);
    // Items printed their own diffs as they ran.
    if (this.o.diff && !isLoop && e.result.diff && e.result.changed === true) this.printDiff(e.result.diff);
    switch (e.status) {
      case 'failed':
        if (!isLoop) {
          this.out(`fatal: [${host}]: FAILED! => ${this.dump(e.result, e.task)}`, COLORS.failed);
          this.taskExcerpt(e.result.msg);
        }
        if (e.ignored) this.out('...ignoring', COLORS.skipped);
        return;
      case 'unreachable':
        this.out(`fatal: [${host}]: UNREACHABLE! => ${this.dump(e.result, e.task)}`, COLORS.unreachable);
        if (e.ignored) this.out('...ignoring', COLORS.skipped);
        return;
      case 'skipped': {
        const { results: _items, ...summary } = e.result;
        const extra = this.verbose(e.result) ? ` => ${this.dump(summary, e.task)}` : '';
        this.out(`skipping: [${e.host}]${extra}`, COLORS.skipped);
        return;
      }
      default: {
        // includes print "included:" lines of their own (included) once every host reported
        if (action === 'include_role' || action === 'ansible.builtin.include_role' || INCLUDE_ACTIONS.has(action)) return;
        if (isLoop) return;
        const word = e.status === 'changed' ? 'changed' : 'ok';
        const extra = this.verbose(e.result) ? ` => ${this.dump(e.result, e.task)}` : '';
        this.out(`${word}: [${host}]${extra}`, e.status === 'changed' ? COLORS.changed : COLORS.ok);
      }
    }
  }

  retrying(host: string, task: TaskInfo, retriesLeft: number, result: ModuleResult): void {
    const extra = this.verbose(result, 2) ? `Result was: ${this.dump(result, task)}` : '';
    this.out(`FAILED - RETRYING: [${host}]: ${task.name} (${retriesLeft} retries left).${extra}`, COLORS.debug);
  }

  /** Ansible's default callback lines for async polling (v2_runner_on_async_poll/ok/failed). */
  asyncStatus(host: string, _task: TaskInfo, kind: 'poll' | 'ok' | 'failed', result: ModuleResult): void {
    const inner = result.async_result as ModuleResult | undefined;
    const jid = String(result.ansible_job_id ?? inner?.ansible_job_id ?? 'None');
    if (kind === 'poll') this.out(`ASYNC POLL on ${host}: jid=${jid} started=${String(result.started)} finished=${String(result.finished)}`, COLORS.debug);
    else this.out(`ASYNC ${kind === 'ok' ? 'OK' : 'FAILED'} on ${host}: jid=${jid}`, COLORS.debug);
  }

  /** Ansible's Display prints a warning once per run: the same text again is dropped. */
  private readonly warned = new Set<string>();

  connectionDebug(line: string): void {
    this.out(line, COLORS.verbose);
  }

  warning(message: string, opts?: { worker?: boolean }): void {
    // redacted before wrapping, so a secret is never split across lines
    const text = warningText(this.o.redactor.text(message), this.cols);
    if (!opts?.worker && this.warned.has(text)) return;
    if (!opts?.worker) this.warned.add(text);
    this.o.writeErr(`${colorize(text.replace(/\n$/, ''), COLORS.warn, this.o.color)}\n`);
  }

  error(message: string, pos?: SourcePos): void {
    const text = (this.o.errorText?.(message, pos) ?? message).replace(/\n$/, '');
    this.o.writeErr(`${colorize(`ERROR! ${this.o.redactor.text(text)}`, COLORS.failed, this.o.color)}\n`);
  }

  playbookEnd(stats: Record<string, HostStats>, elapsedMs: number, interrupted: boolean): void {
    if (interrupted) this.out('\n[ERROR]: User interrupted execution', COLORS.failed);
    this.banner('PLAY RECAP');
    // Python's sorted(): by code point, not locale.
    const hosts = Object.entries(stats).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [host, s] of hosts) {
      const field = (lead: string, n: number, color: string) => {
        const text = `${lead}=${String(n).padEnd(4)}`;
        return n !== 0 ? colorize(text, color, this.o.color) : text;
      };
      // ansible.utils.color.hostcolor: unreachable hosts are red like failed ones.
      const hostColor = s.unreachable > 0 || s.failures > 0 ? COLORS.failed : s.changed > 0 ? COLORS.changed : COLORS.ok;
      const name = this.o.color ? colorize(host, hostColor, true).padEnd(37) : host.padEnd(26);
      this.o.write(
        `${name} : ${field('ok', s.ok, COLORS.ok)} ${field('changed', s.changed, COLORS.changed)} ${field('unreachable', s.unreachable, COLORS.unreachable)} ${field('failed', s.failures, COLORS.failed)} ${field('skipped', s.skipped, COLORS.skipped)} ${field('rescued', s.rescued, COLORS.ok)} ${field('ignored', s.ignored, COLORS.warn)}\n`,
      );
    }
    this.out('');
    if (this.o.timer) this.out(playbookRunTook(elapsedMs));
  }
}
