/**
 * Wall time and peak RSS against hosts, as a PNG next to RESULTS.md, from the raw samples of
 * one or more bench runs (bench/.work/logs/<time>/samples.json; later files win per host count):
 *
 *   npx tsx bench/plot.ts LOGDIR/samples.json [...] [--out bench/scaling.png]
 *
 * Needs rsvg-convert (Debian: librsvg2-bin) for the PNG; the SVG is written beside it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderCharts, type Series } from './lib/plot-svg.js';
import type { Results, Sample } from './lib/report.js';
import { median } from './lib/stats.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string', default: join(benchDir, 'scaling.png') }, note: { type: 'string', default: '' } },
});
if (!positionals.length) throw new Error('give one or more samples.json files');

const byHosts = new Map<number, Sample[]>();
const dates: string[] = [];
for (const f of positionals) {
  const r = JSON.parse(readFileSync(f, 'utf8')) as Results;
  dates.push(r.machine.date.slice(0, 16));
  const hs = new Set(r.samples.map((s) => s.hosts));
  // Runs with CPU hogs beside them (--loads) are left out: the plot shows the machine without them.
  for (const h of hs) byHosts.set(h, r.samples.filter((s) => s.hosts === h && !s.load));
}
const samples = [...byHosts.values()].flat();
const hosts = [...byHosts.keys()].sort((a, b) => a - b);

const point = (form: string, phase: string, field: 'seconds' | 'peakMiB') => (h: number): [number, number] => [
  h,
  median(samples.filter((s) => s.hosts === h && s.form === form && s.phase === phase && s.ok).map((s) => s[field])),
];
const COLORS: Record<string, string> = { tsrun: '#1f77b4', ansible: '#d62728', plain: '#2ca02c' };
const wall: Series[] = [];
for (const form of ['tsrun', 'ansible', 'plain']) {
  for (const phase of ['first', 'second']) {
    wall.push({ label: `${form === 'ansible' ? 'ansible-playbook' : form === 'plain' ? 'plain ssh script' : 'tsrun'}, ${phase} run`, color: COLORS[form]!, dashed: phase === 'second', points: hosts.map(point(form, phase, 'seconds')) });
  }
}
// GNU time reports the largest single process: all of tsrun, but one of ansible-playbook's forks.
const rssLabel: Record<string, string> = { tsrun: 'tsrun peak RSS', ansible: 'ansible, largest process' };
const rss: Series[] = ['tsrun', 'ansible'].flatMap((form) =>
  ['first', 'second'].map((phase) => ({ label: `${rssLabel[form]}, ${phase} run`, color: COLORS[form]!, dashed: phase === 'second', points: hosts.map(point(form, phase, 'peakMiB')) })),
);

const svg = renderCharts(
  [
    { title: 'Wall time of the bench deploy', yLabel: 'seconds (median, log scale)', series: wall, logY: true },
    { title: 'Peak memory (control side)', yLabel: 'MiB (peak RSS, GNU time)', series: rss, limit: { value: 400, label: 'target < 400 MiB' } },
  ],
  `bench/run.ts on the lab, 2-core shared machine; runs of ${[...new Set(dates)].join(', ')} UTC. Medians; missing points were not run or failed.${opt.note ? ` ${opt.note}` : ''}`,
);
const svgPath = opt.out.replace(/\.png$/, '') + '.svg';
writeFileSync(svgPath, svg);
execFileSync('rsvg-convert', ['-f', 'png', '-o', opt.out, svgPath]);
process.stdout.write(`wrote ${opt.out} (and ${svgPath})\n`);
