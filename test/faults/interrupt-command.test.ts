/**
 * Ctrl-C while a command runs on a host (issue 10 #4): exit 99, the remote command ended, a
 * second Ctrl-C ends tsrun at once; and Ctrl-C must not wait on a host that stopped answering
 * (a connect or a command over a link whose packets vanish). ansible-playbook runs the same
 * case for docs/RELIABILITY.md.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { ansibleAvailable } from '../support/runners.js';
import { createLab, describeLab, type Lab, type LabHost } from '../lab/lab.js';
import { pidsRunning, silence, sleep, startAnsible, startTsrun, unsilence, type LiveRun } from './support.js';

/** Polls until no process of the host runs `argv`; false if one is still there after `ms`. */
async function ended(h: LabHost, argv: string, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while ((await pidsRunning(h, argv)).length > 0) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/** Waits until the host runs `argv` (the task has really started there). */
async function running(h: LabHost, argv: string, live: LiveRun): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await pidsRunning(h, argv)).length === 0) {
    if (Date.now() > deadline || live.child.exitCode !== null) throw new Error(`${h.name} never ran ${argv}:\n${live.output()}`);
    await sleep(50);
  }
}

describeLab('Ctrl-C while a command runs on a host', () => {
  let lab: Lab;
  let work: string;
  let inv: string;
  /** Neither the connect timeout nor the keepalives may be what ends a run here. */
  let patientInv: string;
  const book = (secs: number): string => {
    const file = join(work, `sleep${secs}.yml`);
    writeFileSync(file, `- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep ${secs}\n    - debug: { msg: not reached }\n`);
    return file;
  };

  beforeAll(async () => {
    lab = await createLab({ name: 'fault-sigint', hosts: 2 });
    work = mkdtempSync(join(tmpdir(), 'tsrun-fault-sigint-'));
    inv = join(work, 'hosts.ini');
    writeFileSync(inv, lab.inventory());
    patientInv = join(work, 'patient.ini');
    writeFileSync(patientInv, lab.inventory({ vars: { ansible_timeout: '3600', ansible_ssh_extra_args: "'-o ServerAliveInterval=3600'" } }));
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  beforeEach(async () => {
    for (const h of lab.hosts) await unsilence(h).catch(() => undefined);
  });

  for (const [how, extra, secs] of [['as the login user', [], 31], ['under become (sudo)', ['-b'], 36]] as const) {
    it(`exits 99 and ends the remote command, ${how}`, async () => {
      const h = lab.hosts[0];
      const live = startTsrun(['-i', inv, book(secs), '-l', h.name, ...extra]);
      await running(h, `sleep ${secs}`, live);
      const at = Date.now();
      live.interrupt();
      const r = await live.done;
      console.log(`tsrun, SIGINT during sleep ${secs} ${how}: exit ${r.code} ${Date.now() - at} ms after the signal`);
      expect(r.code, live.output()).toBe(99);
      expect(live.output()).toContain('User interrupted execution');
      expect(r.stdout).not.toContain('not reached');
      expect(await ended(h, `sleep ${secs}`)).toBe(true);
    }, 180_000);
  }

  it('a second Ctrl-C exits at once', async () => {
    const h = lab.hosts[0];
    const live = startTsrun(['-i', inv, book(32), '-l', h.name]);
    await running(h, 'sleep 32', live);
    live.interrupt();
    live.interrupt();
    const r = await live.done;
    expect(r.code, live.output()).toBe(99);
    expect(await ended(h, 'sleep 32')).toBe(true);
  }, 180_000);

  it('does not wait for a host whose packets vanish while connecting', async () => {
    const h = lab.hosts[1];
    await silence(h);
    const live = startTsrun(['-i', patientInv, book(33), '-l', h.name]);
    await live.waitFor(/TASK \[command\]/);
    await sleep(500);
    const at = Date.now();
    live.interrupt();
    // Without the fix this waits for the connect timeout: an hour here, past the test's limit.
    const r = await live.done;
    console.log(`tsrun, SIGINT while connecting to a silent host: exit ${r.code} ${Date.now() - at} ms after the signal`);
    expect(r.code, live.output()).toBe(99);
  }, 60_000);

  it('does not wait for a host that goes silent under a running command', async () => {
    const h = lab.hosts[1];
    const live = startTsrun(['-i', patientInv, book(34), '-l', h.name]);
    await running(h, 'sleep 34', live);
    await silence(h);
    const at = Date.now();
    live.interrupt();
    const r = await live.done;
    console.log(`tsrun, SIGINT with the command's host gone silent: exit ${r.code} ${Date.now() - at} ms after the signal`);
    expect(r.code, live.output()).toBe(99);
  }, 60_000);

  it('ansible-playbook on the same host (for the reliability table)', async (t) => {
    if (!ansibleAvailable()) t.skip();
    const h = lab.hosts[0];
    const live = startAnsible(['-i', inv, book(35), '-l', h.name], { cwd: work });
    await running(h, 'sleep 35', live);
    const at = Date.now();
    live.interrupt();
    const r = await live.done;
    const stopped = await ended(h, 'sleep 35', 3000);
    console.log(`ansible-playbook, SIGINT during sleep 35: exit ${r.code} ${Date.now() - at} ms after the signal; remote sleep ${stopped ? 'ended' : 'still running 3 s later'}`);
    expect(r.code).toBe(99);
  }, 180_000);
});
