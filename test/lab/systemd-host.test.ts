/**
 * The lab's systemd hosts (systemd-host.ts): systemd is PID 1, the lab user logs in over SSH with
 * the lab's key and known_hosts and uses sudo with its password, and a reboot keeps the host's
 * disk: an enabled unit comes back, a disabled one does not.
 */
import { mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ansibleAvailable, ansiblePlaybook, REPO, tsrun } from '../support/runners.js';
import { run } from './sys.js';
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
    base = await createLab({ name: 'sysd', hosts: ['sd1', 'sd2', 'plain1'] });
    lab = await addSystemdHosts(base, ['sd1', 'sd2']);
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

  // Every container once shared one cgroup tree (nspawn --keep-unit started from one cgroup), and
  // their systemds removed one another's unit cgroups: on a busy machine a unit failed at boot with
  // 219/CGROUP, and when it was systemd-user-sessions the host refused every login.
  it.runIf(support.ok)('gives each systemd host cgroups of its own: a unit of the same name in two hosts is two cgroups of one process each', async () => {
    const unit = `lab-probe-${process.pid}`;
    const tag = String(86_400 + (process.pid % 1000));
    for (const h of ['sd1', 'sd2']) expect((await lab.runAsRoot(h, `systemd-run --unit=${unit} sleep ${tag}`)).rc).toBe(0);
    try {
      // Seen from this machine: the processes of both probes and the cgroup each one is in.
      const cgroups: string[] = [];
      for (const h of lab.hosts.filter((x) => x.name !== 'plain1')) {
        for (const pid of (await run('ip', ['netns', 'pids', h.netns])).stdout.split(/\s+/).filter(Boolean)) {
          let cmd: string;
          try {
            cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          } catch {
            continue; // gone meanwhile
          }
          if (cmd === `sleep\0${tag}\0` || cmd === `/usr/bin/sleep\0${tag}\0`) {
            cgroups.push(readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').filter((l) => l.includes(unit)).join('\n'));
          }
        }
      }
      const perCgroup = new Map<string, number>();
      for (const c of cgroups) perCgroup.set(c, (perCgroup.get(c) ?? 0) + 1);
      expect([...perCgroup.values()], cgroups.join('\n')).toEqual([1, 1]);
      // Both systemds came up with no failed unit (one that lost its cgroup to another would be failed).
      for (const h of ['sd1', 'sd2']) expect((await lab.runAsRoot(h, 'systemctl is-system-running')).stdout.trim()).toBe('running');
    } finally {
      for (const h of ['sd1', 'sd2']) await lab.runAsRoot(h, `systemctl stop ${unit}`);
    }
  }, 300_000);

  // A host whose sshd refuses the login after authentication (pam_nologin while /run/nologin
  // exists) closes the connection with only a banner to say why: tsrun says it, as OpenSSH and
  // so ansible-playbook do, and counts the host unreachable (exit 4) without a retry, as Ansible.
  it.runIf(support.ok)('a host refusing logins (/run/nologin) is unreachable with what its sshd said, as with ansible-playbook', async () => {
    const inv = join(work, 'nologin.ini');
    writeFileSync(inv, lab.inventory());
    const book = join(work, 'nologin.yml');
    writeFileSync(book, '- hosts: sd2:plain1\n  gather_facts: false\n  tasks:\n    - command: "true"\n');
    const said = 'System is booting up (injected by the test).';
    await lab.runAsRoot('sd2', `echo '${said}' > /run/nologin`);
    try {
      const out = await tsrun(['-i', inv, book], { cwd: REPO, timeoutMs: 120_000 });
      expect(out.code, out.stdout + out.stderr).toBe(4);
      expect(out.stdout).toMatch(/fatal: \[sd2\]: UNREACHABLE! => .*the server closed the connection during authentication; it said: System is booting up \(injected by the test\)\./);
      expect(out.stdout).toMatch(/plain1 +: ok=1 +changed=1 +unreachable=0/);
      if (ansibleAvailable()) {
        const a = await ansiblePlaybook(['-i', inv, book], { json: false, timeoutMs: 300_000 });
        expect(a.code, a.stdout + a.stderr).toBe(4);
        expect(a.stdout).toMatch(/fatal: \[sd2\]: UNREACHABLE! => .*System is booting up \(injected by the test\)\./);
      }
    } finally {
      await lab.runAsRoot('sd2', 'rm -f /run/nologin');
    }
  }, 600_000);
});
