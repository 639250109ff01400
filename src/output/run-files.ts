import { displayColumns, warningText } from './display.js';
import { mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import type { HostStats } from './stats.js';
import type { Callback } from './events.js';
import { TsrunError } from '../util/errors.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Python logging's asctime, "2026-12-01 11:47:00,123"; the local date and time are formatted once a second. */
let asctimeSecond = -1;
let asctimeText = '';
function asctime(now = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== asctimeSecond) {
    const d = new Date(now);
    asctimeText = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    asctimeSecond = second;
  }
  return `${asctimeText},${pad(now - second * 1000, 3)}`;
}

/** SGR colour sequences: the log holds the text without colour, as Ansible logs it. */
const SGR = /\x1b\[[0-9;]*m/g;

/** How long a record may wait in memory before it is written. */
const LOG_FLUSH_MS = 100;

/** Logs with records not yet written; the process's exit writes them (exit handlers may write synchronously). */
const pendingLogs = new Set<() => void>();
let exitHookInstalled = false;

/**
 * log_path: what tsrun prints (already redacted) is appended as Ansible's Display logs it: one
 * record per message, "<asctime> p=<pid> u=<user> n=ansible | <message>", the message without
 * its leading newlines and colour, continuation lines as they are. Each write of the output layer
 * is one message (one Display call in Ansible). An unwritable log is an error up front.
 *
 * Records are written at most LOG_FLUSH_MS after they are made, and at exit, in one append of
 * all that is waiting: writing each record at once cost two writes a task, about a tenth of a
 * trivial task's CPU. Only a process killed outright (SIGKILL) loses what waited.
 */
export interface RunLog {
  write(text: string): void;
  /** Writes what waits now (the run has ended). */
  flush(): void;
}

export function runLog(path: string): RunLog {
  // Opened once in append mode, as Python's FileHandler does.
  let fd: number;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'a', 0o600);
  } catch (err) {
    throw new TsrunError(`log_path ${path} is not writable: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const user = userInfo().username;
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  let failed = false;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    pendingLogs.delete(flush);
    if (!pending) return;
    const text = pending;
    pending = '';
    try {
      writeSync(fd, text);
    } catch (err) {
      // A log that became unwritable (disk full) does not end the run: Python's handler, too,
      // reports the error and goes on.
      if (!failed) process.stderr.write(`[WARNING]: could not write to log_path ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
      failed = true;
    }
  };
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const f of [...pendingLogs]) f();
    });
  }
  const write = (text: string): void => {
    const message = text.replace(SGR, '').replace(/^\n+/, '').replace(/\n$/, '');
    if (!message.trim()) return;
    pending += `${asctime()} p=${process.pid} u=${user} n=ansible | ${message}\n`;
    if (!timer) {
      pendingLogs.add(flush);
      timer = setTimeout(flush, LOG_FLUSH_MS);
      timer.unref();
    }
    if (pending.length >= 64 * 1024) flush();
  };
  return { write, flush };
}

/**
 * retry_files_enabled: the failed and unreachable hosts, one per line, in <playbook>.retry next
 * to the playbook (or in retry_files_save_path). Returns Ansible's hint line.
 */
export function writeRetryFile(playbook: string, stats: Record<string, HostStats>, savePath?: string): string {
  const hosts = Object.entries(stats).filter(([, s]) => s.failures > 0 || s.unreachable > 0).map(([h]) => h).sort();
  if (!hosts.length) return '';
  const file = join(savePath ?? dirname(playbook), `${basename(playbook, extname(playbook))}.retry`);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, hosts.map((h) => `${h}\n`).join(''));
  } catch (err) {
    return warningText(`Could not create retry file '${file}'. ${(err as Error).message}`, displayColumns());
  }
  return `\tto retry, use: --limit @${file}\n`;
}

/** The callback with Ansible's "to retry" line printed just before the recap, as ansible-playbook does. */
export function withRetryFile(cb: Callback, playbook: string, savePath: string | undefined, write: (text: string) => void): Callback {
  const playbookEnd: Callback['playbookEnd'] = (stats, elapsedMs, interrupted) => {
    if (!interrupted) write(writeRetryFile(playbook, stats, savePath));
    cb.playbookEnd(stats, elapsedMs, interrupted);
  };
  return new Proxy(cb, {
    get: (target, prop) => {
      if (prop === 'playbookEnd') return playbookEnd;
      const v: unknown = Reflect.get(target, prop);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
