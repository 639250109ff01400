/**
 * Where tsrun spends its time: runs the bench playbook with `node --cpu-prof` against N lab
 * hosts (first run on fresh hosts, then the unchanged second run) and prints self time by area
 * and by function.
 *
 *   npx tsx bench/profile.ts [--hosts 20] [--top 25] [--keep-lab]
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AdminSsh, forEachLimit } from './lib/admin.js';
import { ensureBlob } from './lib/blob.js';
import { summarizeProfile } from './lib/cpuprofile.js';
import { tsrunCommand } from './lib/forms.js';
import { resetScript } from './lib/hostscripts.js';
import { renderHostList, renderInventory } from './lib/inventory.js';
import { startLab } from './lib/lab.js';
import { timedRun } from './lib/proc.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoDir = resolve(benchDir, '..');
const { values: opt } = parseArgs({
  options: {
    hosts: { type: 'string', default: '20' },
    top: { type: 'string', default: '25' },
    'keep-lab': { type: 'boolean', default: false },
    'lab-name': { type: 'string', default: 'bench' },
  },
});

async function main(): Promise<void> {
  const n = Number(opt.hosts);
  const workDir = join(benchDir, '.work');
  const profDir = join(workDir, 'profile');
  rmSync(profDir, { recursive: true, force: true });
  mkdirSync(profDir, { recursive: true });
  ensureBlob(join(benchDir, 'playbook', 'files', 'blob.bin'));
  const lab = await startLab(opt['lab-name'], n);
  const admin = new AdminSsh(workDir, lab.user, lab.keyFile);
  const appRoot = `${lab.home}/app`;
  const appPort = 8080;
  try {
    await admin.open(lab.hosts);
    const inventory = join(workDir, `inventory-${n}.ini`);
    const hostList = join(workDir, `hosts-${n}.txt`);
    writeFileSync(inventory, renderInventory(lab.hosts, { user: lab.user, keyFile: lab.keyFile, knownHostsFile: lab.knownHostsFile, appRoot, appPort }));
    writeFileSync(hostList, renderHostList(lab.hosts));
    await forEachLimit(lab.hosts, 8, async (h) => void (await admin.exec(h, resetScript(appRoot, appPort))));
    for (const phase of ['first', 'second']) {
      const runDir = mkdtempSync(join(workDir, 'run-'));
      const dir = join(profDir, phase);
      const cmd = tsrunCommand({ repoDir, benchDir, inventory, hostList, hostCount: n, user: lab.user, keyFile: lab.keyFile, knownHostsFile: lab.knownHostsFile, appRoot, appPort, runDir }, undefined, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
      // --json gives each task's start and end: where the wall time goes, task by task.
      const argv = [...cmd.argv.slice(0, -1), '--json', cmd.argv.at(-1)!];
      const r = await timedRun({ ...cmd, argv, logFile: join(profDir, `${phase}.log`) });
      rmSync(runDir, { recursive: true, force: true });
      console.log(`\n## ${phase} run, ${n} hosts: ${r.seconds.toFixed(2)} s wall, ${r.cpuSeconds.toFixed(2)} s control-side CPU, exit ${r.exitCode}, peak ${r.peakMiB.toFixed(0)} MiB`);
      if (r.exitCode !== 0) console.log(r.output.trimEnd().split('\n').slice(-20).join('\n'));
      printTaskTimes(r.output);
      const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
      for (const f of files) {
        const s = summarizeProfile(join(dir, f));
        console.log(`\nprofile ${f}: ${s.wallMs.toFixed(0)} ms sampled\n\nself time by area:`);
        for (const a of s.areas.slice(0, 15)) console.log(`  ${a.ms.toFixed(0).padStart(7)} ms  ${((100 * a.ms) / s.wallMs).toFixed(1).padStart(5)}%  ${a.area}`);
        console.log('\nself time by function:');
        for (const fn of s.functions.slice(0, Number(opt.top))) console.log(`  ${fn.ms.toFixed(0).padStart(7)} ms  ${fn.name}`);
      }
    }
    await forEachLimit(lab.hosts, 8, async (h) => void (await admin.exec(h, resetScript(appRoot, appPort))));
  } finally {
    await admin.close(lab.hosts);
    if (!opt['keep-lab']) await lab.destroy();
  }
}

interface JsonDoc {
  plays: { tasks: { task: { name: string; duration: { start: string; end?: string } } }[] }[];
}

function printTaskTimes(output: string): void {
  let doc: JsonDoc;
  try {
    doc = JSON.parse(output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1)) as JsonDoc;
  } catch {
    console.log('(no --json document in the output: no per-task times)');
    return;
  }
  console.log('\nwall time per task (all hosts):');
  for (const play of doc.plays) {
    for (const { task } of play.tasks) {
      const ms = task.duration.end ? Date.parse(task.duration.end) - Date.parse(task.duration.start) : Number.NaN;
      console.log(`  ${ms.toFixed(0).padStart(7)} ms  ${task.name}`);
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`profile: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
