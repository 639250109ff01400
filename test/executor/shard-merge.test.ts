import { describe, expect, it } from 'vitest';
import { parseShard, shardHosts } from '../../src/executor/shard.js';
import type { HostStats } from '../../src/output/stats.js';
import { mergeDocuments } from '../../src/output/merge.js';

const zero: HostStats = { ok: 0, changed: 0, unreachable: 0, failures: 0, skipped: 0, rescued: 0, ignored: 0 };

function doc(shard: string | undefined, hosts: Record<string, Partial<HostStats>>, start = '2026-12-01T10:00:00.000Z', end = '2026-12-01T10:00:05.000Z') {
  const task = (id: string) => ({ task: { id, name: id, path: id, duration: { start, end } }, hosts: Object.fromEntries(Object.keys(hosts).map((h) => [h, { changed: false }])) });
  return {
    custom_stats: {},
    global_custom_stats: {},
    plays: [{ play: { id: 'p.yml:1:3', name: 'all', path: 'p.yml:1:3', duration: { start, end } }, tasks: [task('p.yml:4:7'), task('p.yml:9:7'), task('p.yml:4:7')] }],
    stats: Object.fromEntries(Object.entries(hosts).map(([h, s]) => [h, { ...zero, ...s }])),
    ...(shard ? { shard } : {}),
  };
}

describe('--shard', () => {
  it('splits the inventory exactly, sizes within one of each other', () => {
    const all = Array.from({ length: 23 }, (_, i) => `h${i}`);
    const parts = [1, 2, 3, 4].map((k) => shardHosts(all, { index: k, count: 4 }));
    expect(parts.flatMap((p) => [...p]).sort()).toEqual([...all].sort());
    expect(parts.map((p) => p.size)).toEqual([6, 6, 6, 5]);
    expect(shardHosts(all, { index: 2, count: 4 })).toEqual(parts[1]);
  });

  it('refuses what is not K/N with 1 <= K <= N', () => {
    expect(parseShard('3/4')).toEqual({ index: 3, count: 4 });
    for (const bad of ['0/4', '5/4', '4', 'a/b', '1/0', '-1/2']) expect(() => parseShard(bad)).toThrow(/--shard expects K\/N/);
  });
});

describe('tsrun merge', () => {
  it('joins stats, plays and tasks (by id and occurrence); exit code as ansible-playbook', () => {
    const m = mergeDocuments([
      { source: 'a', doc: doc('1/2', { h1: { ok: 3 }, h3: { ok: 2, failures: 1 } }) },
      { source: 'b', doc: doc('2/2', { h2: { ok: 3, changed: 1 } }, '2026-12-01T09:59:59.000Z', '2026-12-01T10:00:07.000Z') },
    ]);
    expect(Object.keys(m.doc.stats)).toEqual(['h1', 'h2', 'h3']);
    expect(m.doc.plays).toHaveLength(1);
    expect(m.doc.plays[0].tasks.map((t) => t.task.id)).toEqual(['p.yml:4:7', 'p.yml:9:7', 'p.yml:4:7']);
    expect(Object.keys(m.doc.plays[0].tasks[2].hosts).sort()).toEqual(['h1', 'h2', 'h3']);
    expect(m.doc.plays[0].play.duration).toEqual({ start: '2026-12-01T09:59:59.000Z', end: '2026-12-01T10:00:07.000Z' });
    expect(m.elapsedMs).toBe(8000);
    expect(m.exitCode).toBe(2);
    const unreachable = mergeDocuments([{ source: 'a', doc: doc(undefined, { h1: { unreachable: 1 }, h2: { failures: 1 } }) }]);
    expect(unreachable.exitCode).toBe(4);
  });

  it('refuses missing, repeated or overlapping shards and foreign documents', () => {
    const a = { source: 'a.json', doc: doc('1/3', { h1: {} }) };
    const b = { source: 'b.json', doc: doc('2/3', { h2: {} }) };
    expect(() => mergeDocuments([a, b])).toThrow('missing shard 3/3');
    expect(() => mergeDocuments([a, { ...a, source: 'c.json' }])).toThrow('shard 1/3 given twice: a.json and c.json');
    expect(() => mergeDocuments([a, { source: 'd.json', doc: doc('2/2', { h4: {} }) }])).toThrow('d.json is shard 2/2, but another document is of 3 shards');
    expect(() => mergeDocuments([{ source: 'x', doc: doc(undefined, { h1: {} }) }, { source: 'y', doc: doc(undefined, { h1: {} }) }])).toThrow('host h1 is in both x and y');
    expect(() => mergeDocuments([a, { source: 'e.json', doc: doc(undefined, { h5: {} }) }])).toThrow('e.json is not from a --shard run');
    expect(() => mergeDocuments([{ source: 'f.json', doc: { hello: 1 } }])).toThrow('f.json: not a tsrun --json document');
    expect(() => mergeDocuments([])).toThrow('at least one');
  });
});
