/**
 * Disk full during a push (a 1 MiB tmpfs over the destination's directory): the task fails
 * with the target's own reason, the old file stays, nothing partial or temporary is left
 * (issue 15 #5, issue 10 #3). ansible-playbook runs the same case for docs/RELIABILITY.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { ansibleAvailable, ansiblePlaybook } from '../support/runners.js';
import { createLab, describeLab, type Lab } from '../lab/lab.js';
import { startTsrun } from './support.js';

const DIR = '/srv/full';

describeLab('disk full during a push', () => {
  let lab: Lab;
  let work: string;
  let inv: string;

  beforeAll(async () => {
    lab = await createLab({ name: 'fault-disk', hosts: 1 });
    work = mkdtempSync(join(tmpdir(), 'tsrun-fault-disk-'));
    inv = join(work, 'hosts.ini');
    writeFileSync(inv, lab.inventory());
    writeFileSync(join(work, 'big.bin'), randomBytes(2 * 1024 * 1024));
    writeFileSync(join(work, 'push.yml'), [
      '- hosts: all',
      '  gather_facts: false',
      '  tasks:',
      `    - copy: { src: ${join(work, 'big.bin')}, dest: ${DIR}/old.bin }`,
      '',
    ].join('\n'));
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  const remote = async (cmd: string): Promise<string> => (await lab.runAsRoot(lab.hosts[0].name, cmd)).stdout;

  beforeEach(async () => {
    await remote(`umount ${DIR} 2>/dev/null; mkdir -p ${DIR} && mount -t tmpfs -o size=1m tmpfs ${DIR} && chown tsrun-lab: ${DIR} && printf 'old content\\n' > ${DIR}/old.bin && chown tsrun-lab: ${DIR}/old.bin`);
  });

  it('fails with "No space left on device", old file intact, no temp files', async () => {
    const r = await startTsrun(['-i', inv, join(work, 'push.yml')]).done;
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toContain('No space left on device');
    expect(await remote(`cat ${DIR}/old.bin`)).toBe('old content\n');
    expect(await remote(`ls -A ${DIR}`)).toBe('old.bin\n');
  });

  it('ansible-playbook on the same host (for the reliability table)', async (t) => {
    if (!ansibleAvailable()) t.skip();
    const r = await ansiblePlaybook(['-i', inv, join(work, 'push.yml')], { cwd: work, json: false });
    console.log(`ansible-playbook disk full: exit ${r.code}; ${/No space left on device/.test(r.stdout) ? 'says "No space left on device"' : r.stdout.slice(-600)}`);
    console.log(`after ansible: old.bin ${JSON.stringify(await remote(`cat ${DIR}/old.bin`))}, dir: ${JSON.stringify(await remote(`ls -A ${DIR}`))}`);
    expect(r.code).not.toBe(0);
  });
});
