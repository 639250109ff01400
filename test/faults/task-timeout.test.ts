/**
 * The `timeout:` task keyword (issue 15 #2, issue 10 #7): `sleep 30` with `timeout: 3` fails
 * with Ansible's message and the remote command (with its children) is killed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ansibleAvailable, ansiblePlaybook } from '../support/runners.js';
import { createLab, describeLab, type Lab } from '../lab/lab.js';
import { pidsRunning, startTsrun } from './support.js';

describeLab('task timeout keyword', () => {
  let lab: Lab;
  let work: string;
  let inv: string;

  beforeAll(async () => {
    lab = await createLab({ name: 'fault-timeout', hosts: 1 });
    work = mkdtempSync(join(tmpdir(), 'tsrun-fault-timeout-'));
    inv = join(work, 'hosts.ini');
    writeFileSync(inv, lab.inventory());
    writeFileSync(join(work, 'slow.yml'), [
      '- hosts: all',
      '  gather_facts: false',
      '  tasks:',
      '    - command: sleep 30',
      '      timeout: 3',
      '',
    ].join('\n'));
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  it('fails the task with Ansible\'s message and kills the remote command', async () => {
    const r = await startTsrun(['-i', inv, join(work, 'slow.yml'), '--json']).done;
    console.log(`tsrun timeout: 3 on sleep 30: exit ${r.code} after ${r.ms} ms`);
    expect(r.code, r.stderr).toBe(2);
    const json = JSON.parse(r.stdout) as { plays: Array<{ tasks: Array<{ hosts: Record<string, { msg: string; failed: boolean }> }> }> };
    const result = Object.values(json.plays[0].tasks[0].hosts)[0];
    expect(result).toMatchObject({ changed: false, failed: true, msg: 'The command action failed to execute in the expected time frame (3) and was terminated' });
    expect(await pidsRunning(lab.hosts[0], 'sleep 30')).toEqual([]);
  });

  it('a child of the command is killed with it', async () => {
    const book = join(work, 'child.yml');
    writeFileSync(book, '- hosts: all\n  gather_facts: false\n  tasks:\n    - shell: sleep 31 & sleep 32\n      timeout: 2\n');
    const r = await startTsrun(['-i', inv, book]).done;
    expect(r.stdout).toContain('The shell action failed to execute in the expected time frame (2) and was terminated');
    expect([...(await pidsRunning(lab.hosts[0], 'sleep 31')), ...(await pidsRunning(lab.hosts[0], 'sleep 32'))]).toEqual([]);
  });

  it('ansible-playbook on the same host (for the reliability table)', async (t) => {
    if (!ansibleAvailable()) t.skip();
    const started = Date.now();
    const r = await ansiblePlaybook(['-i', inv, join(work, 'slow.yml')], { cwd: work, json: false });
    const left = await pidsRunning(lab.hosts[0], 'sleep 30');
    console.log(`ansible-playbook timeout: 3 on sleep 30: exit ${r.code} after ${Date.now() - started} ms; sleep processes left on the target: ${left.length}`);
    expect(r.stdout).toContain('failed to execute in the expected time frame (3)');
  });
});
