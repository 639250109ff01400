/**
 * Loading a 10 MB playbook (issue 15 #10): tsrun against ansible-playbook 2.14 on the same
 * generated files, interleaved, local connection. Per run: wall seconds from process start to
 * the first `TASK [` line, peak RSS and CPU (GNU time) up to then; the run is stopped there.
 *
 *   npx tsx bench/large-playbook.ts [--reps 2] [--shapes vars,tasks,strings,longlines,literal] [--mb 10]
 *
 * Needs a built tsrun (`npm run build`) and ansible-playbook. Prints a Markdown table; the
 * logs go to bench/.work/large/<time>/.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './lib/stats.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const tsrunBin = resolve(benchDir, '..', 'bin', 'tsrun.js');

const { values: opt } = parseArgs({
  options: {
    reps: { type: 'string', default: '2' },
    shapes: { type: 'string', default: 'vars,tasks,strings,longlines,literal' },
    mb: { type: 'string', default: '10' },
  },
});

const HEAD = '- hosts: localhost\n  gather_facts: false\n';
const ONE_TASK = '  tasks:\n    - debug: msg=one\n';

/** Each shape: what the file is made of, its head, one repeated line, its tail. */
const SHAPES: Record<string, { what: string; head: string; line: (i: number) => string; tail: string }> = {
  vars: { what: 'a `vars:` list of flow mappings', head: `${HEAD}  vars:\n    big:\n`, line: (i) => `      - { name: "item${i}", value: ${i}, tags: [a, b, c], text: "some text for item ${i}" }\n`, tail: ONE_TASK },
  tasks: { what: 'named `debug` tasks with tags', head: `${HEAD}  tasks:\n`, line: (i) => `    - name: task number ${i}\n      debug:\n        msg: "item ${i} {{ inventory_hostname }}"\n      tags: [t${i % 50}]\n`, tail: '' },
  strings: { what: 'a `vars:` list of plain strings', head: `${HEAD}  vars:\n    big:\n`, line: (i) => `      - line ${i} of a long list of plain strings that goes on for a while\n`, tail: ONE_TASK },
  longlines: { what: 'a `vars:` list of 10 KB double-quoted strings', head: `${HEAD}  vars:\n    big:\n`, line: (i) => `      - "${'x'.repeat(10_000)} ${i}"\n`, tail: ONE_TASK },
  literal: { what: 'one literal block scalar', head: `${HEAD}  vars:\n    text: |\n`, line: (i) => `      line ${i} of a long block of text that goes on for a while and then some more\n`, tail: ONE_TASK },
};

function generate(dir: string, shape: string, bytes: number): { file: string; units: number } {
  const s = SHAPES[shape]!;
  const parts = [s.head];
  let size = s.head.length;
  let i = 0;
  for (; size < bytes; i++) {
    parts.push(s.line(i));
    size += parts.at(-1)!.length;
  }
  parts.push(s.tail);
  const file = join(dir, `${shape}.yml`);
  writeFileSync(file, parts.join(''));
  return { file, units: i };
}

interface Sample {
  firstTaskS: number;
  peakMiB: number;
  cpuS: number;
}

/** The direct children of `pid` (GNU time's child is the measured command). */
function children(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Runs argv under GNU time until its first `TASK [` line, then ends it (GNU time still reports). */
function untilFirstTask(argv: string[], cwd: string, env: NodeJS.ProcessEnv, log: string): Promise<Sample> {
  const timeFile = `${log}.time`;
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, ...argv], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let firstTaskS = Number.NaN;
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString('utf8');
      if (Number.isNaN(firstTaskS) && out.includes('TASK [')) {
        firstTaskS = (performance.now() - started) / 1000;
        for (const pid of children(child.pid!)) process.kill(pid, 'SIGKILL');
      }
    });
    child.stderr.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.on('error', fail);
    child.on('close', () => {
      writeFileSync(log, `$ ${argv.join(' ')}\n${out}\n`);
      if (Number.isNaN(firstTaskS)) return fail(new Error(`${argv.join(' ')} never reached a task; see ${log}`));
      const [kib, user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
      done({ firstTaskS, peakMiB: kib! / 1024, cpuS: user! + sys! });
    });
  });
}

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const work = join(benchDir, '.work', 'large', stamp);
mkdirSync(work, { recursive: true });
writeFileSync(join(work, 'hosts.ini'), 'localhost ansible_connection=local\n');
const bytes = Number(opt.mb) * 1024 * 1024;
const reps = Number(opt.reps);
const tools = {
  tsrun: (file: string) => [process.execPath, tsrunBin, '-i', 'hosts.ini', file],
  'ansible-playbook': (file: string) => ['ansible-playbook', '-i', 'hosts.ini', file],
};
const env = { ...process.env, ANSIBLE_STDOUT_CALLBACK: 'default', ANSIBLE_NOCOLOR: '1', PYTHONUNBUFFERED: '1', ANSIBLE_HOME: join(work, '.ansible') };
if (!existsSync(tsrunBin)) throw new Error('build tsrun first (npm run build)');

const rows: string[] = [];
const loads: number[] = [];
for (const shape of opt.shapes.split(',')) {
  const { file, units } = generate(work, shape, bytes);
  const samples: Record<string, Sample[]> = { tsrun: [], 'ansible-playbook': [] };
  for (let r = 0; r < reps; r++) {
    // Alternate which tool goes first, so a change in the machine's load hits both alike.
    const order = (r % 2 === 0 ? ['tsrun', 'ansible-playbook'] : ['ansible-playbook', 'tsrun']) as (keyof typeof tools)[];
    for (const tool of order) {
      loads.push(loadavg()[0]!);
      const s = await untilFirstTask(tools[tool](file), work, env, join(work, `${shape}-${tool}-${r}.log`));
      samples[tool]!.push(s);
      console.error(`${shape} ${tool} #${r}: first task ${s.firstTaskS.toFixed(1)} s, CPU ${s.cpuS.toFixed(1)} s, peak ${s.peakMiB.toFixed(0)} MiB`);
    }
  }
  for (const tool of Object.keys(tools)) {
    const s = samples[tool]!;
    const m = (f: (x: Sample) => number) => median(s.map(f));
    rows.push(`| ${shape}: ${SHAPES[shape]!.what} (${units.toLocaleString('en')}) | ${tool} | ${m((x) => x.firstTaskS).toFixed(1)} | ${m((x) => x.cpuS).toFixed(1)} | ${m((x) => x.peakMiB).toFixed(0)} |`);
  }
}
console.log(`${opt.mb} MB playbooks, median of ${reps}, load average ${Math.min(...loads).toFixed(0)}–${Math.max(...loads).toFixed(0)} on ${process.platform} (${new Date().toISOString().slice(0, 10)})\n`);
console.log('| file | tool | first task (s, wall) | CPU to first task (s) | peak RSS (MiB) |\n| --- | --- | --- | --- | --- |');
console.log(rows.join('\n'));
