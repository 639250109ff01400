import type { HostStats } from '../executor/stats.js';
import type { Callback, HostResult, PlayInfo, TaskInfo } from './events.js';
import type { Redactor } from './redact.js';

interface Duration {
  start: string;
  end?: string;
}

interface JsonTask {
  task: { id: string; name: string; path: string; duration: Duration };
  hosts: Record<string, unknown>;
}

interface JsonPlay {
  play: { id: string; name: string; path: string; duration: Duration };
  tasks: JsonTask[];
}

/** One JSON document at the end, shaped like ansible-playbook's `json` stdout callback. */
export class JsonOutput implements Callback {
  private readonly plays: JsonPlay[] = [];

  constructor(
    private readonly o: { write: (text: string) => void; writeErr: (text: string) => void; redactor: Redactor },
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
    this.plays.push({ play: { ...play, duration: { start: this.now() } }, tasks: [] });
  }

  noHostsMatched(): void {}

  taskStart(task: TaskInfo): void {
    this.closeTask();
    this.plays.at(-1)?.tasks.push({ task: { id: task.id, name: task.name, path: task.path, duration: { start: this.now() } }, hosts: {} });
  }

  itemResult(): void {}

  hostResult(e: HostResult): void {
    const task = this.plays.at(-1)?.tasks.at(-1);
    if (!task) return;
    const result: Record<string, unknown> = { ...e.result, action: e.task.action };
    if (result.changed === undefined) result.changed = false;
    for (const k of Object.keys(result)) if (k.startsWith('_ansible') && k !== '_ansible_no_log') delete result[k];
    if (e.ignored) result.ignored = true;
    task.hosts[e.host] = result;
  }

  retrying(): void {}

  warning(message: string): void {
    this.o.writeErr(`[WARNING]: ${this.o.redactor.text(message)}\n`);
  }

  error(message: string): void {
    this.o.writeErr(`ERROR! ${this.o.redactor.text(message)}\n`);
  }

  playbookEnd(stats: Record<string, HostStats>): void {
    this.closeTask();
    const last = this.plays.at(-1);
    if (last && !last.play.duration.end) last.play.duration.end = this.now();
    const doc = { custom_stats: {}, global_custom_stats: {}, plays: this.plays, stats };
    this.o.write(`${this.o.redactor.text(JSON.stringify(doc, null, 4))}\n`);
  }
}
