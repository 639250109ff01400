/**
 * Become and login failures (issue 10 #6): a wrong sudo password, a wrong SSH password, a sudo
 * that asks for a password when none was given, no sudo on the target, a sudo that requires a
 * terminal. Each fails clearly and at once; no password ever shows, not at -vvvv, in --json, in
 * the log, nor in any process's command line or environment on the target while it runs.
 * ansible-playbook runs the same cases on the same hosts for docs/RELIABILITY.md.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ansibleAvailable } from '../support/runners.js';
import { createLab, describeLab, type Lab, type LabHost } from '../lab/lab.js';
import { run } from '../lab/sys.js';
import { sleep, startAnsible, startTsrun, type LiveRun } from './support.js';

const WRONG_SUDO = 'Wrong-sudo-Pw-7431';
const WRONG_SSH = 'Wrong-ssh-Pw-9152';

interface Case {
  name: string;
  host: 0 | 1;
  vars(lab: Lab): Record<string, string>;
  /** Lines of the lab's inventory left out (a password not given at all). */
  drop?: RegExp;
  code: { tsrun: number; ansible: number };
  tsrun: RegExp;
  ansible: RegExp;
}

/** Password login (the key line is dropped, and runs get no ssh-agent). */
const passwordLogin = (password: string) => ({ ansible_password: password });
const NO_KEY = /^ansible_ssh_private_key_file=/;
const NO_AGENT = { SSH_AUTH_SOCK: undefined };

const CASES: Case[] = [
  {
    name: 'wrong sudo password',
    host: 0,
    vars: () => ({ ansible_become_pass: WRONG_SUDO }),
    code: { tsrun: 2, ansible: 2 },
    tsrun: /become password incorrect for host1/,
    ansible: /Incorrect sudo password/,
  },
  {
    name: 'sudo asks for a password, none given',
    host: 0,
    vars: () => ({}),
    drop: /^ansible_become_pass=/,
    code: { tsrun: 2, ansible: 2 },
    tsrun: /sudo to root requires a password \(missing become password\)/,
    ansible: /Missing sudo password/,
  },
  {
    name: 'wrong SSH password',
    host: 0,
    vars: () => passwordLogin(WRONG_SSH),
    drop: NO_KEY,
    code: { tsrun: 4, ansible: 4 },
    tsrun: /permission denied \(authentication failed/,
    ansible: /Invalid\/incorrect password|Permission denied/,
  },
  {
    name: 'no sudo on the target',
    host: 1,
    vars: () => ({}),
    code: { tsrun: 2, ansible: 2 },
    tsrun: /become \(sudo\) to root failed: .*sudo: (command )?not found/,
    ansible: /sudo: not found/,
  },
];

/** sudo removed from the host's view of /usr/bin (a symlink farm of it, minus sudo, in its mount namespace). */
const hideSudo = (lab: Lab, h: LabHost) =>
  lab.runAsRoot(h.name, 'mkdir -p /tmp/.realbin /tmp/.nosudo && mount --bind /usr/bin /tmp/.realbin && cp -as /tmp/.realbin/. /tmp/.nosudo/ && rm /tmp/.nosudo/sudo && mount --bind /tmp/.nosudo /usr/bin');
const restoreSudo = (lab: Lab, h: LabHost) => lab.runAsRoot(h.name, 'umount /usr/bin; umount /tmp/.realbin; rm -rf /tmp/.nosudo');

describeLab('become and login failures', () => {
  let lab: Lab;
  let work: string;
  let book: string;

  beforeAll(async () => {
    lab = await createLab({ name: 'fault-become', hosts: 2 });
    work = mkdtempSync(join(tmpdir(), 'tsrun-fault-become-'));
    book = join(work, 'become.yml');
    writeFileSync(book, [
      '- hosts: all',
      '  gather_facts: false',
      '  become: true',
      '  tasks:',
      '    - command: sleep 2',
      '    - copy: { content: "made as root\\n", dest: /opt/become-made }',
      '',
    ].join('\n'));
    await hideSudo(lab, lab.hosts[1]);
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  const inventory = (c: Pick<Case, 'vars' | 'drop'>, slug: string): string => {
    const inv = join(work, `${slug}.ini`);
    writeFileSync(inv, lab.inventory({ vars: c.vars(lab) }).split('\n').filter((l) => !c.drop?.test(l)).join('\n'));
    return inv;
  };

  const secretsIn = (text: string): string[] => [lab.password, lab.becomePassword, WRONG_SUDO, WRONG_SSH].filter((s) => text.includes(s));

  for (const c of CASES) {
    it(`tsrun: ${c.name}: a clear failure, no password shown`, async () => {
      const h = lab.hosts[c.host];
      const log = join(work, `tsrun-${CASES.indexOf(c)}.log`);
      const inv = inventory(c, `tsrun-${CASES.indexOf(c)}`);
      const r = await startTsrun(['-i', inv, book, '-l', h.name, '-vvvv'], { env: { ...NO_AGENT, ANSIBLE_LOG_PATH: log } }).done;
      const json = await startTsrun(['-i', inv, book, '-l', h.name, '--json'], { env: NO_AGENT }).done;
      console.log(`tsrun, ${c.name}: exit ${r.code}; ${r.stdout.match(/"msg": "([^"]*)"/)?.[1]}`);
      expect(r.code, r.stdout + r.stderr).toBe(c.code.tsrun);
      expect(json.code).toBe(c.code.tsrun);
      expect(r.stdout).toMatch(c.tsrun);
      if (c.code.tsrun === 4) expect(r.stdout).toMatch(/UNREACHABLE!/);
      expect(secretsIn(r.stdout + r.stderr + json.stdout + json.stderr + readFileSync(log, 'utf8'))).toEqual([]);
      expect((await lab.runAsRoot(h.name, 'test -e /opt/become-made && echo made || echo absent')).stdout.trim()).toBe('absent');
    }, 180_000);
  }

  it('tsrun: a sudo that requires a terminal fails clearly and says why', async () => {
    const h = lab.hosts[0];
    await lab.runAsRoot(h.name, "printf 'Defaults requiretty\\n' > /etc/sudoers.d/zz-tty && chmod 440 /etc/sudoers.d/zz-tty");
    try {
      const inv = join(work, 'tty.ini');
      writeFileSync(inv, lab.inventory());
      const r = await startTsrun(['-i', inv, book, '-l', h.name]).done;
      console.log(`tsrun, sudo requires a tty: exit ${r.code}; ${r.stdout.match(/"msg": "([^"]*)"/)?.[1]}`);
      expect(r.code, r.stdout).toBe(2);
      expect(r.stdout).toContain('sudo: sorry, you must have a tty to run sudo');
      expect(r.stdout).toContain('Defaults requiretty');
    } finally {
      await lab.runAsRoot(h.name, 'rm -f /etc/sudoers.d/zz-tty');
    }
  }, 180_000);

  it('a successful password login with become: no password on the target\'s command lines or environments, nor in the output', async () => {
    const h = lab.hosts[0];
    const inv = inventory({ vars: () => passwordLogin(lab.password), drop: NO_KEY }, 'right');
    const log = join(work, 'right.log');
    for (const [who, live] of [
      ['tsrun', () => startTsrun(['-i', inv, book, '-l', h.name, '-vvvv'], { env: { ...NO_AGENT, ANSIBLE_LOG_PATH: log } })],
      ['ansible-playbook', () => startAnsible(['-i', inv, book, '-l', h.name, '-vvvv'], { cwd: work, env: NO_AGENT })],
    ] as const) {
      if (who === 'ansible-playbook' && !ansibleAvailable()) continue;
      await lab.runAsRoot(h.name, 'rm -f /opt/become-made');
      const { leaks, samples, r } = await sampleTarget(h, live(), [lab.password]);
      console.log(`${who}, password login + become: exit ${r.code}; ${samples} samples of the target's /proc/*/cmdline and environ, ${leaks.length} with a password`);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(samples).toBeGreaterThan(0);
      expect(leaks).toEqual([]);
      if (who === 'tsrun') expect(secretsIn(r.stdout + r.stderr + readFileSync(log, 'utf8'))).toEqual([]);
    }
  }, 300_000);

  it('ansible-playbook, same cases (for the reliability table)', async (t) => {
    if (!ansibleAvailable()) t.skip();
    const tty: Case = { name: 'sudo requires a terminal', host: 0, vars: () => ({}), code: { tsrun: 2, ansible: 0 }, tsrun: /./, ansible: /ok=2/ };
    for (const c of [...CASES, tty]) {
      const h = lab.hosts[c.host];
      if (c === tty) await lab.runAsRoot(h.name, "printf 'Defaults requiretty\\n' > /etc/sudoers.d/zz-tty && chmod 440 /etc/sudoers.d/zz-tty");
      await lab.runAsRoot(h.name, 'rm -f /opt/become-made');
      const r = await startAnsible(['-i', inventory(c, `ansible-${c.name.replace(/\W+/g, '-')}`), book, '-l', h.name, '-vvvv'], { cwd: work, env: NO_AGENT }).done;
      if (c === tty) await lab.runAsRoot(h.name, 'rm -f /etc/sudoers.d/zz-tty');
      const shown = secretsIn(r.stdout + r.stderr);
      console.log(`ansible-playbook, ${c.name}: exit ${r.code}; ${c.ansible.exec(r.stdout)?.[0] ?? r.stdout.slice(-300)}; passwords in the -vvvv output: ${shown.length}`);
      expect(r.code).toBe(c.code.ansible);
    }
  }, 600_000);
});

/** Reads every target process's command line and environment while the run lasts. */
async function sampleTarget(h: LabHost, live: LiveRun, secrets: string[]): Promise<{ leaks: string[]; samples: number; r: Awaited<LiveRun['done']> }> {
  const leaks: string[] = [];
  let samples = 0;
  let over = false;
  const done = live.done.then((r) => ((over = true), r));
  while (!over) {
    const pids = (await run('ip', ['netns', 'pids', h.netns])).stdout.split(/\s+/).filter(Boolean);
    for (const pid of pids) {
      for (const file of ['cmdline', 'environ']) {
        const path = `/proc/${pid}/${file}`;
        let text = '';
        try {
          text = existsSync(path) ? readFileSync(path, 'latin1') : '';
        } catch {
          continue; // the process ended meanwhile
        }
        if (secrets.some((s) => text.includes(s))) leaks.push(`${path}: ${text.replace(/\0/g, ' ').slice(0, 200)}`);
      }
    }
    samples++;
    await sleep(50);
  }
  return { leaks, samples, r: await done };
}
