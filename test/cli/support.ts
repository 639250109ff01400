import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { REPO, type RunOutput } from '../support/runners.js';

export const FIXTURES = join(REPO, 'test/fixtures/cli');
/** The bad-input corpus (issue 10). */
export const BAD = join(REPO, 'test/fixtures/bad');

/** Every tsrun run in these tests must end well before this; a hang is a failure, not a wait. */
export const TIME_LIMIT_MS = 25_000;

/** A Node stack frame ("    at fn (file:1:2)") or a Python traceback means an error escaped. */
export function expectNoStackTrace(out: RunOutput): void {
  const text = out.stdout + out.stderr;
  expect(text).not.toMatch(/^\s+at .+/m);
  expect(text).not.toMatch(/Traceback \(most recent call last\)/);
  expect(text).not.toMatch(/Unexpected error/);
}

/** Host names listed under "hosts (N):" for each play of a --list-hosts output, sorted. */
export function listedHosts(stdout: string): string[][] {
  const plays: string[][] = [];
  let current: string[] | undefined;
  for (const line of stdout.split('\n')) {
    if (/^\s+hosts \(\d+\):/.test(line)) {
      current = [];
      plays.push(current);
    } else if (current && /^ {6}\S/.test(line)) current.push(line.trim());
    else current = undefined;
  }
  return plays.map((p) => p.sort());
}

/** The listing with host lines sorted: ansible-playbook prints a play's hosts in set order. */
export function normaliseListing(stdout: string): string {
  const lines = stdout.split('\n');
  const out: string[] = [];
  let hosts: string[] = [];
  const flush = () => {
    out.push(...hosts.sort());
    hosts = [];
  };
  let inHosts = false;
  for (const line of lines) {
    if (inHosts && /^ {6}\S/.test(line)) {
      hosts.push(line);
      continue;
    }
    if (inHosts) flush();
    inHosts = /^\s+hosts \(\d+\):/.test(line);
    out.push(line);
  }
  flush();
  return out.join('\n');
}

export interface JsonDoc {
  plays: { play: { name: string }; tasks: { task: { name: string }; hosts: Record<string, Record<string, unknown>> }[] }[];
  stats: Record<string, Record<string, number>>;
}

export function parseJsonDoc(text: string, who: string): JsonDoc {
  const start = text.indexOf('{');
  try {
    return JSON.parse(text.slice(start)) as JsonDoc;
  } catch {
    throw new Error(`${who} printed no JSON document:\n${text}`);
  }
}

/** The `msg` of every debug result, per task name and host: what -e tests compare. */
export function debugMessages(doc: JsonDoc): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const play of doc.plays) {
    for (const t of play.tasks) {
      for (const [host, r] of Object.entries(t.hosts)) {
        if (r.msg === undefined) continue;
        (out[t.task.name] ??= {})[host] = r.msg;
      }
    }
  }
  return out;
}

/** An `ERROR!` as tsrun (and Ansible) print a load error, read back into its parts. */
export interface PrintedError {
  /** The text after `ERROR! ` up to the position block (all of it when there is none). */
  message: string;
  /** From "The error appears to be in '<file>': line N, column M": absolute file. */
  file?: string;
  line?: number;
  column?: number;
  /** The lines under "The offending line appears to be:" (the one before, the line, the caret). */
  shown?: string[];
}

const DETAILS = /\n\nThe error appears to be in '([^'\n]+)': line (\d+), column (\d+), but may\nbe elsewhere in the file depending on the exact syntax problem\.\n(?:\nThe offending line appears to be:\n\n([^\n]*)\n([^\n]*)\n([^\n]*)\n)?/;

/** The first `ERROR! ...` of `stderr`; undefined when there is none. */
export function printedError(stderr: string): PrintedError | undefined {
  const at = stderr.startsWith('ERROR! ') ? 0 : stderr.indexOf('\nERROR! ') + 1;
  if (at === 0 && !stderr.startsWith('ERROR! ')) return undefined;
  const text = stderr.slice(at + 'ERROR! '.length);
  const m = DETAILS.exec(text);
  if (!m) return { message: text.replace(/\n$/, '') };
  return { message: text.slice(0, m.index), file: m[1], line: Number(m[2]), column: Number(m[3]), ...(m[4] !== undefined ? { shown: [m[4], m[5], m[6]] } : {}) };
}

/** The error as `file:line:column: message` (file relative to `dir`), tsrun's compact form, for matching. */
export function compactError(e: PrintedError, dir: string): string {
  return e.file === undefined ? e.message : `${relative(dir, e.file)}:${e.line}:${e.column}: ${e.message}`;
}

/**
 * The offending line is the file's line `line` (the last line with text at or before it, as
 * Ansible picks it), the line before it is shown too, and the caret sits under `column`.
 */
export function expectShownLine(e: PrintedError): void {
  expect(e.shown, e.message).toBeDefined();
  const lines = readFileSync(e.file!, 'utf8').replace(/\n$/, '').split('\n');
  let n = Math.min(e.line! - 1, lines.length - 1);
  while (n > 0 && lines[n].trim() === '') n--;
  expect(e.shown![0]).toBe(n > 0 ? lines[n - 1].trimEnd() : '');
  expect(e.shown![1]).toBe(lines[n].trimEnd());
  expect(e.shown![2].replace(/\t/g, ' ')).toBe(`${' '.repeat(e.column! - 1)}^ here`);
}

/**
 * The `[WARNING]: ` messages of `stderr`, each on one line again: Ansible's Display (and tsrun)
 * wrap a warning at 79 columns, so its continuation lines follow it up to a blank line or the
 * next message. textwrap breaks at a space (dropped) or after a hyphen (kept).
 */
export function printedWarnings(stderr: string): string[] {
  const out: string[] = [];
  let current: string[] | undefined;
  for (const line of stderr.split('\n')) {
    if (line.startsWith('[WARNING]: ')) {
      current = [line.slice('[WARNING]: '.length)];
      out.push('');
    } else if (current && line !== '' && !/^(\[[A-Z ]+\]|ERROR!|PLAY|TASK|\s)/.test(line)) current.push(line);
    else current = undefined;
    if (current) out[out.length - 1] = current.reduce((a, l) => (a.endsWith('-') ? a + l : `${a} ${l}`));
  }
  return out;
}
