import { displayColumns, warningText } from './display.js';
import { mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import type { HostStats } from './stats.js';
import type { Callback } from './events.js';
import { TsrunError } from '../util/errors.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Python logging's asctime: "2026-12-01 11:47:00,123". */
function asctime(d = new Date()): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
}

/** SGR colour sequences: the log holds the text without colour, as Ansible logs it. */
const SGR = /\x1b\[[0-9;]*m/g;

/**
 * log_path: what tsrun prints (already redacted) is appended as Ansible's Display logs it: one
 * record per message, "<asctime> p=<pid> u=<user> n=ansible | <message>", the message without
 * its leading newlines and colour, continuation lines as they are. Each write of the output layer
 * is one message (one Display call in Ansible). An unwritable log is an error up front.
 */
export function runLog(path: string): (text: string) => void {
  // Opened once in append mode, as Python's FileHandler does: each record is one write(), not
  // an open, a write and a close (two records a task).
  let fd: number;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, 'a', 0o600);
  } catch (err) {
    throw new TsrunError(`log_path ${path} is not writable: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const user = userInfo().username;
  return (text) => {
    const message = text.replace(SGR, '').replace(/^\n+/, '').replace(/\n$/, '');
    if (message.trim()) writeSync(fd, `${asctime()} p=${process.pid} u=${user} n=ansible | ${message}\n`);
  };
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
