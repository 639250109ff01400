/**
 * Lab hosts with a real systemd as PID 1 (../shared/LAB.md, "A host with real systemd"): a
 * Debian bookworm root built once with debootstrap and cached under LAB_BASE, overlaid per host
 * (so hosts never share state and a reboot keeps the host's disk), booted with
 * `systemd-nspawn -b` inside the lab host's network namespace in place of its namespace sshd.
 * The container runs Debian's own sshd with the lab's host key, login user, password and key,
 * so inventories and known_hosts from lab.ts work unchanged.
 *
 * Needs, besides the lab: systemd-nspawn (apt package systemd-container) and, to build the root
 * the first time, debootstrap and a reachable Debian mirror (.ci/run builds it before the tests).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { hostCgroupName, makeHostCgroups, removeCgroupTree } from './cgroup.js';
import { LAB_BASE, waitForBanner, type Lab } from './lab.js';
import { haveProgram, must, pidAlive, run, sleep, withLock, type RunResult } from './sys.js';
import { LAB_USER } from './user.js';

const SUITE = 'bookworm';
/** What every systemd host has: systemd as init, sshd, sudo, and node for the demo bundle. */
const PACKAGES = ['systemd', 'systemd-sysv', 'dbus', 'openssh-server', 'sudo', 'nodejs', 'procps', 'iproute2'];
/** The cached root; its name changes with the package list, so a new list builds a new root. */
export const SYSTEMD_ROOT = join(LAB_BASE, `.sysroot-${SUITE}-v1`);

export interface SystemdLab extends Lab {
  /** The hosts that run systemd (their runAsRoot enters the container). */
  systemdHosts: string[];
  /** Powers the container off and boots it again on the same disk; resolves when sshd answers. */
  rebootHost(host: string): Promise<void>;
}

export function systemdHostSupport(): { ok: true } | { ok: false; reason: string } {
  if (!haveProgram('systemd-nspawn')) return { ok: false, reason: 'systemd hosts need `systemd-nspawn` (apt package systemd-container)' };
  if (existsSync(join(SYSTEMD_ROOT, 'etc/os-release')) || existsSync(`${SYSTEMD_ROOT}.building/.debootstrap-done`)) return { ok: true };
  if (!haveProgram('debootstrap')) return { ok: false, reason: `systemd hosts need ${SYSTEMD_ROOT} or \`debootstrap\` to build it` };
  if (!mirror()) return { ok: false, reason: 'no Debian mirror configured in /etc/apt to build the systemd root from' };
  return { ok: true };
}

/** The first Debian mirror apt is configured with (deb822 .sources or one-line lists). */
function mirror(): string | undefined {
  const files = ['/etc/apt/sources.list'];
  if (existsSync('/etc/apt/sources.list.d')) for (const f of readdirSync('/etc/apt/sources.list.d')) files.push(join('/etc/apt/sources.list.d', f));
  for (const f of files.filter((x) => /\.(list|sources)$/.test(x) && existsSync(x))) {
    const text = readFileSync(f, 'utf8');
    const m = /^URIs:\s*(\S+\/debian)\/?\s*$/m.exec(text) ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\/?\s/m.exec(text);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Builds the cached root once (about 3-4 min, needs the mirror), under the labs' lock so that
 * parallel test files build it only once. The login user and sudo rule are baked in; the
 * password, keys and host identity are set per host.
 */
export async function ensureSystemdRoot(): Promise<string> {
  if (existsSync(join(SYSTEMD_ROOT, 'etc/os-release'))) return SYSTEMD_ROOT;
  mkdirSync(LAB_BASE, { recursive: true, mode: 0o755 });
  return withLock(join(LAB_BASE, '.sysroot-lock'), async () => {
    if (existsSync(join(SYSTEMD_ROOT, 'etc/os-release'))) return SYSTEMD_ROOT;
    const tmp = `${SYSTEMD_ROOT}.building`;
    // A debootstrap that finished (its marker written) is reused by a run killed in the steps after it.
    if (!existsSync(join(tmp, '.debootstrap-done'))) {
      const url = mirror();
      if (!url) throw new Error('systemd lab root: no Debian mirror in /etc/apt');
      rmSync(tmp, { recursive: true, force: true });
      const r = await run('debootstrap', ['--variant=minbase', `--include=${PACKAGES.join(',')}`, SUITE, tmp, url], { timeoutMs: 900_000 });
      if (r.rc !== 0) throw new Error(`systemd lab root: debootstrap failed (rc ${r.rc}): ${(r.stdout + r.stderr).slice(-2000)}`);
      writeFileSync(join(tmp, '.debootstrap-done'), `${SUITE} ${PACKAGES.join(',')}\n`);
    }
    const shell = existsSync(join(tmp, 'bin/bash')) ? '/bin/bash' : '/bin/sh';
    await must('chroot', [tmp, 'useradd', '--create-home', '--shell', shell, '--comment', 'tsrun test lab', LAB_USER]);
    writeFileSync(join(tmp, 'etc/sudoers.d/tsrun-lab'), `Defaults:${LAB_USER} timestamp_timeout=0\n${LAB_USER} ALL=(ALL:ALL) ALL\n`, { mode: 0o440 });
    // Per-host keys replace the ones the package generated; only ed25519, as in known_hosts.
    for (const f of readdirSync(join(tmp, 'etc/ssh'))) if (f.startsWith('ssh_host_')) rmSync(join(tmp, 'etc/ssh', f));
    writeFileSync(join(tmp, 'etc/ssh/sshd_config.d/tsrun-lab.conf'),
      `HostKey /etc/ssh/ssh_host_ed25519_key\nPasswordAuthentication yes\nAllowUsers ${LAB_USER}\nUseDNS no\n`);
    // Nothing in the lab can reach a network: units that wait for one would only slow boot.
    for (const u of ['apt-daily.timer', 'apt-daily-upgrade.timer', 'systemd-networkd-wait-online.service']) {
      await run('chroot', [tmp, 'systemctl', 'mask', u]);
    }
    renameSync(tmp, SYSTEMD_ROOT);
    return SYSTEMD_ROOT;
  });
}

interface Container {
  name: string;
  ip: string;
  netns: string;
  dir: string;
  merged: string;
  nspawnPid?: number;
  /** The container's own cgroups (cgroup.ts), one per systemd hierarchy. */
  cgroups: string[];
}

/**
 * Turns the named hosts of `lab` into systemd hosts: their namespace sshd stops and a booted
 * container takes its place (same IP, host key, user, password, key). Returns the lab with
 * runAsRoot entering the containers, and rebootHost.
 */
export async function addSystemdHosts(lab: Lab, names: string[]): Promise<SystemdLab> {
  const root = await ensureSystemdRoot();
  const password = lab.password;
  const pub = readFileSync(lab.keyFile + '.pub', 'utf8').trim();
  const containers = new Map<string, Container>();
  for (const n of names) {
    const h = lab.hosts.find((x) => x.name === n);
    if (!h) throw new Error(`lab ${lab.name}: no host ${n}`);
    const dir = join(lab.dir, 'hosts', n, 'systemd');
    containers.set(n, { name: n, ip: h.ip, netns: h.netns, dir, merged: join(dir, 'root'), cgroups: [] });
  }

  const prepare = async (c: Container): Promise<void> => {
    for (const d of ['upper', 'work', 'root']) mkdirSync(join(c.dir, d), { recursive: true });
    await must('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${root},upperdir=${join(c.dir, 'upper')},workdir=${join(c.dir, 'work')}`, c.merged]);
    const m = c.merged;
    const hostDir = join(lab.dir, 'hosts', c.name);
    writeFileSync(join(m, 'etc/ssh/ssh_host_ed25519_key'), readFileSync(join(hostDir, 'ssh_host_ed25519_key')), { mode: 0o600 });
    writeFileSync(join(m, 'etc/ssh/ssh_host_ed25519_key.pub'), readFileSync(join(hostDir, 'ssh_host_ed25519_key.pub')), { mode: 0o644 });
    writeFileSync(join(m, 'etc/hosts'), readFileSync(join(hostDir, 'etc/hosts')));
    writeFileSync(join(m, 'etc/resolv.conf'), readFileSync(join(hostDir, 'etc/resolv.conf')));
    writeFileSync(join(m, 'etc/hostname'), c.name + '\n');
    writeFileSync(join(m, 'etc/machine-id'), randomBytes(16).toString('hex') + '\n', { mode: 0o444 });
    await must('chroot', [m, 'chpasswd'], { input: `${LAB_USER}:${password}\n` });
    await must('chroot', [m, 'sh', '-c', `install -d -m 700 -o ${LAB_USER} -g ${LAB_USER} /home/${LAB_USER}/.ssh && ` +
      `printf '%s\\n' "$1" > /home/${LAB_USER}/.ssh/authorized_keys && chown ${LAB_USER}: /home/${LAB_USER}/.ssh/authorized_keys && chmod 600 /home/${LAB_USER}/.ssh/authorized_keys`, 'sh', pub]);
  };

  const boot = async (c: Container, firstBoot: boolean): Promise<void> => {
    const out = openSync(join(c.dir, 'nspawn.log'), 'a');
    // nspawn --keep-unit builds the container's cgroup tree under the cgroup it starts in: a
    // cgroup of this host's own, so containers never share unit cgroups (cgroup.ts says why).
    c.cgroups = makeHostCgroups(hostCgroupName(lab.name, c.name));
    const nspawn = ['systemd-nspawn', '-D', c.merged, '-b', '--register=no', '--keep-unit', `--network-namespace-path=/run/netns/${c.netns}`,
      '--console=passive', `--hostname=${c.name}`, '--resolv-conf=off', '--timezone=off', '--link-journal=no'];
    const enter = 'while [ "$1" != -- ]; do echo $$ > "$1/cgroup.procs" || exit 125; shift; done; shift; exec "$@"';
    const child = spawn('sh', ['-c', enter, 'sh', ...c.cgroups, '--', ...nspawn], { detached: true, stdio: ['ignore', out, out] });
    closeSync(out);
    child.unref();
    c.nspawnPid = child.pid;
    writeFileSync(join(c.dir, 'nspawn.pid'), String(child.pid));
    try {
      await waitForBanner(c.ip, 90_000);
      // sshd answers before boot is over; wait until systemd says it is done (running or degraded).
      const r = await run('nsenter', [...nsArgs(c), 'systemctl', 'is-system-running', '--wait'], { timeoutMs: 90_000 });
      const state = r.stdout.trim();
      // A unit failed at the first boot is the lab's own fault (no test has installed anything
      // yet), and a host that refuses logins (/run/nologin left by a failed
      // systemd-user-sessions) is no host: say so here, not as a test's unreachable host later.
      // After a reboot a test's own unit may have failed; logins must still work.
      const nologin = (await run('nsenter', [...nsArgs(c), 'test', '-e', '/run/nologin'])).rc === 0;
      if (!/^(running|degraded)$/.test(state) || (firstBoot && state !== 'running') || nologin) {
        const failed = (await run('nsenter', [...nsArgs(c), 'systemctl', '--failed', '--plain', '--no-legend', '--no-pager'])).stdout.trim();
        throw new Error(`systemd on ${c.name} is "${state}"${nologin ? ', /run/nologin refuses logins' : ''}; failed units: ${failed || 'none'}`);
      }
    } catch (e) {
      const log = readFileSync(join(c.dir, 'nspawn.log'), 'utf8').slice(-3000);
      throw new Error(`systemd host ${c.name}: ${(e as Error).message}\n${log}`);
    }
  };

  /** The container's PID 1, seen from here: the process in its netns that is pid 1 in its own pid namespace. */
  const initPid = (c: Container): number => {
    for (const p of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
      try {
        const status = readFileSync(`/proc/${p}/status`, 'utf8');
        const ppid = /^PPid:\s*(\d+)/m.exec(status)?.[1];
        if (Number(ppid) === c.nspawnPid && /^NSpid:.*\s1$/m.test(status)) return Number(p);
      } catch {
        // Gone meanwhile.
      }
    }
    throw new Error(`systemd host ${c.name}: its init is not running`);
  };
  const nsArgs = (c: Container): string[] => ['-t', String(initPid(c)), '-m', '-u', '-i', '-n', '-p', '-r', '-w', '--'];

  const poweroff = async (c: Container): Promise<void> => {
    if (!pidAlive(c.nspawnPid)) return;
    // SIGRTMIN+4 to init is systemd's "poweroff"; nspawn forwards SIGTERM the same way.
    process.kill(c.nspawnPid!, 'SIGTERM');
    const deadline = Date.now() + 60_000;
    while (pidAlive(c.nspawnPid) && Date.now() < deadline) await sleep(100);
    if (pidAlive(c.nspawnPid)) process.kill(c.nspawnPid!, 'SIGKILL');
    while (pidAlive(c.nspawnPid)) await sleep(50);
    c.nspawnPid = undefined;
    for (const d of c.cgroups) removeCgroupTree(d);
  };

  const all = [...containers.values()];
  await Promise.all(all.map((c) => lab.stopSshd(c.name)));
  try {
    for (const c of all) await prepare(c);
    // Two cores: boot them all at once (boot is mostly waiting), never more than a handful per lab.
    await Promise.all(all.map((c) => boot(c, true)));
  } catch (e) {
    await Promise.all(all.map(poweroff));
    throw e;
  }

  const find = (host: string): Container | undefined => all.find((c) => c.name === host || c.ip === host);
  const result: SystemdLab = {
    ...lab,
    systemdHosts: names,
    async runAsRoot(host: string, cmd: string): Promise<RunResult> {
      const c = find(host);
      if (!c) return lab.runAsRoot(host, cmd);
      return run('nsenter', [...nsArgs(c), 'sh', '-c', cmd]);
    },
    async stopSshd(host: string): Promise<void> {
      const c = find(host);
      if (!c) return lab.stopSshd(host);
      await run('nsenter', [...nsArgs(c), 'systemctl', 'stop', 'ssh.service', 'ssh.socket']);
    },
    async startSshd(host: string): Promise<void> {
      const c = find(host);
      if (!c) return lab.startSshd(host);
      await must('nsenter', [...nsArgs(c), 'systemctl', 'start', 'ssh.service']);
      await waitForBanner(c.ip, 20_000);
    },
    async rebootHost(host: string): Promise<void> {
      const c = find(host);
      if (!c) throw new Error(`lab ${lab.name}: ${host} is not a systemd host`);
      await poweroff(c);
      await boot(c, false);
    },
    async destroy(): Promise<void> {
      await Promise.all(all.map(poweroff));
      // lab.destroy() unmounts whatever is left mounted under the lab's directory.
      await lab.destroy();
    },
  };
  return result;
}
