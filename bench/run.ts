/**
 * The performance benchmark (issue 5): the deploy-like playbook of bench/playbook in three forms
 * (tsrun, ansible-playbook, plain OpenSSH script) against the lab, interleaved, first run on
 * fresh hosts and second run unchanged; the per-task overhead; tsrun's peak memory.
 * Writes bench/RESULTS.md (its generated block) and prints it.
 *
 *   npx tsx bench/run.ts [--hosts 1,5,20,50] [--reps 3] [--reps-large 2] [--forms tsrun,ansible,plain]
 *                        [--pertask-reps 3] [--round-trips 50] [--no-pertask] [--keep-lab] [--block NAME]
 *
 * Needs root (the lab) and a built tsrun (`npm run build`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AdminSsh, closeMasters, forEachLimit } from './lib/admin.js';
import { ensureBlob } from './lib/blob.js';
import { ansibleCommand, FORMS, formCommand, tsrunCommand, type FormContext, type FormName } from './lib/forms.js';
import { resetScript, stateScript } from './lib/hostscripts.js';
import { renderHostList, renderInventory, renderTrivialPlaybook, type BenchHost } from './lib/inventory.js';
import { startLab, type BenchLab } from './lib/lab.js';
import { machineInfo } from './lib/machine.js';
import { timedRun, type TimedRun } from './lib/proc.js';
import { parseRecap, totalChanged } from './lib/recap.js';
import { median } from './lib/stats.js';
import { renderResults, spliceResults, type PerTaskSamples, type Phase, type Results, type Sample } from './lib/report.js';
import { checkTwins } from './lib/twins.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoDir = resolve(benchDir, '..');

const { values: opt } = parseArgs({
  options: {
    hosts: { type: 'string', default: '1,5,20,50' },
    reps: { type: 'string', default: '3' },
    'reps-large': { type: 'string', default: '2' },
    'large-from': { type: 'string', default: '50' },
    forms: { type: 'string', default: FORMS.join(',') },
    'pertask-reps': { type: 'string', default: '3' },
    'round-trips': { type: 'string', default: '50' },
    'no-pertask': { type: 'boolean', default: false },
    'keep-lab': { type: 'boolean', default: false },
    'lab-name': { type: 'string', default: 'bench' },
    'app-port': { type: 'string', default: '8080' },
    out: { type: 'string', default: join(benchDir, 'RESULTS.md') },
    // A named generated block of --out (e.g. a scaling run beside the latest full run).
    block: { type: 'string' },
    'run-timeout': { type: 'string', default: '1200' },
    load: { type: 'string', default: '0' },
    // Load levels interleaved in one run: each repetition runs every form at each level in turn.
    loads: { type: 'string' },
    'busy-forms': { type: 'string', default: FORMS.join(',') },
  },
});

const hostCounts = opt.hosts.split(',').map(Number).filter((n) => n > 0).sort((a, b) => a - b);
const forms = opt.forms.split(',').map((f) => f.trim()) as FormName[];
for (const f of forms) if (!FORMS.includes(f)) throw new Error(`unknown form ${f}; use ${FORMS.join(',')}`);
const repsFor = (n: number): number => (n >= Number(opt['large-from']) ? Number(opt['reps-large']) : Number(opt.reps));
const appPort = Number(opt['app-port']);
const runTimeoutMs = Number(opt['run-timeout']) * 1000;
// --load N (N hogs beside every run) is --loads N; --loads 0,2 interleaves an idle and a busy machine.
const loads = (opt.loads ?? opt.load).split(',').map(Number);
const busyForms = opt['busy-forms'].split(',').map((f) => f.trim()) as FormName[];
/** N CPU-bound processes (a busy control machine), started now; the caller kills them. */
function startHogs(n: number): ChildProcess[] {
  return Array.from({ length: n }, () => spawn('sh', ['-c', 'exec yes > /dev/null'], { stdio: 'ignore' }));
}
const stopHogs = (hogs: ChildProcess[]): void => void hogs.forEach((h) => h.kill('SIGKILL'));

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const workDir = join(benchDir, '.work');
const logDir = join(workDir, 'logs', stamp);
mkdirSync(logDir, { recursive: true });

const log = (msg: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
};

function tail(text: string, lines = 25): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** A run counts only if it exited 0 and, where there is a recap, no host failed or was unreachable. */
function judge(form: FormName, r: TimedRun): { ok: boolean; changed?: number; why?: string } {
  if (form === 'plain') return r.exitCode === 0 ? { ok: true } : { ok: false, why: `exit ${r.exitCode}` };
  const recap = parseRecap(r.output);
  if (r.exitCode !== 0) return { ok: false, why: `exit ${r.exitCode}` };
  if (recap.length === 0) return { ok: false, why: 'no PLAY RECAP in the output' };
  const bad = recap.filter((l) => l.failed || l.unreachable);
  if (bad.length) return { ok: false, why: `failed/unreachable on ${bad.map((l) => l.host).join(',')}` };
  return { ok: true, changed: totalChanged(recap) };
}

async function main(): Promise<void> {
  const t0 = Date.now();
  // Other work on this 2-core machine skews every number: note how busy it was before we began.
  const loadAtStart = loadavg().slice(0, 2) as [number, number];
  const blobSum = ensureBlob(join(benchDir, 'playbook', 'files', 'blob.bin'));
  checkTwins(join(benchDir, 'playbook'));
  if (forms.includes('tsrun') && !existsSync(join(repoDir, 'dist', 'cli', 'main.js'))) {
    throw new Error('tsrun is not built: run `npm run build` first');
  }
  const machine = await machineInfo();
  const maxHosts = Math.max(...hostCounts, 1);
  log(`lab ${opt['lab-name']}: bringing up ${maxHosts} hosts; logs in ${relative(repoDir, logDir)}`);
  const lab = await startLab(opt['lab-name'], maxHosts);
  let hogs: ChildProcess[] = [];
  const admin = new AdminSsh(workDir, lab.user, lab.keyFile);
  const appRoot = `${lab.home}/app`;
  const samples: Sample[] = [];
  const notes: string[] = [];
  const failures: Results['failures'] = [];
  let perTask: PerTaskSamples[] | undefined;
  try {
    await admin.open(lab.hosts);
    const reset = (hosts: readonly BenchHost[]): Promise<void> =>
      forEachLimit(hosts, 8, async (h) => void (await admin.exec(h, resetScript(appRoot, appPort))));

    for (const n of hostCounts) {
      const hosts = lab.hosts.slice(0, n);
      const ctx = contextFor(lab, hosts, appRoot);
      const states = new Map<FormName, string>();
      const reps = repsFor(n);
      for (let rep = 0; rep < reps; rep++) {
        // Rotate the order so no form always runs right after another's cleanup.
        const order = forms.map((_, i) => forms[(i + rep + n) % forms.length]!);
        for (const [li, load] of (rep % 2 ? [...loads].reverse() : loads).entries()) for (const form of order) {
          if (load > 0 && !busyForms.includes(form)) continue;
          await reset(hosts);
          // The hogs run only while this form's two runs do (not during the reset).
          hogs = startHogs(load);
          for (const phase of ['first', 'second'] as Phase[]) {
            const label = `${n} hosts, ${form}, ${phase} run, rep ${rep + 1}${load ? `, ${load} CPU hogs` : ''}`;
            const runDir = mkdtempSync(join(workDir, 'run-'));
            const cmd = formCommand(form, { ...ctx, runDir });
            const logFile = join(logDir, `${n}-${form}-${phase}-${rep + 1}${load ? `-load${load}` : ''}.log`);
            const r = await timedRun({ ...cmd, logFile, timeoutMs: runTimeoutMs });
            if (form === 'ansible') await closeAnsibleMasters(runDir);
            rmSync(runDir, { recursive: true, force: true });
            const v = judge(form, r);

            samples.push({ hosts: n, form, phase, rep, load, seconds: r.seconds, ok: v.ok, peakMiB: r.peakMiB, cpuSeconds: r.cpuSeconds, changed: v.changed, log: logFile });
            // Kept as it grows: a run stopped early (too slow on a busy machine) still leaves its samples.
            writeFileSync(join(logDir, 'samples.partial.json'), JSON.stringify({ machine, options: process.argv.slice(2).join(' '), samples, notes, failures, loadAtStart, totalMinutes: (Date.now() - t0) / 60_000 }, null, 2));
            log(`${label}: ${r.seconds.toFixed(2)} s (control-side CPU ${r.cpuSeconds.toFixed(2)} s), ${r.peakMiB.toFixed(0)} MiB${v.ok ? '' : ` FAILED (${v.why})`}${v.changed !== undefined ? `, changed=${v.changed}` : ''}`);
            if (!v.ok && !failures.some((f) => f.label.startsWith(`${form} `))) {
              failures.push({ label: `${form} ${label.replace(`${form}, `, '')} (${v.why}; ${relative(repoDir, logFile)})`, tail: tail(r.output) });
            }
            if (phase === 'second' && v.ok && v.changed) notes.push(`${label}: the unchanged second run reported changed=${v.changed}`);
            if (phase === 'first' && v.ok && rep === 0 && li === 0) {
              const probe = [hosts[0]!, hosts[hosts.length - 1]!];
              const s = await Promise.all(probe.map((h) => admin.exec(h, stateScript(appRoot)).then((t) => `${h.name}\n${t}`, (e: Error) => `${h.name}: ${e.message}`)));
              states.set(form, s.join('\n'));
            }
          }
          stopHogs(hogs);
          hogs = [];
        }
      }
      compareStates(n, states, notes, blobSum);
    }
    await reset(lab.hosts);

    if (!opt['no-pertask']) perTask = await measurePerTask(lab, admin, appRoot);
  } finally {
    stopHogs(hogs);
    await admin.close(lab.hosts);
    if (opt['keep-lab']) log(`lab ${opt['lab-name']} kept (npx tsx test/lab/cli.ts down ${opt['lab-name']})`);
    else await lab.destroy();
  }

  const results: Results = {
    machine,
    options: process.argv.slice(2).join(' ') || '(defaults)',
    samples,
    perTask,
    notes,
    failures,
    loadAtStart,
    totalMinutes: (Date.now() - t0) / 60_000,
  };
  const generated = renderResults(results);
  const out = opt.out;
  writeFileSync(out, spliceResults(existsSync(out) ? readFileSync(out, 'utf8') : undefined, generated, opt.block));
  writeFileSync(join(logDir, 'samples.json'), JSON.stringify(results, null, 2));
  process.stdout.write(generated);
  log(`wrote ${relative(repoDir, out)}; raw samples in ${relative(repoDir, join(logDir, 'samples.json'))}`);
}

function contextFor(lab: BenchLab, hosts: readonly BenchHost[], appRoot: string): Omit<FormContext, 'runDir'> {
  const n = hosts.length;
  const inventory = join(workDir, `inventory-${n}.ini`);
  const hostList = join(workDir, `hosts-${n}.txt`);
  const invOpts = { user: lab.user, keyFile: lab.keyFile, knownHostsFile: lab.knownHostsFile, appRoot, appPort };
  writeFileSync(inventory, renderInventory(hosts, invOpts));
  writeFileSync(hostList, renderHostList(hosts));
  return { repoDir, benchDir, inventory, hostList, hostCount: n, user: lab.user, keyFile: lab.keyFile, knownHostsFile: lab.knownHostsFile, appRoot, appPort };
}

async function closeAnsibleMasters(runDir: string): Promise<void> {
  const cp = join(runDir, 'cp');
  if (existsSync(cp)) await closeMasters(cp, readdirSync(cp));
}

/** The three forms must leave the same files with the same modes and contents. */
function compareStates(n: number, states: Map<FormName, string>, notes: string[], blobSum: string): void {
  const entries = [...states.entries()];
  if (entries.length === 0) return;
  const [refForm, ref] = entries[0]!;
  if (!ref.includes(blobSum)) notes.push(`${n} hosts: ${refForm} left no intact blob.bin on the probed hosts`);
  for (const [form, s] of entries.slice(1)) {
    if (s !== ref) {
      const a = ref.split('\n');
      const b = s.split('\n');
      const onlyRef = a.filter((l) => !b.includes(l)).slice(0, 6);
      const onlyOther = b.filter((l) => !a.includes(l)).slice(0, 6);
      notes.push(`${n} hosts: ${form} left a different state from ${refForm}: only ${refForm}: ${JSON.stringify(onlyRef)}; only ${form}: ${JSON.stringify(onlyOther)}`);
    }
  }
}

/** The per-task samples at each load level of --loads, interleaved: each repetition runs every level in turn. */
async function measurePerTask(lab: BenchLab, admin: AdminSsh, appRoot: string): Promise<PerTaskSamples[]> {
  const host = lab.hosts[0]!;
  const ctx = contextFor(lab, [host], appRoot);
  const books = { one: join(workDir, 'trivial-1.yml'), hundred: join(workDir, 'trivial-100.yml') };
  writeFileSync(books.one, renderTrivialPlaybook(1));
  writeFileSync(books.hundred, renderTrivialPlaybook(100));
  const results = loads.map((load): PerTaskSamples => ({
    load,
    tsrun: { one: [], hundred: [], oneCpu: [], hundredCpu: [], failures: [] },
    ansible: { one: [], hundred: [], oneCpu: [], hundredCpu: [], failures: [] },
    roundTrips: [],
    shellRoundTrips: [],
    forkRoundTrips: [],
    programRoundTrips: [],
  }));
  const reps = Number(opt['pertask-reps']);
  for (let rep = 0; rep < reps; rep++) {
    for (const res of rep % 2 ? [...results].reverse() : results) {
      const load = res.load ?? 0;
      const tools = (['tsrun', 'ansible'] as const).filter((t) => forms.includes(t) && (load === 0 || busyForms.includes(t)));
      const hogs = startHogs(load);
      const tag = `rep ${rep + 1}${load ? `, ${load} CPU hogs` : ''}`;
      try {
        for (const size of ['one', 'hundred'] as const) {
          for (const tool of rep % 2 ? [...tools].reverse() : tools) {
            const runDir = mkdtempSync(join(workDir, 'run-'));
            const c = { ...ctx, runDir };
            const cmd = tool === 'tsrun' ? tsrunCommand(c, books[size]) : ansibleCommand(c, books[size]);
            const logFile = join(logDir, `pertask-${tool}-${size}-${rep + 1}${load ? `-load${load}` : ''}.log`);
            const r = await timedRun({ ...cmd, logFile, timeoutMs: runTimeoutMs });
            if (tool === 'ansible') await closeAnsibleMasters(runDir);
            rmSync(runDir, { recursive: true, force: true });
            const v = judge(tool, r);
            log(`per-task ${tool} ${size === 'one' ? 1 : 100} task(s), ${tag}: ${r.seconds.toFixed(2)} s${v.ok ? '' : ` FAILED (${v.why})`}`);
            if (v.ok) {
              res[tool][size].push(r.seconds);
              res[tool][size === 'one' ? 'oneCpu' : 'hundredCpu']!.push(r.cpuSeconds);
            } else if (!res[tool].failures.length) res[tool].failures.push(`${v.why} (${relative(repoDir, logFile)})`);
          }
        }
        // Interleaved with the playbook runs, so both see the same load on the machine.
        const rtts = await admin.roundTrip(host, Math.ceil(Number(opt['round-trips']) / reps));
        res.roundTrips.push(...rtts);
        log(`ssh exec round trip on an open master, ${tag}: median ${(median(rtts) * 1000).toFixed(1)} ms`);
        const shell = await admin.shellRoundTrip(host, 100);
        res.shellRoundTrips!.push(...shell);
        // The same with one subshell per round trip: the one process a task that runs anything costs the target.
        const fork = await admin.shellRoundTrip(host, 100, '( true )');
        res.forkRoundTrips!.push(...fork);
        // And running the program itself, as a `command: true` task must (sh forks and execs a path).
        const program = await admin.shellRoundTrip(host, 100, '/usr/bin/true');
        res.programRoundTrips!.push(...program);
        log(`long-lived shell round trip, ${tag}: median ${(median(shell) * 1000).toFixed(2)} ms (with a subshell: ${(median(fork) * 1000).toFixed(2)} ms, running /usr/bin/true: ${(median(program) * 1000).toFixed(2)} ms)`);
      } finally {
        stopHogs(hogs);
      }
    }
  }
  return results;
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
