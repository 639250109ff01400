/**
 * The lab's systemd hosts (systemd-host.ts): systemd is PID 1, the lab user logs in over SSH with
 * the lab's key and known_hosts and uses sudo with its password, and a reboot keeps the host's
 * disk: an enabled unit comes back, a disabled one does not.
 */
import { mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO, tsrun } from '../support/runners.js';
import { createLab, describeLab, type Lab } from './lab.js';
import { addSystemdHosts, systemdHostSupport, type SystemdLab } from './systemd-host.js';

const support = systemdHostSupport();
if (!support.ok) {
  if (process.env.CI === 'true') throw new Error(`systemd hosts cannot run: ${support.reason}`);
  console.warn(`skipping systemd host tests: ${support.reason}`);
}

describeLab('systemd hosts in the lab', () => {
  let base: Lab;
  let lab: SystemdLab;
  let work: string;
  beforeAll(async () => {
    if (!support.ok) return;
    base = await createLab({ name: 'sysd', hosts: ['sd1', 'plain1'] });
    lab = await addSystemdHosts(base, ['sd1']);
    work = mkdtempSync(join(tmpdir(), 'tsrun-sysd-'));
  }, 300_000);
  afterAll(async () => {
    await (lab ?? base)?.destroy();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it.runIf(support.ok)('boots systemd as PID 1, logs the lab user in, and keeps enabled units across a reboot', async () => {
    expect((await lab.runAsRoot('sd1', 'ps -p 1 -o comm=')).stdout.trim()).toBe('systemd');
    // A namespace host shares this machine's PID namespace (and so its PID 1, whatever that is);
    // a systemd host has its own.
    const ownPidNs = readlinkSync('/proc/self/ns/pid');
    expect((await lab.runAsRoot('plain1', 'readlink /proc/self/ns/pid')).stdout.trim()).toBe(ownPidNs);
    expect((await lab.runAsRoot('sd1', 'readlink /proc/self/ns/pid')).stdout.trim()).not.toBe(ownPidNs);
    expect((await lab.runAsRoot('sd1', 'hostname')).stdout.trim()).toBe('sd1');

    const inv = join(work, 'inv.ini');
    writeFileSync(inv, lab.inventory());
    const book = join(work, 'play.yml');
    writeFileSync(book, `
- hosts: sd1
  gather_facts: true
  become: true
  tasks:
    - copy: { dest: /etc/systemd/system/lab-on.service, content: "[Service]\\nExecStart=/bin/sleep infinity\\n[Install]\\nWantedBy=multi-user.target\\n" }
    - copy: { dest: /etc/systemd/system/lab-off.service, content: "[Service]\\nExecStart=/bin/sleep infinity\\n[Install]\\nWantedBy=multi-user.target\\n" }
    - systemd: { name: lab-on, state: started, enabled: true, daemon_reload: true }
    - systemd: { name: lab-off, state: started, enabled: false }
    - command: id -un
      become: false
      register: login
    - debug: { msg: "mgr={{ ansible_service_mgr }} user={{ login.stdout }}" }
`);
    const out = await tsrun(['-i', inv, book], { cwd: REPO, timeoutMs: 120_000 });
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toContain('mgr=systemd user=tsrun-lab');

    // PID 1's start time (clock ticks since the machine booted) tells a real reboot of the container.
    const initStart = async (): Promise<string> => (await lab.runAsRoot('sd1', 'cut -d " " -f 22 /proc/1/stat')).stdout.trim();
    const before = await initStart();
    await lab.rebootHost('sd1');
    expect(await initStart()).not.toBe(before);
    expect((await lab.runAsRoot('sd1', 'systemctl is-active lab-on lab-off; true')).stdout.split('\n').slice(0, 2)).toEqual(['active', 'inactive']);
  }, 300_000);
});
