/**
 * A push cut off half way (Ctrl-C on tsrun, or the target's sshd killed) must leave the old
 * destination exactly as it was and no temporary file behind (issue 15 #1, issue 10 #4).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { ansibleAvailable } from '../support/runners.js';
import { createLab, describeLab, type Lab } from '../lab/lab.js';
import { hostPath, killSshd, pidsNamed, rxBytes, sleep, startAnsible, startTsrun, tempLeftovers, waitForRx, type LiveRun } from './support.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const DEST = '/home/tsrun-lab/push/big.bin';

describeLab('a push cut off mid-transfer', () => {
  let lab: Lab;
  let work: string;
  let inv: string;
  let book: string;
  const old = randomBytes(1024 * 1024);

  beforeAll(async () => {
    lab = await createLab({ name: 'fault-push', hosts: 1 });
    work = mkdtempSync(join(tmpdir(), 'tsrun-fault-push-'));
    inv = join(work, 'hosts.ini');
    writeFileSync(inv, lab.inventory());
    // Random bytes are not text, so the push also takes the base64 path of the protocol.
    writeFileSync(join(work, 'big.bin'), randomBytes(64 * 1024 * 1024));
    book = join(work, 'push.yml');
    writeFileSync(book, `- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: { src: ${join(work, 'big.bin')}, dest: ${DEST} }\n`);
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  beforeEach(async () => {
    const h = lab.hosts[0];
    await lab.startSshd(h.name);
    await lab.runAsRoot(h.name, 'mkdir -p /home/tsrun-lab/push && chown tsrun-lab: /home/tsrun-lab/push');
    writeFileSync(hostPath(h, DEST), old);
  });

  const expectUntouched = async (): Promise<void> => {
    const h = lab.hosts[0];
    // The remote shell may still be running what it received: give it time to do harm.
    await sleep(3000);
    // Old or whole new, never partial: on a busy machine the last byte can be out (and the
    // target write done) before the fault lands, and tsrun then cannot hear that it succeeded.
    const got = sha(readFileSync(hostPath(h, DEST)));
    const whole = sha(readFileSync(join(work, 'big.bin')));
    if (got === whole) console.log('the push completed on the target before the fault landed: the new file is whole');
    expect([sha(old), whole]).toContain(got);
    expect(tempLeftovers(hostPath(h, '/home/tsrun-lab/push'))).toEqual([]);
  };

  it('Ctrl-C during the push exits 99 and leaves the old file', async () => {
    const h = lab.hosts[0];
    const base = await rxBytes(h);
    const live = startTsrun(['-i', inv, book]);
    await waitForRx(h, base, 16 * 1024 * 1024, live);
    const signalled = Date.now();
    live.interrupt();
    const r = await live.done;
    console.log(`SIGINT mid-push: tsrun exited ${r.code} ${Date.now() - signalled} ms after the signal`);
    expect(r.code, live.output()).toBe(99);
    await expectUntouched();
  }, 180_000);

  it('sshd killed during the push: host unreachable, old file intact', async () => {
    const h = lab.hosts[0];
    const base = await rxBytes(h);
    const live = startTsrun(['-i', inv, book]);
    await waitForRx(h, base, 4 * 1024 * 1024, live);
    const victims = await pidsNamed(h, 'sshd');
    await waitForRx(h, base, 16 * 1024 * 1024, live);
    await killSshd(lab, h, { victims });
    const r = await live.done;
    expect(r.code, live.output()).toBe(4);
    expect(r.stdout).toMatch(/UNREACHABLE!/);
    await expectUntouched();
  }, 180_000);

  it('a complete push still works afterwards (the check is not a false alarm)', async () => {
    const r = await startTsrun(['-i', inv, book]).done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(sha(readFileSync(hostPath(lab.hosts[0], DEST)))).toBe(sha(readFileSync(join(work, 'big.bin'))));
  }, 180_000);

  it('ansible-playbook on the same host, same faults (for the reliability table)', async (t) => {
    if (!ansibleAvailable()) t.skip();
    const h = lab.hosts[0];
    const ansibleTmp = hostPath(h, '/home/tsrun-lab/.ansible/tmp');
    for (const [name, fault] of [
      ['SIGINT', (live: LiveRun) => Promise.resolve(live.interrupt())],
      ['sshd SIGKILLed', (_live: LiveRun, victims: number[]) => killSshd(lab, h, { victims })],
    ] as const) {
      await lab.startSshd(h.name);
      writeFileSync(hostPath(h, DEST), old);
      await lab.runAsRoot(h.name, 'rm -rf /home/tsrun-lab/.ansible/tmp');
      const base = await rxBytes(h);
      const live = startAnsible(['-i', inv, book], { cwd: work });
      await waitForRx(h, base, 4 * 1024 * 1024, live);
      const victims = await pidsNamed(h, 'sshd');
      await waitForRx(h, base, 16 * 1024 * 1024, live);
      const at = Date.now();
      await fault(live, victims);
      // Ansible may not notice at all: cap the wait, and say so.
      const exited = await Promise.race([live.done.then((r) => `exit ${r.code} after ${Date.now() - at} ms`), sleep(60_000).then(() => 'still running after 60 s')]);
      live.child.kill('SIGKILL');
      await sleep(3000);
      const intact = sha(readFileSync(hostPath(h, DEST))) === sha(old);
      const left = [...tempLeftovers(hostPath(h, '/home/tsrun-lab/push')), ...readdirOrNone(hostPath(h, '/home/tsrun-lab/push')).filter((n) => n.startsWith('.ansible')), ...readdirOrNone(ansibleTmp)];
      console.log(`ansible-playbook, ${name} mid-push: ${exited}; old destination ${intact ? 'intact' : 'CHANGED'}; temporary files left: ${left.length ? left.join(', ') : 'none'}`);
      expect(live.output()).not.toBe('');
    }
  }, 300_000);
});

function readdirOrNone(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
