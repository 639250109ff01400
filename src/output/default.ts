import { createTwoFilesPatch } from 'diff';
import type { HostStats } from '../executor/stats.js';
import type { FileDiff, ModuleResult } from '../modules/types.js';
import { COLORS, colorize } from './ansi.js';
import type { Callback, HostResult, ItemResult, PlayInfo, TaskInfo } from './events.js';
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
}

// Ansible's TaskResult.clean_copy drops failed/skipped before the default callback sees a result.
const HIDDEN_KEYS = new Set(['invocation', 'diff', 'exception', 'warnings', 'deprecations', 'failed', 'skipped']);

/** The human output of ansible-playbook's default stdout callback. */
export class DefaultOutput implements Callback {
  private readonly cols: number;

  constructor(private readonly o: DefaultOutputOptions) {
    this.cols = o.columns ?? 80;
  }

  private out(text: string, color?: string): void {
    const safe = this.o.redactor.text(text);
    this.o.write(`${color ? colorize(safe, color, this.o.color) : safe}\n`);
  }

  private banner(text: string): void {
    this.out(`\n${text} ${'*'.repeat(Math.max(3, this.cols - text.length - 1))}`);
  }

  private clean(result: ModuleResult, action: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(result)) {
      if (k.startsWith('_ansible') || (HIDDEN_KEYS.has(k) && !(k === 'invocation' && this.o.verbosity >= 3))) continue;
      out[k] = v;
    }
    if (action === 'debug') delete out.changed;
    return out;
  }

  private dump(result: ModuleResult, action: string): string {
    const verbose = result._ansible_verbose_always === true || this.o.verbosity > 2;
    return pyJson(this.clean(result, action), verbose ? 4 : undefined);
  }

  private hostLabel(e: HostResult): string {
    return e.delegatedTo && e.delegatedTo !== e.host ? `${e.host} -> ${e.delegatedTo}` : e.host;
  }

  private printDiff(result: ModuleResult): void {
    if (!this.o.diff || !result.diff || result.changed !== true) return;
    const diffs: FileDiff[] = Array.isArray(result.diff) ? result.diff : [result.diff];
    for (const d of diffs) {
      if (typeof d.before !== 'string' || typeof d.after !== 'string' || d.before === d.after) continue;
      const patch = createTwoFilesPatch(`before: ${d.before_header ?? ''}`, `after: ${d.after_header ?? ''}`, d.before, d.after);
      for (const line of patch.split('\n').slice(2)) {
        if (line === '') continue;
        const color = line.startsWith('+') ? COLORS.diffAdd : line.startsWith('-') ? COLORS.diffRemove : line.startsWith('@') ? COLORS.diffLines : undefined;
        this.out(line.startsWith('---') || line.startsWith('+++') ? line : line, color);
      }
    }
  }

  private showsResult(result: ModuleResult): boolean {
    return this.o.verbosity > 0 || result._ansible_verbose_always === true;
  }

  playStart(play: PlayInfo): void {
    this.banner(`PLAY [${play.name}]`);
  }

  noHostsMatched(): void {
    this.out('skipping: no hosts matched', COLORS.skipped);
  }

  taskStart(task: TaskInfo): void {
    this.banner(`${task.isHandler ? 'RUNNING HANDLER' : 'TASK'} [${task.name}]`);
    if (this.o.verbosity >= 2) this.out(`task path: ${task.path}`, COLORS.debug);
  }

  itemResult(e: ItemResult): void {
    const host = this.hostLabel(e);
    const item = `(item=${e.label})`;
    this.printDiff(e.result);
    switch (e.status) {
      case 'failed':
        this.out(`failed: [${host}] ${item} => ${this.dump(e.result, e.task.action)}`, COLORS.failed);
        return;
      case 'unreachable':
        this.out(`fatal: [${host}]: UNREACHABLE! ${item} => ${this.dump(e.result, e.task.action)}`, COLORS.unreachable);
        return;
      case 'skipped':
        this.out(`skipping: [${host}] => ${item} `, COLORS.skipped);
        return;
      default: {
        const word = e.status === 'changed' ? 'changed' : 'ok';
        const extra = this.showsResult(e.result) ? ` => ${this.dump(e.result, e.task.action)}` : '';
        this.out(`${word}: [${host}] => ${item}${extra}`, e.status === 'changed' ? COLORS.changed : COLORS.ok);
      }
    }
  }

  hostResult(e: HostResult): void {
    const host = this.hostLabel(e);
    const isLoop = Array.isArray(e.result.results);
    switch (e.status) {
      case 'failed':
        if (isLoop) this.out(`fatal: [${host}]: FAILED! => ${pyJson({ changed: e.result.changed ?? false, msg: e.result.msg ?? 'One or more items failed' })}`, COLORS.failed);
        else this.out(`fatal: [${host}]: FAILED! => ${this.dump(e.result, e.task.action)}`, COLORS.failed);
        if (e.ignored) this.out('...ignoring', COLORS.skipped);
        return;
      case 'unreachable':
        this.out(`fatal: [${host}]: UNREACHABLE! => ${this.dump(e.result, e.task.action)}`, COLORS.unreachable);
        return;
      case 'skipped':
        if (!isLoop) this.out(`skipping: [${host}]`, COLORS.skipped);
        return;
      default: {
        if (isLoop) return;
        if (typeof e.result.include === 'string') {
          this.out(`included: ${e.result.include} for ${host}`, COLORS.skipped);
          return;
        }
        this.printDiff(e.result);
        const word = e.status === 'changed' ? 'changed' : 'ok';
        const extra = this.showsResult(e.result) ? ` => ${this.dump(e.result, e.task.action)}` : '';
        this.out(`${word}: [${host}]${extra}`, e.status === 'changed' ? COLORS.changed : COLORS.ok);
      }
    }
  }

  retrying(host: string, task: TaskInfo, retriesLeft: number, result: ModuleResult): void {
    const extra = this.o.verbosity > 0 ? ` => ${this.dump(result, task.action)}` : '';
    this.out(`FAILED - RETRYING: [${host}]: ${task.name} (${retriesLeft} retries left).${extra}`, COLORS.debug);
  }

  warning(message: string): void {
    this.o.writeErr(`${colorize(`[WARNING]: ${this.o.redactor.text(message)}`, COLORS.warn, this.o.color)}\n`);
  }

  error(message: string): void {
    this.o.writeErr(`${colorize(`ERROR! ${this.o.redactor.text(message)}`, COLORS.failed, this.o.color)}\n`);
  }

  playbookEnd(stats: Record<string, HostStats>, elapsedMs: number, interrupted: boolean): void {
    if (interrupted) this.out('\n[ERROR]: User interrupted execution', COLORS.failed);
    this.banner('PLAY RECAP');
    for (const [host, s] of Object.entries(stats)) {
      const field = (lead: string, n: number, color: string) => {
        const text = `${lead}=${String(n).padEnd(4)}`;
        return n !== 0 ? colorize(text, color, this.o.color) : text;
      };
      const hostColor = s.unreachable > 0 ? COLORS.unreachable : s.failures > 0 ? COLORS.failed : s.changed > 0 ? COLORS.changed : COLORS.ok;
      const name = this.o.color ? colorize(host, hostColor, true).padEnd(37) : host.padEnd(26);
      this.o.write(
        `${name} : ${field('ok', s.ok, COLORS.ok)} ${field('changed', s.changed, COLORS.changed)} ${field('unreachable', s.unreachable, COLORS.unreachable)} ${field('failed', s.failures, COLORS.failed)} ${field('skipped', s.skipped, COLORS.skipped)} ${field('rescued', s.rescued, COLORS.ok)} ${field('ignored', s.ignored, COLORS.skipped)}\n`,
      );
    }
    this.out(`\nElapsed: ${(elapsedMs / 1000).toFixed(2)}s`);
  }
}
