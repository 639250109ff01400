/**
 * The live progress line on a terminal: one line under the normal output, redrawn in place,
 * for the task that is running. Output lines are written above it (the line is cleared, the
 * text written, the line drawn again), so the scrollback holds exactly what a run without a
 * terminal prints.
 */
import type { HostStatus, TaskInfo } from './events.js';
import { formatBytes, formatDuration } from './terminal.js';

/** Pushes below this size finish too fast to be worth a figure. */
export const TRANSFER_SHOWN_BYTES = 1024 * 1024;

interface Transfer {
  sent: number;
  total: number;
  /** When sending began: the last report of 0 bytes (a push is announced, then may wait its turn). */
  started: number;
}

export interface ProgressOptions {
  /** Raw terminal writer (stdout). */
  write: (text: string) => void;
  color: boolean;
  /** Current terminal width; read at every redraw, so a resize takes effect. */
  columns: () => number;
  now?: () => number;
  /** Redraw period for the elapsed time; 0 disables the timer (tests drive `draw`). */
  intervalMs?: number;
}

export interface ProgressState {
  task: string;
  total: number;
  done: number;
  /** Host still running that started first, since when, and how many others still run. */
  slowest?: { host: string; ms: number; others: number };
  elapsedMs: number;
  transfer?: { sent: number; total: number; rate: number; etaMs?: number };
}

export class ProgressLine {
  private task?: TaskInfo;
  private started = 0;
  private targets: string[] = [];
  private readonly running = new Map<string, number>();
  private readonly finished = new Set<string>();
  private readonly transfers = new Map<string, Transfer>();
  private shown = false;
  private timer?: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(private readonly o: ProgressOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Wraps the output's writer: text goes above the line. */
  wrap(write: (text: string) => void): (text: string) => void {
    return (text) => {
      this.clear();
      write(text);
      this.draw();
    };
  }

  taskTargets(task: TaskInfo, hosts: string[], usesTerminal = false): void {
    this.stop();
    // A prompt (pause) owns the terminal's last line while it waits.
    if (usesTerminal) return;
    this.task = task;
    this.targets = hosts;
    this.started = this.now();
    this.running.clear();
    this.finished.clear();
    this.transfers.clear();
    this.startTimer();
    this.draw();
  }

  hostTaskStart(host: string): void {
    this.running.set(host, this.now());
    this.draw();
  }

  hostTaskEnd(host: string, _task: TaskInfo, _status: HostStatus): void {
    this.running.delete(host);
    this.finished.add(host);
    const t = this.transfers.get(host);
    if (t) t.sent = t.total;
    if (this.finished.size >= this.targets.length) this.stop();
    else this.draw();
  }

  transfer(host: string, _task: TaskInfo, sent: number, total: number): void {
    let t = this.transfers.get(host);
    if (!t || t.total !== total || sent < t.sent) {
      t = { sent: 0, total, started: this.now() };
      this.transfers.set(host, t);
    }
    if (sent === 0) t.started = this.now();
    t.sent = sent;
  }

  /** The task is over (all hosts reported) or the run ends: the line goes away. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.task = undefined;
    this.clear();
  }

  state(): ProgressState | undefined {
    if (!this.task) return undefined;
    const now = this.now();
    let slowest: ProgressState['slowest'];
    for (const [host, since] of this.running) if (!slowest || now - since > slowest.ms) slowest = { host, ms: now - since, others: this.running.size - 1 };
    const st: ProgressState = { task: this.task.name, total: this.targets.length, done: this.finished.size, slowest, elapsedMs: now - this.started };
    let sent = 0;
    let total = 0;
    let rate = 0;
    for (const t of this.transfers.values()) {
      if (t.total < TRANSFER_SHOWN_BYTES) continue;
      sent += t.sent;
      total += t.total;
      const secs = (now - t.started) / 1000;
      if (t.sent < t.total && secs > 0) rate += t.sent / secs;
    }
    if (total > 0) {
      // Hosts push side by side: the remaining bytes drain at the summed rate.
      const left = total - sent;
      st.transfer = { sent, total, rate, etaMs: rate > 0 ? (left / rate) * 1000 : left === 0 ? 0 : undefined };
    }
    return st;
  }

  /** The line's text, cut to the terminal width (minus one column, so it never wraps). */
  render(): string | undefined {
    const st = this.state();
    if (!st) return undefined;
    const parts = [`[${st.done}/${st.total} hosts]`];
    if (st.slowest) parts.push(`waiting on ${st.slowest.host}${st.slowest.others ? ` +${st.slowest.others}` : ''} ${formatDuration(st.slowest.ms)}`);
    parts.push(`elapsed ${formatDuration(st.elapsedMs)}`);
    if (st.transfer) {
      const t = st.transfer;
      const eta = t.etaMs === undefined ? '--' : formatDuration(t.etaMs);
      parts.push(`${formatBytes(t.sent)}/${formatBytes(t.total)} ${formatBytes(t.rate)}/s ETA ${eta}`);
    }
    const width = Math.max(20, this.o.columns() - 1);
    const text = `${parts.join(' · ')} · ${st.task}`;
    const cut = [...text].length > width ? `${[...text].slice(0, width - 1).join('')}…` : text;
    return this.o.color ? `\x1b[0;36m${cut}\x1b[0m` : cut;
  }

  draw(): void {
    const line = this.render();
    if (line === undefined) return;
    this.o.write(`\r\x1b[K${line}`);
    this.shown = true;
  }

  private clear(): void {
    if (!this.shown) return;
    this.o.write('\r\x1b[K');
    this.shown = false;
  }

  private startTimer(): void {
    const every = this.o.intervalMs ?? 250;
    if (this.timer || every <= 0) return;
    this.timer = setInterval(() => this.draw(), every);
    this.timer.unref();
  }
}
