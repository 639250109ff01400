import type { FormName } from './forms.js';
import type { MachineInfo } from './machine.js';
import { fmt, median, ratio } from './stats.js';

export type Phase = 'first' | 'second';

export interface Sample {
  hosts: number;
  form: FormName;
  phase: Phase;
  rep: number;
  /** CPU hogs (`yes > /dev/null`) running beside the run; 0 or absent: none. */
  load?: number;
  seconds: number;
  ok: boolean;
  peakMiB: number;
  cpuSeconds: number;
  /** Sum of `changed=` over the recap (tsrun, ansible); undefined for the plain script. */
  changed?: number;
  log: string;
}

export interface PerTaskSamples {
  /** CPU hogs beside these runs (0 or absent: none). */
  load?: number;
  /** Seconds for the 1-task and the 100-task playbook, per tool, successful runs only. */
  tsrun: PerTool;
  ansible: PerTool;
  /** Seconds of single `ssh -S CTL host true` calls on an open master. */
  roundTrips: number[];
  /** Seconds of single `true` round trips through one long-lived remote `sh` (the floor). */
  shellRoundTrips?: number[];
  /** The same with a subshell, `( true )`: the one fork any task that runs a program costs the target. */
  forkRoundTrips?: number[];
  /** The same running `/usr/bin/true`: a fork and an exec, the least a `command: true` task costs the target. */
  programRoundTrips?: number[];
}

export interface PerTool {
  one: number[];
  hundred: number[];
  /** Control-side CPU seconds of the same runs. */
  oneCpu?: number[];
  hundredCpu?: number[];
  failures: string[];
}

export interface Results {
  machine: MachineInfo;
  options: string;
  samples: Sample[];
  /** One entry per load level (a single object in samples written before load levels existed). */
  perTask?: PerTaskSamples | PerTaskSamples[];
  /** Differences in what the forms left on the hosts, or problems seen; empty when all agree. */
  notes: string[];
  /** Exact output of failed runs (tail), keyed by a label. */
  failures: { label: string; tail: string }[];
  /** 1- and 5-minute load averages before the benchmark began (an idle machine shows ~0). */
  loadAtStart: [number, number];
  totalMinutes: number;
}

function med(samples: Sample[], hosts: number, form: FormName, phase: Phase): number {
  return median(samples.filter((s) => s.hosts === hosts && s.form === form && s.phase === phase && s.ok).map((s) => s.seconds));
}

function cell(samples: Sample[], hosts: number, form: FormName, phase: Phase): string {
  const all = samples.filter((s) => s.hosts === hosts && s.form === form && s.phase === phase);
  if (all.length === 0) return 'not run';
  const ok = all.filter((s) => s.ok);
  if (ok.length === 0) return 'FAILED';
  const m = fmt(med(samples, hosts, form, phase));
  return ok.length < all.length ? `${m} (${all.length - ok.length}/${all.length} failed)` : m;
}

function perTaskMs(one: number[], hundred: number[]): number {
  return ((median(hundred) - median(one)) / 99) * 1000;
}

export function renderResults(r: Results): string {
  const hostCounts = [...new Set(r.samples.map((s) => s.hosts))].sort((a, b) => a - b);
  const out: string[] = [];
  const m = r.machine;
  out.push(
    `Measured ${m.date}: ${m.nproc} cores (${m.cpuModel}), ${m.memGiB.toFixed(1)} GiB RAM, Linux ${m.kernel},`,
    `node ${m.node}, ${m.ansible}, ${m.openssh}. Options: \`${r.options}\`; took ${r.totalMinutes.toFixed(1)} min.`,
    `Load average before the benchmark began: ${fmt(r.loadAtStart[0])} (1 min), ${fmt(r.loadAtStart[1])} (5 min)${Math.max(...r.loadAtStart) > 0.5 ? ' — the machine was not idle, so these numbers are noisy' : ''}.`,
  );
  const loadsRun = [...new Set(r.samples.map(loadOf))].sort((a, b) => a - b);
  for (const load of loadsRun) {
    const samples = r.samples.filter((s) => loadOf(s) === load);
    const title = loadsRun.length > 1 || load ? `, ${load ? `${load} CPU hogs (\`yes > /dev/null\`) beside every run` : 'no hogs'}` : '';
    out.push('', `### Deploy playbook (median seconds, wall clock${title})`, '');
    out.push(...deployTable({ ...r, samples }, hostCounts));
  }
  if (loadsRun.length > 1) out.push(...slowdownTable(r.samples, hostCounts, loadsRun));
  const perTask = Array.isArray(r.perTask) ? r.perTask : r.perTask ? [r.perTask] : [];
  if (perTask.length) out.push(...perTaskTable(perTask));
  if (r.notes.length) out.push('', '### Notes from this run', '', ...r.notes.map((n) => `- ${n}`));
  if (r.failures.length) {
    out.push('', '### Failed runs (end of their output)');
    for (const f of r.failures) out.push('', `${f.label}:`, '', '```', f.tail.trimEnd(), '```');
  }
  return out.join('\n') + '\n';
}

const loadOf = (s: { load?: number }): number => s.load ?? 0;

function deployTable(r: Pick<Results, 'samples'>, hostCounts: number[]): string[] {
  const out = [
    '| hosts | run | tsrun | ansible-playbook | plain ssh | ansible ÷ tsrun (target ≥ 15) | tsrun ÷ plain (target ≤ 1.3) | tsrun peak MiB | control-side CPU s (tsrun / ansible / plain) | second-run changed (tsrun / ansible) |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---|---|',
  ];
  for (const n of hostCounts) {
    for (const phase of ['first', 'second'] as const) {
      const t = med(r.samples, n, 'tsrun', phase);
      const a = med(r.samples, n, 'ansible', phase);
      const p = med(r.samples, n, 'plain', phase);
      const peak = Math.max(...r.samples.filter((s) => s.hosts === n && s.form === 'tsrun' && s.phase === phase).map((s) => s.peakMiB).filter(Number.isFinite));
      const changed = (form: FormName): string => {
        const cs = r.samples.filter((s) => s.hosts === n && s.form === form && s.phase === phase && s.ok && s.changed !== undefined).map((s) => s.changed!);
        return cs.length ? String(Math.max(...cs)) : '—';
      };
      const cpu = (form: FormName): string =>
        fmt(median(r.samples.filter((s) => s.hosts === n && s.form === form && s.phase === phase && s.ok).map((s) => s.cpuSeconds)), 1);
      out.push(
        `| ${n} | ${phase} | ${cell(r.samples, n, 'tsrun', phase)} | ${cell(r.samples, n, 'ansible', phase)} | ${cell(r.samples, n, 'plain', phase)} | ${fmt(ratio(a, t), 1)} | ${fmt(ratio(t, p))} | ${fmt(peak, 0)} | ${cpu('tsrun')} / ${cpu('ansible')} / ${cpu('plain')} | ${phase === 'second' ? `${changed('tsrun')} / ${changed('ansible')}` : ''} |`,
      );
    }
  }
  return out;
}

/** Each form's median under load ÷ its median without, per host count and run. */
function slowdownTable(samples: Sample[], hostCounts: number[], loadsRun: number[]): string[] {
  const out: string[] = [];
  for (const load of loadsRun.filter((l) => l > 0)) {
    out.push('', `### Slowdown with ${load} CPU hogs (median under load ÷ median without, same run)`, '');
    out.push('| hosts | run | tsrun | ansible-playbook | plain ssh | tsrun ÷ plain under load | failed runs under load |', '|---:|---|---:|---:|---:|---:|---|');
    const m = (n: number, form: FormName, phase: Phase, l: number): number => med(samples.filter((s) => loadOf(s) === l), n, form, phase);
    for (const n of hostCounts) {
      for (const phase of ['first', 'second'] as const) {
        const slow = (form: FormName): string => fmt(ratio(m(n, form, phase, load), m(n, form, phase, 0)));
        const busy = samples.filter((s) => s.hosts === n && s.phase === phase && loadOf(s) === load);
        const failed = busy.filter((s) => !s.ok);
        out.push(`| ${n} | ${phase} | ${slow('tsrun')} | ${slow('ansible')} | ${slow('plain')} | ${fmt(ratio(m(n, 'tsrun', phase, load), m(n, 'plain', phase, load)))} | ${busy.length ? `${failed.length} of ${busy.length}` : 'not run'} |`);
      }
    }
  }
  return out;
}

/** One markdown table row; an empty cell is written `| |`. */
function tableRow(cells: string[]): string {
  return `|${cells.map((c) => (c ? ` ${c} ` : ' ')).join('|')}|`;
}

function perTaskTable(levels: PerTaskSamples[]): string[] {
  const out = [
    '',
    '### Per-task overhead (1 host, `command: true`)',
    '',
    '| | 1 task, s | 100 tasks, s (target < 0.5 for tsrun) | per task, ms ((t100 − t1) / 99) | ÷ one long-lived shell round trip (target ≤ 2) | ÷ the same with a subshell | ÷ the same running `/usr/bin/true` | ÷ one SSH exec round trip | control-side CPU per task, ms (target ≤ 1) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const notes: string[] = [];
  for (const pt of levels) {
    const at = pt.load ? ` (${pt.load} CPU hogs)` : levels.length > 1 ? ' (no hogs)' : '';
    const rtt = median(pt.roundTrips) * 1000;
    const srt = median(pt.shellRoundTrips ?? []) * 1000;
    const frt = median(pt.forkRoundTrips ?? []) * 1000;
    const prt = median(pt.programRoundTrips ?? []) * 1000;
    const cpu = (t: PerTool): string => (t.oneCpu?.length && t.hundredCpu?.length ? fmt(perTaskMs(t.oneCpu, t.hundredCpu), 2) : '—');
    for (const [name, t] of [['tsrun', pt.tsrun], ['ansible-playbook', pt.ansible]] as const) {
      if (!t.one.length && !t.hundred.length && !t.failures.length) continue;
      const per = perTaskMs(t.one, t.hundred);
      out.push(tableRow([`${name}${at}`, fmt(median(t.one)), fmt(median(t.hundred)), fmt(per, 1), fmt(ratio(per, srt), 2), fmt(ratio(per, frt), 2), fmt(ratio(per, prt), 2), fmt(ratio(per, rtt), 3), cpu(t)]));
      if (t.failures.length) notes.push(`${name}${at} per-task runs failed: ${t.failures.join('; ')}`);
    }
    // A floor's row: its own time, and its ratios to the floors it is measured against.
    const floor = (label: string, ms: string, ratios: { shell?: string; subshell?: string; program?: string; exec?: string }): string =>
      tableRow([label, '', '', ms, ratios.shell ?? '', ratios.subshell ?? '', ratios.program ?? '', ratios.exec ?? '', '']);
    out.push(floor(`\`true\` through one long-lived \`sh\` over ssh${at} (×${pt.shellRoundTrips?.length ?? 0})`, fmt(srt, 2), { shell: '1' }));
    if (pt.forkRoundTrips?.length) out.push(floor(`\`( true )\` through the same \`sh\` (one fork a round trip)${at} (×${pt.forkRoundTrips.length})`, fmt(frt, 2), { shell: fmt(ratio(frt, srt), 2), subshell: '1' }));
    if (pt.programRoundTrips?.length) out.push(floor(`\`/usr/bin/true\` through the same \`sh\` (a fork and an exec)${at} (×${pt.programRoundTrips.length})`, fmt(prt, 2), { shell: fmt(ratio(prt, srt), 2), program: '1' }));
    out.push(floor(`\`ssh -S CTL host true\` on an open master${at} (×${pt.roundTrips.length})`, fmt(rtt, 1), { exec: '1' }));
  }
  if (notes.length) out.push('', ...notes);
  return out;
}

export const BEGIN = '<!-- bench:begin (generated by bench/run.ts; edit outside these markers) -->';
export const END = '<!-- bench:end -->';

/** The markers of a generated block: the unnamed one (the latest run) or a named one (`--block`). */
export function markers(block?: string): { begin: string; end: string } {
  if (!block) return { begin: BEGIN, end: END };
  if (!/^[a-z0-9-]+$/.test(block)) throw new Error(`--block: use a-z, 0-9 and -, got ${JSON.stringify(block)}`);
  return { begin: `<!-- bench:${block}:begin (generated by bench/run.ts or combine.ts --block ${block}; edit outside these markers) -->`, end: `<!-- bench:${block}:end -->` };
}

/**
 * Replaces one generated block of RESULTS.md (the unnamed one, or `block`), keeping everything
 * people wrote around it and every other block; a block not there yet is appended.
 */
export function spliceResults(existing: string | undefined, generated: string, block?: string): string {
  const { begin, end } = markers(block);
  const text = `${begin}\n${generated}${end}\n`;
  const heading = `## ${block ? `Run \`${block}\`` : 'Latest run'}`;
  if (!existing) {
    return `# Benchmark results\n\nThe deploy-like playbook of \`bench/playbook\` in three forms (tsrun, ansible-playbook, plain OpenSSH script) against the lab; see bench/README.md.\n\n${heading}\n\n${text}\n## What each change bought\n\n(Engine changes and the numbers before/after, newest first.)\n`;
  }
  const b = existing.indexOf(begin);
  const e = existing.indexOf(end);
  if (b < 0 || e < b) return `${existing.trimEnd()}\n\n${heading}\n\n${text}`;
  return existing.slice(0, b) + text + existing.slice(e + end.length + 1);
}
