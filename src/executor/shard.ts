/**
 * `--shard K/N`: this run takes every N-th host of the inventory, starting at the K-th, so N
 * runs of the same command over the same inventory split its hosts exactly, with shard sizes
 * differing by at most one (a group listed together is spread over all shards). Pure.
 */
import { ConfigError } from '../util/errors.js';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new ConfigError(`--shard expects K/N with 1 <= K <= N (for example 2/4), not ${JSON.stringify(text)}`);
  }
  return { index, count };
}

export function formatShard(s: Shard): string {
  return `${s.index}/${s.count}`;
}

/** The hosts of `all` (in inventory order) that belong to shard `s`. */
export function shardHosts(all: readonly string[], s: Shard): Set<string> {
  return new Set(all.filter((_, i) => i % s.count === s.index - 1));
}
