import { join } from 'node:path';
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
