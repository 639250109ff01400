/**
 * Interrupted runs converge (issue 10 #8): a 10-task playbook (pushes, a template, edits, a
 * link, a push under become) is interrupted at random points 10 times, Ctrl-C and SIGKILL in
 * turn, then run to the end, then run again. The last run changes nothing, every file is
 * complete and no temporary file is left. ansible-playbook does the same on another host of
 * the lab, and both end states must be equal.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ansibleAvailable } from '../support/runners.js';
import { createLab, describeLab, type Lab, type LabHost } from '../lab/lab.js';
import { sleep, startAnsible, startTsrun, type LiveRun } from './support.js';

const D = '/home/tsrun-lab/conv';
const ROOT_FILE = '/opt/conv-root.bin';
const INTERRUPTIONS = 10;

/** A small seeded generator: the interruption points of a failing run can be replayed (TSRUN_CONVERGE_SEED). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describeLab('interrupted runs converge', () => {
  let lab: Lab;
  let work: string;
  let inv: string;
  let book: string;
  const seed = Number(process.env.TSRUN_CONVERGE_SEED ?? Date.now() % 100_000);
  const ends: Record<string, string> = {};

  beforeAll(async () => {
    lab = await createLab({ name: 'fault-converge', hosts: 2 });
    work = mkdtempSync(join(tmpdir(), 'tsrun-fault-converge-'));
    inv = join(work, 'hosts.ini');
    writeFileSync(inv, lab.inventory());
    writeFileSync(join(work, 'big.bin'), randomBytes(8 * 1024 * 1024));
    writeFileSync(join(work, 'root.bin'), randomBytes(4 * 1024 * 1024));
    writeFileSync(join(work, 'app.conf.j2'), 'name={{ app_name }}\nport={{ app_port }}\n');
    book = join(work, 'converge.yml');
    writeFileSync(book, [
      '- hosts: all',
      '  gather_facts: false',
      `  vars: { d: ${D}, app_name: conv, app_port: 8080 }`,
      '  tasks:',
      '    - file: { path: "{{ d }}", state: directory }',
      `    - copy: { src: ${join(work, 'big.bin')}, dest: "{{ d }}/big.bin" }`,
      '    - copy: { content: "small file\\n", dest: "{{ d }}/small.txt" }',
      `    - template: { src: ${join(work, 'app.conf.j2')}, dest: "{{ d }}/app.conf" }`,
      '    - lineinfile: { path: "{{ d }}/edit.conf", create: true, regexp: "^alpha=", line: alpha=1 }',
      '    - blockinfile: { path: "{{ d }}/edit.conf", block: "beta=2\\ngamma=3" }',
      '    - copy: { content: "mode=debug\\n", dest: "{{ d }}/mode.conf", force: false }',
      '    - replace: { path: "{{ d }}/mode.conf", regexp: "^mode=debug$", replace: mode=production }',
      '    - file: { src: app.conf, dest: "{{ d }}/current", state: link }',
      `    - copy: { src: ${join(work, 'root.bin')}, dest: ${ROOT_FILE} }`,
      '      become: true',
      '',
    ].join('\n'));
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  /** The end state, comparable across hosts: every file's type, mode, owner, target and digest. */
  const endState = async (h: LabHost): Promise<string> =>
    (await lab.runAsRoot(h.name, `cd ${D} && find . ${ROOT_FILE} -printf '%p %y %m %u %l\\n' | sort && find . ${ROOT_FILE} -type f -print0 | sort -z | xargs -0 sha256sum`)).stdout;

  /** Temporary files of either tool anywhere in the host's writable places. */
  const leftovers = async (h: LabHost): Promise<string[]> =>
    (await lab.runAsRoot(h.name, "find /home/tsrun-lab /opt /tmp /root \\( -name '*.tsrun.*' -o -name '.ansible_tmp*' -o -name 'ansible-tmp-*' \\) -print 2>/dev/null")).stdout.split('\n').filter(Boolean);

  /**
   * Starts the tool ten times and cuts each run off at a random task (and a random moment in
   * it), by Ctrl-C or SIGKILL in turn. Returns what happened, for the log.
   */
  const interruptTenTimes = async (start: () => LiveRun, random: () => number): Promise<string[]> => {
    const log: string[] = [];
    for (let i = 0; i < INTERRUPTIONS; i++) {
      const atTask = 1 + Math.floor(random() * 10);
      const delay = Math.floor(random() * 1500);
      const kill = i % 2 === 0 ? 'SIGINT' : 'SIGKILL';
      const live = start();
      const reached = await waitForTask(live, atTask);
      await sleep(delay);
      if (live.child.exitCode === null) {
        if (kill === 'SIGINT') live.interrupt();
        else process.kill(-live.child.pid!, 'SIGKILL');
      }
      const r = await live.done;
      log.push(`${kill} at task ${atTask}${reached ? '' : ' (run ended first)'} +${delay} ms: exit ${r.code}`);
    }
    return log;
  };

  const convergeWith = async (who: 'tsrun' | 'ansible-playbook', h: LabHost, start: (args: string[]) => LiveRun) => {
    await lab.runAsRoot(h.name, `rm -rf ${D} ${ROOT_FILE}`);
    const log = await interruptTenTimes(() => start(['-i', inv, book, '-l', h.name]), prng(seed));
    const full = await start(['-i', inv, book, '-l', h.name]).done;
    const again = await start(['-i', inv, book, '-l', h.name]).done;
    const left = await leftovers(h);
    const recap = (out: string) => out.match(new RegExp(`^${h.name} +: .*$`, 'm'))?.[0].replace(/\s+/g, ' ');
    console.log(`${who}, seed ${seed}:\n  ${log.join('\n  ')}\n  run to the end: exit ${full.code}, ${recap(full.stdout)}\n  again: exit ${again.code}, ${recap(again.stdout)}\n  temporary files left: ${left.length ? left.join(', ') : 'none'}`);
    return { full, again, left, recap: recap(again.stdout) };
  };

  it('tsrun: after 10 interruptions, a run to the end and a second run changing nothing', async () => {
    const h = lab.hosts[0];
    const { full, again, left, recap } = await convergeWith('tsrun', h, (args) => startTsrun(args));
    expect(full.code, full.stdout + full.stderr).toBe(0);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(recap).toMatch(/ok=10 changed=0 unreachable=0 failed=0/);
    expect(left).toEqual([]);
    const state = await endState(h);
    ends.tsrun = state;
    // Every file complete: the pushes byte for byte, the edits whole.
    expect(state).toContain(`${sha(readFileSync(join(work, 'big.bin')))}  ./big.bin`);
    expect(state).toContain(`${sha(readFileSync(join(work, 'root.bin')))}  ${ROOT_FILE}`);
    const cat = async (f: string) => (await lab.runAsRoot(h.name, `cat ${D}/${f}`)).stdout;
    expect(await cat('small.txt')).toBe('small file\n');
    expect(await cat('app.conf')).toBe('name=conv\nport=8080\n');
    expect(await cat('edit.conf')).toBe('alpha=1\n# BEGIN ANSIBLE MANAGED BLOCK\nbeta=2\ngamma=3\n# END ANSIBLE MANAGED BLOCK\n');
    expect(await cat('mode.conf')).toBe('mode=production\n');
    expect(await cat('current')).toBe('name=conv\nport=8080\n');
  }, 900_000);

  it('ansible-playbook: the same interruptions (for the reliability table); the same end state', async (t) => {
    if (!ansibleAvailable()) t.skip();
    const h = lab.hosts[1];
    const { full, again } = await convergeWith('ansible-playbook', h, (args) => startAnsible(args, { cwd: work }));
    expect(full.code).toBe(0);
    expect(again.code).toBe(0);
    if (ends.tsrun) expect(await endState(h)).toBe(ends.tsrun);
  }, 1_200_000);
});

/** Resolves once the run has started its n-th task (true), or has ended before it (false). */
async function waitForTask(live: LiveRun, n: number): Promise<boolean> {
  for (;;) {
    if ((live.output().match(/^TASK \[/gm) ?? []).length >= n) return true;
    if (live.child.exitCode !== null || live.child.signalCode !== null) return false;
    await sleep(20);
  }
}
