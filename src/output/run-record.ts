/**
 * Records a run as it happens: when each host started and finished each task, what failed and
 * what changed. The HTML report and the slowest-tasks summary are both drawn from it.
 */
import type { HostStats } from './stats.js';
import type { ModuleResult } from '../modules/types.js';
import { formatDiff } from './diff.js';
import type { HostResult, HostStatus, ItemResult, PlayInfo, TaskInfo } from './events.js';
import type { Redactor } from './redact.js';

export interface HostSpan {
  host: string;
  /** Milliseconds since the run started. */
  start: number;
  end?: number;
  status?: HostStatus;
}

export interface TaskRecord {
  /** Unique within the run (a task that runs twice, e.g. in two plays' batches, gets two records). */
  seq: number;
  name: string;
  path: string;
  action: string;
  play: string;
  spans: HostSpan[];
}

export interface Failure {
  host: string;
  task: string;
  path: string;
  item?: string;
  status: 'failed' | 'unreachable';
  message: string;
  ignored: boolean;
}

export interface Change {
  host: string;
  task: string;
  path: string;
  item?: string;
  diff?: string;
}

export interface RunRecordData {
  startedAt: number;
  elapsedMs: number;
  plays: string[];
  tasks: TaskRecord[];
  failures: Failure[];
  changes: Change[];
  stats: Record<string, HostStats>;
  interrupted: boolean;
}

/** What a person reads first in a failed result. */
function message(r: ModuleResult): string {
  const parts: string[] = [];
  if (r.msg !== undefined) parts.push(typeof r.msg === 'string' ? r.msg : JSON.stringify(r.msg));
  if (typeof r.stderr === 'string' && r.stderr.trim()) parts.push(r.stderr.trim());
  else if (parts.length === 0 && typeof r.stdout === 'string' && r.stdout.trim()) parts.push(r.stdout.trim());
  if (typeof r.rc === 'number' && r.rc !== 0) parts.push(`rc=${r.rc}`);
  return parts.join('\n') || 'failed';
}

export class RunRecord {
  private readonly t0: number;
  private play = '';
  private readonly data: RunRecordData;
  private current = new Map<string, TaskRecord>();
  private readonly now: () => number;

  constructor(
    private readonly redactor: Redactor,
    now: () => number = Date.now,
    private readonly onEnd?: (data: RunRecordData) => void,
  ) {
    this.now = now;
    this.t0 = now();
    this.data = { startedAt: this.t0, elapsedMs: 0, plays: [], tasks: [], failures: [], changes: [], stats: {}, interrupted: false };
  }

  get result(): RunRecordData {
    return this.data;
  }

  playStart(play: PlayInfo): void {
    this.play = play.name;
    this.data.plays.push(play.name);
  }

  taskTargets(task: TaskInfo): void {
    const rec: TaskRecord = { seq: this.data.tasks.length, name: this.redactor.text(task.name), path: task.path, action: task.action, play: this.play, spans: [] };
    this.data.tasks.push(rec);
    this.current.set(task.id, rec);
  }

  hostTaskStart(host: string, task: TaskInfo): void {
    this.current.get(task.id)?.spans.push({ host, start: this.now() - this.t0 });
  }

  hostTaskEnd(host: string, task: TaskInfo, status: HostStatus): void {
    const span = this.current.get(task.id)?.spans.find((s) => s.host === host && s.end === undefined);
    if (!span) return;
    span.end = this.now() - this.t0;
    span.status = status;
  }

  itemResult(e: ItemResult): void {
    this.note(e, e.label);
  }

  hostResult(e: HostResult): void {
    // Loop results were noted item by item.
    if (Array.isArray(e.result.results)) {
      if (e.status === 'failed' && e.result.msg !== undefined && !e.result.results.length) this.note(e);
      return;
    }
    this.note(e);
  }

  private note(e: HostResult, item?: string): void {
    const base = { host: e.host, task: this.redactor.text(e.task.name), path: e.task.path, ...(item !== undefined ? { item: this.redactor.text(item) } : {}) };
    if (e.status === 'failed' || e.status === 'unreachable') {
      this.data.failures.push({ ...base, status: e.status, message: this.redactor.text(message(e.result)), ignored: e.ignored });
    } else if (e.status === 'changed') {
      const diff = e.result.diff ? this.redactor.text(formatDiff(e.result.diff)) : undefined;
      this.data.changes.push({ ...base, ...(diff ? { diff } : {}) });
    }
  }

  playbookEnd(stats: Record<string, HostStats>, elapsedMs: number, interrupted: boolean): void {
    this.data.stats = stats;
    this.data.elapsedMs = Math.max(elapsedMs, this.now() - this.t0);
    this.data.interrupted = interrupted;
    this.onEnd?.(this.data);
  }
}

/** A task's wall time: from its first host's start to its last host's end. */
export function taskDuration(t: TaskRecord): number {
  if (t.spans.length === 0) return 0;
  const start = Math.min(...t.spans.map((s) => s.start));
  const end = Math.max(...t.spans.map((s) => s.end ?? s.start));
  return end - start;
}

/** profile_tasks' summary: the slowest tasks, slowest first. */
export function slowestTasks(data: RunRecordData, count = 20): { name: string; path: string; ms: number; hosts: number }[] {
  return data.tasks
    .map((t) => ({ name: t.name, path: t.path, ms: taskDuration(t), hosts: t.spans.length }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
}

/** The terminal summary, laid out like ansible.posix.profile_tasks: `name ---- 1.23s`. */
export function formatSlowest(data: RunRecordData, columns: number): string {
  const width = Math.max(79, columns - 1);
  const lines = ['', `${'='.repeat(width)}`];
  for (const t of slowestTasks(data)) {
    const secs = ` ${(t.ms / 1000).toFixed(2)}s`;
    const name = `${t.name} `;
    lines.push(`${name.padEnd(width - 9, '-')}${secs.padStart(9, '-')}`);
  }
  return `${lines.join('\n')}\n`;
}
