/**
 * Host keys (issue 10 #5): a wrong key in known_hosts, and no key at all while checking is
 * on. Each must be refused before any task runs, with a message that says which, exit 4;
 * ansible-playbook runs the same cases on the same hosts for docs/RELIABILITY.md.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ansibleAvailable } from '../support/runners.js';
import { createLab, describeLab, type Lab } from '../lab/lab.js';
import { startAnsible, startTsrun } from './support.js';

interface Case {
  name: string;
  /** known_hosts for the run, given the lab's. */
  knownHosts(lines: string[], lab: Lab): string;
  /** StrictHostKeyChecking in the ssh arguments (undefined: none, the defaults decide). */
  strict?: 'yes';
  tsrun: RegExp;
  ansible: RegExp;
}

const keyOf = (lines: string[], ip: string): string => lines.find((l) => l.startsWith(`${ip} `))!.split(' ').slice(1).join(' ');

const CASES: Case[] = [
  {
    name: 'wrong key in known_hosts',
    // host1 listed with host2's key: what a re-installed or impostor host looks like.
    knownHosts: (lines, lab) => `${lab.hosts[0].ip} ${keyOf(lines, lab.hosts[1].ip)}\n`,
    strict: 'yes',
    tsrun: /host key for host1 \([\d.]+\) does not match known_hosts/,
    ansible: /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/,
  },
  {
    name: 'no key, StrictHostKeyChecking=yes',
    knownHosts: () => '',
    strict: 'yes',
    tsrun: /host1 \([\d.]+\) is not in known_hosts/,
    ansible: /Host key verification failed/,
  },
  {
    name: 'no key, checking on by default (host_key_checking)',
    knownHosts: () => '',
    tsrun: /host1 \([\d.]+\) is not in known_hosts/,
    ansible: /Host key verification failed/,
  },
];

describeLab('host key refused', () => {
  let lab: Lab;
  let work: string;
  let labKnown: string[];

  beforeAll(async () => {
    lab = await createLab({ name: 'fault-hostkey', hosts: 2 });
    work = mkdtempSync(join(tmpdir(), 'tsrun-fault-hostkey-'));
    labKnown = readFileSync(lab.knownHostsFile, 'utf8').trim().split('\n');
    writeFileSync(join(work, 'touch.yml'), [
      '- hosts: all',
      '  gather_facts: false',
      '  tasks:',
      '    - file: { path: "/home/tsrun-lab/touched-{{ run_id }}", state: touch }',
      '',
    ].join('\n'));
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  const setUp = (c: Case, runner: string): string => {
    const slug = `${runner}-${CASES.indexOf(c)}`;
    const kh = join(work, `known_hosts-${slug}`);
    writeFileSync(kh, c.knownHosts(labKnown, lab));
    const args = `-o UserKnownHostsFile=${kh}${c.strict ? ` -o StrictHostKeyChecking=${c.strict}` : ''}`;
    const inv = join(work, `hosts-${slug}.ini`);
    writeFileSync(inv, lab.inventory({ vars: { ansible_ssh_common_args: `'${args}'` } }));
    return inv;
  };

  const touched = async (runId: string): Promise<boolean> =>
    (await lab.runAsRoot(lab.hosts[0].name, `test -e /home/tsrun-lab/touched-${runId} && echo yes || echo no`)).stdout.trim() === 'yes';

  for (const c of CASES) {
    it(`tsrun: ${c.name}: refused before any task, says which, exit 4`, async () => {
      const inv = setUp(c, 'tsrun');
      const runId = `tsrun-${CASES.indexOf(c)}`;
      const r = await startTsrun(['-i', inv, join(work, 'touch.yml'), '-l', 'host1', '-e', `run_id=${runId}`]).done;
      console.log(`tsrun, ${c.name}: exit ${r.code}; ${r.stdout.match(/UNREACHABLE! => .*"msg": "([^"]*)"/)?.[1]}`);
      expect(r.code, r.stdout + r.stderr).toBe(4);
      expect(r.stdout).toMatch(/fatal: \[host1\]: UNREACHABLE!/);
      expect(r.stdout).toMatch(c.tsrun);
      expect(r.stdout).toMatch(/^host1 +: ok=0 +changed=0 +unreachable=1 /m);
      expect(await touched(runId)).toBe(false);
    }, 120_000);
  }

  it('ansible-playbook, same cases (for the reliability table)', async (t) => {
    if (!ansibleAvailable()) t.skip();
    for (const c of CASES) {
      const inv = setUp(c, 'ansible');
      const runId = `ansible-${CASES.indexOf(c)}`;
      const r = await startAnsible(['-i', inv, join(work, 'touch.yml'), '-l', 'host1', '-e', `run_id=${runId}`], { cwd: work }).done;
      const said = c.ansible.exec(r.stdout)?.[0];
      console.log(`ansible-playbook, ${c.name}: exit ${r.code}; ${said ?? r.stdout.slice(-400)}; file created: ${await touched(runId)}`);
      expect(r.code).toBe(4);
      expect(await touched(runId)).toBe(false);
    }
  }, 300_000);
});
