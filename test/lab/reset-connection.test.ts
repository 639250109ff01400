import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ansibleAvailable, ansiblePlaybook, tsrun } from '../support/runners.js';
import { parseJson, summary } from '../oracle/json-summary.js';
import { createLab, describeLab, type Lab } from './lab.js';

/**
 * meta: reset_connection closes the host's connection, so the next task logs in anew: what
 * operators use it for is a group the login user just joined, which a session opened before
 * does not have. Each tool gets its own lab host (the first run would add the group for both).
 */
const PLAY = `
- hosts: all
  gather_facts: false
  tasks:
    - name: the login user joins a new group
      become: true
      shell: groupadd tsrun_reset_demo && usermod -aG tsrun_reset_demo {{ ansible_user }}
    - name: before the reset
      command: id -Gn
      register: before
    - meta: reset_connection
    - name: after the reset
      command: id -Gn
      register: after
    - name: in the group
      debug:
        msg: "{{ ['tsrun_reset_demo' in before.stdout.split(), 'tsrun_reset_demo' in after.stdout.split()] }}"
`;

describeLab('meta: reset_connection on real sshd hosts', () => {
  let lab: Lab;
  let dir: string;

  beforeAll(async () => {
    lab = await createLab({ name: 'reset-conn', hosts: ['ours', 'theirs'] });
    dir = mkdtempSync(join(tmpdir(), 'tsrun-reset-conn-'));
    writeFileSync(join(dir, 'hosts.ini'), lab.inventory());
    writeFileSync(join(dir, 'play.yml'), PLAY);
  }, 120_000);

  afterAll(async () => {
    await lab?.destroy();
  });

  it('the next task has the group the user joined, as under ansible-playbook', async () => {
    const args = (host: string) => ['-i', join(dir, 'hosts.ini'), join(dir, 'play.yml'), '--limit', host];
    const enabled = ansibleAvailable();
    const [ours, theirs] = await Promise.all([
      tsrun([...args('ours'), '--json'], { cwd: dir, timeoutMs: 300_000 }),
      enabled ? ansiblePlaybook(args('theirs'), { cwd: dir, timeoutMs: 300_000 }) : undefined,
    ]);
    const mine = summary(parseJson(ours.stdout, `tsrun (stderr: ${ours.stderr})`));
    expect(mine.tasks.find((t) => t.task === 'in the group')?.hosts).toEqual({ ours: 'ok: [false,true]' });
    expect(ours.code).toBe(0);
    if (!theirs) return;
    const rename = (s: typeof mine) => JSON.parse(JSON.stringify(s).replaceAll('"theirs"', '"ours"')) as typeof mine;
    expect(mine).toEqual(rename(summary(parseJson(theirs.stdout, `ansible-playbook (stderr: ${theirs.stderr})`))));
  }, 600_000);
});
