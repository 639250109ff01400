/**
 * One RESULTS.md block from several bench runs (e.g. 1–50 hosts with ansible-playbook, then
 * 100 and 200 hosts without it, then the per-task run): samples per host count come from the
 * last file that has that host count; the per-task numbers from the last file that has them.
 *
 *   npx tsx bench/combine.ts LOGDIR/samples.json [...] [--out bench/RESULTS.md] [--block NAME]
 *
 * --block NAME writes a named generated block instead of the latest run's (see spliceResults).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderResults, spliceResults, type Results } from './lib/report.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string', default: join(benchDir, 'RESULTS.md') }, block: { type: 'string' } },
});
if (!positionals.length) throw new Error('give one or more samples.json files');

const runs = positionals.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Results);
const byHosts = new Map<number, Results['samples']>();
for (const r of runs) for (const h of new Set(r.samples.map((s) => s.hosts))) byHosts.set(h, r.samples.filter((s) => s.hosts === h));
const last = runs[runs.length - 1]!;
const combined: Results = {
  machine: last.machine,
  options: runs.map((r) => `${r.options} (${r.machine.date.slice(0, 16)}Z, load ${r.loadAtStart[0].toFixed(1)})`).join('; then '),
  samples: [...byHosts.values()].flat(),
  perTask: [...runs].reverse().find((r) => r.perTask)?.perTask,
  notes: runs.flatMap((r) => r.notes),
  failures: runs.flatMap((r) => r.failures),
  loadAtStart: [Math.max(...runs.map((r) => r.loadAtStart[0])), Math.max(...runs.map((r) => r.loadAtStart[1]))],
  totalMinutes: runs.reduce((t, r) => t + r.totalMinutes, 0),
};
const generated = renderResults(combined);
writeFileSync(opt.out, spliceResults(existsSync(opt.out) ? readFileSync(opt.out, 'utf8') : undefined, generated, opt.block));
process.stdout.write(generated);
