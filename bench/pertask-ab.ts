/**
 * Per-task A/B: 1 and 100 `command: true` tasks on one lab host, for several settings of one
 * build (environment variables), interleaved, medians of wall and control-side CPU:
 *
 *   npx tsx bench/pertask-ab.ts --variant gcm=TSRUN_X=1 --variant ctr=TSRUN_X=2 [--reps 7] [--size 100]
 *
 * --profile then runs the first variant's SIZE tasks once more under `node --cpu-prof` and prints
 * self time by function. A variant with no K=V runs the build as it is; REPO=DIR runs the build in another checkout,
 * NODE_ARGS='--a --b' gives node options (V8's too, which NODE_OPTIONS refuses). Prints per task = (t_size - t_1) / (size - 1).
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { summarizeProfile } from './lib/cpuprofile.js';
import { tsrunCommand } from './lib/forms.js';
import { renderHostList, renderInventory, renderTrivialPlaybook } from './lib/inventory.js';
import { startLab } from './lib/lab.js';
import { timedRun } from './lib/proc.js';
import { median } from './lib/stats.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoDir = resolve(benchDir, '..');
const { values: opt } = parseArgs({
  options: {
    variant: { type: 'string', multiple: true, default: ['as-built'] },
    reps: { type: 'string', default: '7' },
    size: { type: 'string', default: '100' },
    'lab-name': { type: 'string', default: 'pt' },
    profile: { type: 'boolean', default: false },
    top: { type: 'string', default: '30' },
  },
});

function parseVariant(v: string): { name: string; env: Record<string, string> } {
  const i = v.indexOf('=');
  const env: Record<string, string> = {};
  if (i < 0) return { name: v, env };
  for (const p of v.slice(i + 1).split(';')) {
    const j = p.indexOf('=');
    if (j > 0) env[p.slice(0, j)] = p.slice(j + 1);
  }
  return { name: v.slice(0, i), env };
}

async function main(): Promise<void> {
  const variants = opt.variant.map(parseVariant);
  const size = Number(opt.size);
  const workDir = join(benchDir, '.work', 'pertask-ab');
  mkdirSync(workDir, { recursive: true });
  const lab = await startLab(opt['lab-name'], 1);
  try {
    const hosts = lab.hosts;
    const invOpts = { user: lab.user, keyFile: lab.keyFile, knownHostsFile: lab.knownHostsFile, appRoot: `${lab.home}/app`, appPort: 8080 };
    const inventory = join(workDir, 'inventory.ini');
    writeFileSync(inventory, renderInventory(hosts, invOpts));
    writeFileSync(join(workDir, 'hosts.txt'), renderHostList(hosts));
    const books = { 1: join(workDir, 'trivial-1.yml'), [size]: join(workDir, `trivial-${size}.yml`) };
    writeFileSync(books[1]!, renderTrivialPlaybook(1));
    writeFileSync(books[size]!, renderTrivialPlaybook(size));
    const ctx = { repoDir, benchDir, inventory, hostList: '', hostCount: 1, user: lab.user, keyFile: lab.keyFile, knownHostsFile: lab.knownHostsFile, appRoot: invOpts.appRoot, appPort: 8080, runDir: workDir };
    const res = new Map(variants.map((v) => [v.name, { 1: [] as number[], n: [] as number[], c1: [] as number[], cn: [] as number[], s1: [] as number[], sn: [] as number[] }]));
    for (let rep = 0; rep < Number(opt.reps); rep++) {
      const order = rep % 2 ? [...variants].reverse() : variants;
      for (const n of [1, size]) {
        for (const v of order) {
          const { REPO, NODE_ARGS, ...env } = v.env;
          const cmd = tsrunCommand({ ...ctx, repoDir: REPO ?? repoDir }, books[n], NODE_ARGS?.split(' '));
          const r = await timedRun({ ...cmd, env: { ...cmd.env, ...env }, logFile: join(workDir, `${v.name}-${n}-${rep}.log`) });
          if (r.exitCode !== 0) throw new Error(`${v.name} ${n} tasks: exit ${r.exitCode}\n${r.output.slice(-2000)}`);
          const s = res.get(v.name)!;
          (n === 1 ? s[1] : s.n).push(r.seconds);
          (n === 1 ? s.c1 : s.cn).push(r.cpuSeconds);
          (n === 1 ? s.s1 : s.sn).push(r.systemSeconds);
        }
      }
      process.stderr.write(`rep ${rep + 1} done\n`);
    }
    const load = (await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ');
    console.log(`load average at the end: ${load}; ${opt.reps} interleaved repetitions, medians`);
    for (const v of variants) {
      const s = res.get(v.name)!;
      const perTask = ((median(s.n) - median(s[1])) / (size - 1)) * 1000;
      const perTaskCpu = ((median(s.cn) - median(s.c1)) / (size - 1)) * 1000;
      const perTaskSys = ((median(s.sn) - median(s.s1)) / (size - 1)) * 1000;
      console.log(`${v.name.padEnd(14)} 1 task ${median(s[1]).toFixed(3)} s (CPU ${median(s.c1).toFixed(3)})  ${size} tasks ${median(s.n).toFixed(3)} s (CPU ${median(s.cn).toFixed(3)})  per task ${perTask.toFixed(2)} ms, CPU ${perTaskCpu.toFixed(2)} ms (kernel ${perTaskSys.toFixed(2)})`);
    }
    if (opt.profile) {
      const profDir = join(workDir, 'profile');
      rmSync(profDir, { recursive: true, force: true });
      const { REPO, ...env } = variants[0]!.env;
      const cmd = tsrunCommand({ ...ctx, repoDir: REPO ?? repoDir }, books[size], ['--cpu-prof', `--cpu-prof-dir=${profDir}`]);
      await timedRun({ ...cmd, env: { ...cmd.env, ...env }, logFile: join(workDir, 'profile.log') });
      // The main thread's profile is the largest (the playbook loader's worker writes one too).
      const [main] = readdirSync(profDir).map((f) => join(profDir, f)).sort((a, b) => statSync(b).size - statSync(a).size);
      const s = summarizeProfile(main!);
      console.log(`\nprofile of ${size} tasks (${variants[0]!.name}): ${s.wallMs.toFixed(0)} ms sampled; self time by function:`);
      for (const fn of s.functions.slice(0, Number(opt.top))) console.log(`  ${fn.ms.toFixed(1).padStart(8)} ms  ${fn.name}`);
    }
  } finally {
    await lab.destroy();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`pertask-ab: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
