/**
 * `tsrun merge`: the --json documents of the shards of one run (`--shard K/N`) as one
 * document, one recap and one exit code. Shards hold disjoint hosts; a play or task is the
 * same one in every shard when its id (file:line:column) and occurrence agree. Bad input is a
 * TsrunError (exit 1, not 4, which would read as "a host was unreachable"). Pure.
 */
import { RunStats, type HostStats } from './stats.js';
import { TsrunError } from '../util/errors.js';
import type { Duration, JsonPlay } from './json.js';


export interface RunDocument {
  custom_stats: Record<string, unknown>;
  global_custom_stats: Record<string, unknown>;
  plays: JsonPlay[];
  stats: Record<string, HostStats>;
  shard?: string;
}

export interface MergeInput {
  /** Where the document came from, for error messages. */
  source: string;
  doc: unknown;
}

export interface Merged {
  doc: RunDocument;
  /** From the first play's start to the last play's end over all shards. */
  elapsedMs: number;
  /** ansible-playbook's rule: 4 when a host was unreachable, else 2 when one failed, else 0. */
  exitCode: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkDocument(input: MergeInput): RunDocument {
  const d = input.doc;
  if (!isObject(d) || !Array.isArray(d.plays) || !isObject(d.stats)) {
    throw new TsrunError(`${input.source}: not a tsrun --json document (no "plays" list and "stats" mapping)`);
  }
  for (const p of d.plays as unknown[]) {
    if (!isObject(p) || !isObject(p.play) || !Array.isArray(p.tasks)) throw new TsrunError(`${input.source}: a play has no "play" mapping or "tasks" list`);
  }
  return d as unknown as RunDocument;
}

/** Every shard K of N exactly once, or none of the documents names a shard. */
function checkShards(docs: Array<{ source: string; doc: RunDocument }>): void {
  const named = docs.filter((d) => d.doc.shard !== undefined);
  if (named.length === 0) return;
  if (named.length !== docs.length) {
    const plain = docs.find((d) => d.doc.shard === undefined)!;
    throw new TsrunError(`${plain.source} is not from a --shard run, but ${named[0].source} is (shard ${named[0].doc.shard})`);
  }
  const seen = new Map<number, string>();
  let count: number | undefined;
  for (const { source, doc } of docs) {
    const m = /^(\d+)\/(\d+)$/.exec(String(doc.shard));
    if (!m) throw new TsrunError(`${source}: invalid shard ${JSON.stringify(doc.shard)}`);
    const [k, n] = [Number(m[1]), Number(m[2])];
    if (count !== undefined && n !== count) throw new TsrunError(`${source} is shard ${doc.shard}, but another document is of ${count} shards`);
    count = n;
    if (seen.has(k)) throw new TsrunError(`shard ${k}/${n} given twice: ${seen.get(k)} and ${source}`);
    seen.set(k, source);
  }
  const missing = Array.from({ length: count! }, (_, i) => i + 1).filter((k) => !seen.has(k));
  if (missing.length) throw new TsrunError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${count}`).join(', ')}`);
}

function earlier(a: string, b: string): string {
  return a <= b ? a : b;
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a >= b ? a : b;
}

/** Items keyed by id and occurrence, in first-seen order, merged with `join`. */
function mergeById<T>(lists: T[][], idOf: (t: T) => string, copy: (t: T) => T, join: (into: T, from: T) => void): T[] {
  const out = new Map<string, T>();
  for (const list of lists) {
    const occurrences = new Map<string, number>();
    for (const item of list) {
      const id = idOf(item);
      const n = (occurrences.get(id) ?? 0) + 1;
      occurrences.set(id, n);
      const key = `${id}#${n}`;
      const have = out.get(key);
      if (have) join(have, item);
      else out.set(key, copy(item));
    }
  }
  return [...out.values()];
}

export function mergeDocuments(inputs: MergeInput[]): Merged {
  if (inputs.length === 0) throw new TsrunError('tsrun merge needs at least one --json document');
  const docs = inputs.map((i) => ({ source: i.source, doc: checkDocument(i) }));
  checkShards(docs);

  const stats: Record<string, HostStats> = {};
  const owner = new Map<string, string>();
  for (const { source, doc } of docs) {
    for (const [host, s] of Object.entries(doc.stats)) {
      if (owner.has(host)) throw new TsrunError(`host ${host} is in both ${owner.get(host)} and ${source}: shards must not overlap`);
      owner.set(host, source);
      stats[host] = s;
    }
  }

  const joinDuration = (into: Duration, from: Duration): void => {
    into.start = earlier(into.start, from.start);
    const end = later(into.end, from.end);
    if (end !== undefined) into.end = end;
  };
  const plays = mergeById(
    docs.map((d) => d.doc.plays),
    (p) => p.play.id,
    (p) => ({ play: { ...p.play, duration: { ...p.play.duration } }, tasks: p.tasks.map((t) => ({ task: { ...t.task, duration: { ...t.task.duration } }, hosts: { ...t.hosts } })) }),
    (into, from) => {
      joinDuration(into.play.duration, from.play.duration);
      into.tasks = mergeById(
        [into.tasks, from.tasks],
        (t) => t.task.id,
        (t) => ({ task: { ...t.task, duration: { ...t.task.duration } }, hosts: { ...t.hosts } }),
        (ti, tf) => {
          joinDuration(ti.task.duration, tf.task.duration);
          Object.assign(ti.hosts, tf.hosts);
        },
      );
    },
  );

  const starts = plays.map((p) => Date.parse(p.play.duration.start)).filter(Number.isFinite);
  const ends = plays.map((p) => Date.parse(p.play.duration.end ?? '')).filter(Number.isFinite);
  const elapsedMs = starts.length && ends.length ? Math.max(0, Math.max(...ends) - Math.min(...starts)) : 0;
  const run = new RunStats();
  for (const [host, s] of Object.entries(stats)) {
    run.hosts.set(host, s);
    // the shards' documents do not say which failures clear_host_errors forgave
    if (s.failures > 0) run.failedHosts.add(host);
  }
  return { doc: { custom_stats: {}, global_custom_stats: {}, plays, stats: run.toJSON() }, elapsedMs, exitCode: run.exitCode() };
}
