/**
 * A/B of two tsrun builds (e.g. before and after an engine change) on the bench playbook,
 * interleaved with the plain script in one run, so all three see the same load:
 *
 *   npx tsx bench/ab.ts --a /tmp/tsrun-before --b . [--hosts 20] [--reps 3] [--load 0]
 *
 * --a/--b are checkouts with a built dist/ (the same one twice, with --a-env/--b-env K=V to
 * compare settings). Prints medians and ratios to the plain script.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AdminSsh, forEachLimit } from './lib/admin.js';
import { ensureBlob } from './lib/blob.js';
import { plainCommand, tsrunCommand, type FormCommand, type FormContext } from './lib/forms.js';
import { resetScript } from './lib/hostscripts.js';
import { renderHostList, renderInventory } from './lib/inventory.js';
import { startLab } from './lib/lab.js';
import { timedRun } from './lib/proc.js';
import { median } from './lib/stats.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const { values: opt } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string', default: resolve(benchDir, '..') },
    hosts: { type: 'string', default: '20' },
    reps: { type: 'string', default: '3' },
    load: { type: 'string', default: '0' },
    'lab-name': { type: 'string', default: 'ab' },
    'a-env': { type: 'string', multiple: true, default: [] },
    'b-env': { type: 'string', multiple: true, default: [] },
  },
});
if (!opt.a) throw new Error('--a DIR (a tsrun checkout with dist/) is required');

async function main(): Promise<void> {
  const n = Number(opt.hosts);
  const workDir = join(benchDir, '.work');
  const logDir = join(workDir, 'ab-logs');
  mkdirSync(logDir, { recursive: true });
  ensureBlob(join(benchDir, 'playbook', 'files', 'blob.bin'));
  const lab = await startLab(opt['lab-name'], n);
  const admin = new AdminSsh(workDir, lab.user, lab.keyFile);
  const appRoot = `${lab.home}/app`;
  const hogs = Array.from({ length: Number(opt.load) }, () => spawn('sh', ['-c', 'exec yes > /dev/null'], { stdio: 'ignore' }));
  const times = new Map<string, number[]>();
  try {
    await admin.open(lab.hosts);
    const inventory = join(workDir, `ab-inventory-${n}.ini`);
    const hostList = join(workDir, `ab-hosts-${n}.txt`);
    const invOpts = { user: lab.user, keyFile: lab.keyFile, knownHostsFile: lab.knownHostsFile, appRoot, appPort: 8080 };
    writeFileSync(inventory, renderInventory(lab.hosts, invOpts));
    writeFileSync(hostList, renderHostList(lab.hosts));
    const ctx = (repoDir: string, runDir: string): FormContext => ({ repoDir, benchDir, inventory, hostList, hostCount: n, user: lab.user, keyFile: lab.keyFile, knownHostsFile: lab.knownHostsFile, appRoot, appPort: 8080, runDir });
    const withEnv = (c: FormCommand, kvs: string[]): FormCommand => ({ ...c, env: { ...c.env, ...Object.fromEntries(kvs.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])) } });
    const variants: Array<[string, (runDir: string) => FormCommand]> = [
      ['a', (d) => withEnv(tsrunCommand(ctx(resolve(opt.a!), d)), opt['a-env'])],
      ['b', (d) => withEnv(tsrunCommand(ctx(resolve(opt.b), d)), opt['b-env'])],
      ['plain', (d) => plainCommand(ctx(resolve(opt.b), d))],
    ];
    for (let rep = 0; rep < Number(opt.reps); rep++) {
      for (let i = 0; i < variants.length; i++) {
        const [name, cmd] = variants[(i + rep) % variants.length]!;
        await forEachLimit(lab.hosts, 8, async (h) => void (await admin.exec(h, resetScript(appRoot, 8080))));
        for (const phase of ['first', 'second']) {
          const runDir = mkdtempSync(join(workDir, 'run-'));
          const r = await timedRun({ ...cmd(runDir), logFile: join(logDir, `${name}-${phase}-${rep}.log`), timeoutMs: 1_200_000 });
          rmSync(runDir, { recursive: true, force: true });
          const key = `${name} ${phase}`;
          times.set(key, [...(times.get(key) ?? []), r.exitCode === 0 ? r.seconds : Number.NaN]);
          process.stderr.write(`${key} rep ${rep + 1}: ${r.seconds.toFixed(2)} s, ${r.peakMiB.toFixed(0)} MiB, cpu ${r.cpuSeconds.toFixed(2)} s${r.exitCode ? ` FAILED exit ${r.exitCode}` : ''}\n`);
        }
      }
    }
  } finally {
    for (const h of hogs) h.kill('SIGKILL');
    await admin.close(lab.hosts);
    await lab.destroy();
  }
  for (const phase of ['first', 'second']) {
    const m = (name: string): number => median((times.get(`${name} ${phase}`) ?? []).filter(Number.isFinite));
    const p = m('plain');
    process.stdout.write(`${n} hosts, ${phase} run (median of ${opt.reps}, load ${opt.load}): a ${m('a').toFixed(2)} s (${(m('a') / p).toFixed(2)}× plain), b ${m('b').toFixed(2)} s (${(m('b') / p).toFixed(2)}× plain), plain ${p.toFixed(2)} s\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`ab: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
