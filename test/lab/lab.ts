/**
 * The test lab: real OpenSSH servers on this machine, one per "host". Each host has its own
 * network namespace (joined to a per-lab bridge) and its own mount + UTS namespace in which
 * /opt, /srv, /var/opt, /tmp, /home and /root are private directories and /etc, /usr,
 * /var/lib/dpkg and /var/log are private overlays of the machine's, so tests see separate
 * machines and no test (useradd, dpkg -i, ...) changes the machine's own root filesystem.
 * Needs root, iproute2, util-linux (unshare, nsenter), openssh-server, sudo, overlayfs.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, rmSync, writeFileSync, chownSync, chmodSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describeIf } from '../support/needs.js';
import { removeLabCgroups } from './cgroup.js';
import { haveProgram, inParallel, must, pidAlive, run, shq, sleep, unmountUnder, withLock, type RunResult } from './sys.js';
import { ensureLabUser, LAB_USER, userLayer, type LabUser } from './user.js';

export interface LabHost {
  name: string;
  ip: string;
  netns: string;
  /** The host's private directories on the real fs: ROOT/opt is the host's /opt, etc. */
  root: string;
}

export interface Lab {
  name: string;
  hosts: LabHost[];
  user: string;
  password: string;
  becomePassword: string;
  keyFile: string;
  knownHostsFile: string;
  dir: string;
  inventory(opts?: { groups?: Record<string, string[]>; vars?: Record<string, string> }): string;
  runAsRoot(host: string, cmd: string): Promise<RunResult>;
  stopSshd(host: string): Promise<void>;
  startSshd(host: string): Promise<void>;
  destroy(): Promise<void>;
}

/** Where every lab lives; outside anything a lab host bind-mounts over. */
export const LAB_BASE = '/var/lib/tsrun-lab';
const PRIVATE_DIRS = ['opt', 'srv', 'var/opt', 'tmp', 'home', 'root'];
/**
 * The machine's directories each host sees through its own overlay (writes stay in the host):
 * /etc (with the lab's user layer in between, see user.ts), /usr and the dpkg database for
 * packages, /var/log for what useradd and dpkg log. LAB_BASE is never under one of these.
 */
const OVERLAY_DIRS = ['etc', 'usr', 'var/lib/dpkg', 'var/log'];
const NAME_RE = /^[A-Za-z0-9_-]{1,40}$/;
const MAX_HOSTS = 240;

interface HostState extends LabHost {
  /** sshd's pid. */
  pid?: number;
  /** The process that holds the host's mount + UTS namespace (sshd and runAsRoot join it). */
  holder?: number;
}
interface LabState {
  name: string;
  subnet: number;
  hosts: HostState[];
  uid?: number;
  gid?: number;
}

export function labSupport(): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: 'the lab needs Linux namespaces' };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'the lab needs root (network and mount namespaces)' };
  const programs: Record<string, string> = {
    ip: 'iproute2', unshare: 'util-linux', nsenter: 'util-linux', sudo: 'sudo', visudo: 'sudo',
    'ssh-keygen': 'openssh-client', useradd: 'passwd', chpasswd: 'passwd',
  };
  for (const [prog, pkg] of Object.entries(programs)) {
    if (!haveProgram(prog)) return { ok: false, reason: `the lab needs \`${prog}\` (apt package ${pkg})` };
  }
  if (!existsSync('/usr/sbin/sshd')) return { ok: false, reason: 'the lab needs /usr/sbin/sshd (apt package openssh-server)' };
  return { ok: true };
}

/**
 * A describe() that runs only where the lab can: under CI=true a missing capability fails the
 * file (so CI cannot silently skip end-to-end tests); elsewhere it warns and skips.
 */
export function describeLab(name: string, fn: () => void): void {
  const s = labSupport();
  describeIf(s.ok ? undefined : `the lab cannot run: ${s.reason}`, name, fn, { timeout: LAB_TEST_TIMEOUT_MS });
}

/**
 * A lab case runs real playbooks over SSH: on a busy machine (issue 10 #9: two CPU hogs, other
 * sessions' labs) one that takes 10 s alone took over 60 s, the suite-wide limit. Slower is
 * fine; only a hang may fail a case on time. A case's own, explicit timeout still wins.
 */
export const LAB_TEST_TIMEOUT_MS = 600_000;

/** TSRUN_LAB_PREFIX lets several checkouts run the same test files at once on one machine. */
export const labName = (name: string): string => `${process.env.TSRUN_LAB_PREFIX ?? ''}${name}`;

const netnsName = (lab: string, host: string): string => `tsl.${lab}.${host}`;
const bridgeName = (subnet: number): string => `tlbr${subnet}`;
const vethName = (subnet: number, i: number): string => `tlv${subnet}x${i}`;

function readState(dir: string): LabState | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}
function writeState(state: LabState): void {
  writeFileSync(join(LAB_BASE, state.name, 'state.json'), JSON.stringify(state, null, 2));
}

/** Removes every trace of lab `name`: its processes, namespaces, bridge and directory. */
export async function teardown(name: string): Promise<void> {
  const dir = join(LAB_BASE, name);
  const state = readState(dir);
  const prefix = `tsl.${name}.`;
  const listed = (await run('ip', ['netns', 'list'])).stdout
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.startsWith(prefix));
  const all = new Set([...listed, ...(state?.hosts.map((h) => h.netns) ?? [])]);
  await inParallel([...all], 8, async (ns) => {
    // Everything left in the namespace: sshd, its sessions, services tests started over SSH.
    const pids = (await run('ip', ['netns', 'pids', ns])).stdout.split(/\s+/).filter(Boolean).map(Number);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    const deadline = Date.now() + 5000;
    while (pids.some(pidAlive) && Date.now() < deadline) await sleep(20);
    await run('ip', ['netns', 'del', ns]);
  });
  if (state) {
    // A namespace can outlive its name (and keep its veth) while anything still holds it;
    // deleting our end of each pair removes both ends at once.
    const links = (await run('ip', ['-o', 'link', 'show'])).stdout;
    const vethPrefix = `tlv${state.subnet}x`;
    const ours = [...links.matchAll(/^\d+: (tlv\d+x\d+)[@:]/gm)].map((m) => m[1]).filter((l) => l.startsWith(vethPrefix));
    await inParallel(ours, 8, (l) => run('ip', ['link', 'del', l]));
    await run('ip', ['link', 'del', bridgeName(state.subnet)]);
  }
  // Systemd hosts (systemd-host.ts) leave their overlay roots mounted under the lab's directory.
  await unmountUnder(dir);
  rmSync(dir, { recursive: true, force: true });
  removeLabCgroups(name);
}

/** Subnet indexes (10.231.N.0/24) already used by other labs or by interfaces on this machine. */
async function usedSubnets(exceptLab: string): Promise<Set<number>> {
  const used = new Set<number>();
  if (existsSync(LAB_BASE)) {
    for (const entry of readdirSync(LAB_BASE)) {
      if (entry === exceptLab) continue;
      const st = readState(join(LAB_BASE, entry));
      if (st) used.add(st.subnet);
    }
  }
  const addrs = (await run('ip', ['-o', '-4', 'addr', 'show'])).stdout;
  for (const m of addrs.matchAll(/inet 10\.231\.(\d+)\./g)) used.add(Number(m[1]));
  const links = (await run('ip', ['-o', 'link', 'show'])).stdout;
  for (const m of links.matchAll(/: tlbr(\d+)[:@]/g)) used.add(Number(m[1]));
  return used;
}

function pickSubnet(name: string, used: Set<number>, wanted?: number): number {
  if (wanted !== undefined) {
    if (!Number.isInteger(wanted) || wanted < 1 || wanted > 254) throw new Error(`lab: subnetIndex must be 1..254, got ${wanted}`);
    if (used.has(wanted)) throw new Error(`lab: subnet 10.231.${wanted}.0/24 is already used by another lab`);
    return wanted;
  }
  const start = createHash('sha256').update(name).digest().readUInt8(0) % 254;
  for (let k = 0; k < 254; k++) {
    const s = ((start + k) % 254) + 1;
    if (!used.has(s)) return s;
  }
  throw new Error('lab: no free 10.231.N.0/24 subnet left');
}

function sshdConfig(h: LabHost, hostDir: string): string {
  return [
    `ListenAddress ${h.ip}:22`,
    `HostKey ${join(hostDir, 'ssh_host_ed25519_key')}`,
    'PidFile none',
    'AuthorizedKeysFile .ssh/authorized_keys',
    'PubkeyAuthentication yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    // Debian's PAM stack (pam_loginuid) can refuse logins inside namespaces; sshd's own
    // password check against /etc/shadow is enough here.
    'UsePAM no',
    'PermitRootLogin no',
    `AllowUsers ${LAB_USER}`,
    'PrintMotd no',
    'UseDNS no',
    'Subsystem sftp /usr/lib/openssh/sftp-server',
    // MaxSessions stays at OpenSSH's default (10): the runner must cope with real servers.
    '',
  ].join('\n');
}

const overlayDir = (h: LabHost, d: string): string => join(h.root, '..', 'overlay', d.replace(/\//g, '-'));

/** Shell text run as root in a fresh mount+UTS namespace to turn it into host `h`. */
function becomeHostScript(h: LabHost): string {
  const userLayer = join(h.root, '..', '..', '..', 'etc-user', 'upper');
  const overlays = OVERLAY_DIRS.map((d) => {
    const lower = d === 'etc' ? `${userLayer}:/etc` : `/${d}`;
    const o = overlayDir(h, d);
    return `mount -t overlay overlay -o ${shq(`lowerdir=${lower},upperdir=${o}/upper,workdir=${o}/work`)} /${d}`;
  });
  const binds = [...overlays, ...PRIVATE_DIRS.map((d) => `mount --bind ${shq(join(h.root, d))} /${d}`)];
  // Name lookups must not reach the machine's real DNS server, which a host cannot route to:
  // sudo resolves the hostname and would hang for the resolver's timeout.
  for (const f of ['hosts', 'resolv.conf']) binds.push(`mount --bind ${shq(join(h.root, '..', 'etc', f))} /etc/${f}`);
  return ['set -e', ...binds, `hostname ${shq(h.name)}`].join('\n');
}

function etcHosts(state: LabState): string {
  return ['127.0.0.1 localhost', '::1 localhost ip6-localhost ip6-loopback', ...state.hosts.map((h) => `${h.ip} ${h.name}`), ''].join('\n');
}
// Port 53 on the host's own loopback refuses at once, so unknown names fail fast.
const RESOLV_CONF = 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n';

export function waitForBanner(ip: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const attempt = (): Promise<boolean> =>
    new Promise((resolve) => {
      const sock = connect({ host: ip, port: 22 });
      let got = '';
      const done = (ok: boolean): void => {
        sock.destroy();
        resolve(ok);
      };
      sock.setTimeout(2000, () => done(false));
      sock.on('data', (b) => {
        got += b.toString('latin1');
        if (got.startsWith('SSH-')) done(true);
      });
      sock.on('error', () => done(false));
      sock.on('close', () => done(false));
    });
  return (async () => {
    while (Date.now() < deadline) {
      if (await attempt()) return;
      await sleep(50);
    }
    throw new Error(`lab: sshd on ${ip} did not answer within ${timeoutMs} ms`);
  })();
}

export async function createLab(opts: { name: string; hosts: number | string[]; subnetIndex?: number }): Promise<Lab> {
  const support = labSupport();
  if (!support.ok) throw new Error(`lab cannot run: ${support.reason}`);
  // Parallel checkouts (one per developer session) on one machine keep their labs apart.
  const name = labName(opts.name);
  if (!NAME_RE.test(name)) throw new Error(`lab: name must match ${NAME_RE}, got ${JSON.stringify(name)}`);
  const hostNames = typeof opts.hosts === 'number' ? Array.from({ length: opts.hosts }, (_, i) => `host${i + 1}`) : opts.hosts;
  if (hostNames.length < 1 || hostNames.length > MAX_HOSTS) throw new Error(`lab: 1..${MAX_HOSTS} hosts, got ${hostNames.length}`);
  for (const h of hostNames) if (!NAME_RE.test(h)) throw new Error(`lab: host name must match ${NAME_RE}, got ${JSON.stringify(h)}`);
  if (new Set(hostNames).size !== hostNames.length) throw new Error('lab: duplicate host names');

  mkdirSync(LAB_BASE, { recursive: true, mode: 0o755 });
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = join(LAB_BASE, name);

  let user!: LabUser;
  let state!: LabState;
  await withLock(join(LAB_BASE, '.lock'), async () => {
    await teardown(name); // a previous crashed run with the same name
    user = await ensureLabUser(LAB_BASE);
    const subnet = pickSubnet(name, await usedSubnets(name), opts.subnetIndex);
    mkdirSync(dir, { recursive: true });
    state = {
      name,
      subnet,
      hosts: hostNames.map((h, i) => ({
        name: h,
        ip: `10.231.${subnet}.${10 + i}`,
        netns: netnsName(name, h),
        root: join(dir, 'hosts', h, 'fs'),
      })),
    };
    writeState(state); // claims the subnet before the lock is released
  });

  try {
    await build(state, user, dir);
  } catch (e) {
    await teardown(name);
    throw e;
  }
  return makeLab(state, user, dir);
}

async function build(state: LabState, user: LabUser, dir: string): Promise<void> {
  const { uid, gid } = await userLayer(join(dir, 'etc-user'), user);
  state.uid = uid;
  state.gid = gid;
  writeState(state);
  const br = bridgeName(state.subnet);
  await must('ip', ['link', 'add', br, 'type', 'bridge']);
  await must('ip', ['addr', 'add', `10.231.${state.subnet}.1/24`, 'dev', br]);
  await must('ip', ['link', 'set', br, 'up']);
  for (const d of ['/opt', '/srv', '/var/opt']) mkdirSync(d, { recursive: true });

  copyFileSync(user.keyFile, join(dir, 'id_ed25519'));
  chmodSync(join(dir, 'id_ed25519'), 0o600);
  copyFileSync(user.keyFile + '.pub', join(dir, 'id_ed25519.pub'));

  const known: string[] = new Array(state.hosts.length);
  await inParallel(state.hosts, 8, async (h, i) => {
    const hostDir = join(dir, 'hosts', h.name);
    mkdirSync(join(hostDir, 'etc'), { recursive: true });
    writeFileSync(join(hostDir, 'etc', 'hosts'), etcHosts(state), { mode: 0o644 });
    writeFileSync(join(hostDir, 'etc', 'resolv.conf'), RESOLV_CONF, { mode: 0o644 });
    for (const d of PRIVATE_DIRS) mkdirSync(join(h.root, d), { recursive: true, mode: 0o755 });
    for (const d of OVERLAY_DIRS) for (const sub of ['upper', 'work']) mkdirSync(join(overlayDir(h, d), sub), { recursive: true });
    chmodSync(join(h.root, 'tmp'), 0o1777);
    chmodSync(join(h.root, 'root'), 0o700);
    const home = join(h.root, 'home', LAB_USER);
    mkdirSync(join(home, '.ssh'), { recursive: true });
    writeFileSync(join(home, '.ssh', 'authorized_keys'), user.publicKey + '\n', { mode: 0o600 });
    for (const p of [home, join(home, '.ssh'), join(home, '.ssh', 'authorized_keys')]) chownSync(p, uid, gid);
    chmodSync(home, 0o700);
    chmodSync(join(home, '.ssh'), 0o700);

    await must('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', h.name, '-f', join(hostDir, 'ssh_host_ed25519_key')]);
    const pub = readFileSync(join(hostDir, 'ssh_host_ed25519_key.pub'), 'utf8').trim().split(' ');
    known[i] = `${h.ip} ${pub[0]} ${pub[1]}`;
    writeFileSync(join(hostDir, 'sshd_config'), sshdConfig(h, hostDir));

    const veth = vethName(state.subnet, i);
    await must('ip', ['netns', 'add', h.netns]);
    await must('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', h.netns]);
    await must('ip', ['link', 'set', veth, 'master', bridgeName(state.subnet), 'up']);
    await must('ip', ['-n', h.netns, 'addr', 'add', `${h.ip}/24`, 'dev', 'eth0']);
    await must('ip', ['-n', h.netns, 'link', 'set', 'eth0', 'up']);
    await must('ip', ['-n', h.netns, 'link', 'set', 'lo', 'up']);
    await must('ip', ['-n', h.netns, 'route', 'add', 'default', 'via', `10.231.${state.subnet}.1`]);
  });
  writeFileSync(join(dir, 'known_hosts'), known.join('\n') + '\n');

  await inParallel(state.hosts, 16, (h) => startHost(state, h, dir));
}

/**
 * Starts the process that holds host `h`'s mount + UTS namespace (its overlays and private
 * dirs) for the lab's lifetime, so a restarted sshd and runAsRoot see the same mounts, and an
 * overlay is never mounted twice. Resolves once the mounts are in place.
 */
function startHolder(state: LabState, h: HostState): Promise<void> {
  const script = `${becomeHostScript(h)}\necho ready\nexec sleep infinity`;
  const child = spawn('ip', ['netns', 'exec', h.netns, 'unshare', '--mount', '--uts', '--propagation', 'private', 'sh', '-c', script], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (!out.includes('ready\n')) return;
      child.stdout!.destroy();
      child.stderr!.destroy();
      child.unref();
      // ip netns exec, unshare and `exec` all replace the process: the pid is sleep's own.
      h.holder = child.pid;
      writeState(state);
      resolve();
    });
    child.on('exit', (code) => reject(new Error(`lab: host ${h.name} could not be set up (rc ${code}): ${err.trim()}`)));
  });
}

async function startHost(state: LabState, h: HostState, dir: string): Promise<void> {
  const hostDir = join(dir, 'hosts', h.name);
  const log = join(hostDir, 'sshd.log');
  if (!pidAlive(h.holder)) await startHolder(state, h);
  const out = openSync(join(hostDir, 'sshd.out'), 'a');
  // sshd runs in the host's namespaces, so it sees the host's own /etc (users, sudoers).
  // nsenter without --fork replaces itself: the pid is sshd's own.
  const child = spawn('nsenter', ['-t', String(h.holder), '-m', '-u', '-n', '--', '/usr/sbin/sshd', '-D', '-f', join(hostDir, 'sshd_config'), '-E', log], {
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  child.unref();
  h.pid = child.pid;
  writeState(state);
  try {
    await waitForBanner(h.ip, 20_000);
  } catch (e) {
    const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
    const outText = readFileSync(join(hostDir, 'sshd.out'), 'utf8').slice(-2000);
    throw new Error(`${(e as Error).message}\n${tail}${outText}`);
  }
}

/** The Lab object of a lab that is already up (e.g. started by `cli.ts up`), by name. */
export async function attachLab(name: string): Promise<Lab> {
  const dir = join(LAB_BASE, name);
  const state = readState(dir);
  if (!state) throw new Error(`lab ${name} is not up (no ${join(dir, 'state.json')})`);
  const user = await withLock(join(LAB_BASE, '.lock'), () => ensureLabUser(LAB_BASE));
  return makeLab(state, user, dir);
}

function makeLab(state: LabState, user: LabUser, dir: string): Lab {
  const find = (host: string): HostState => {
    const h = state.hosts.find((x) => x.name === host || x.ip === host);
    if (!h) throw new Error(`lab ${state.name}: no host ${host}`);
    return h;
  };
  const lab: Lab = {
    name: state.name,
    hosts: state.hosts.map(({ name, ip, netns, root }) => ({ name, ip, netns, root })),
    user: user.user,
    password: user.password,
    becomePassword: user.password,
    keyFile: join(dir, 'id_ed25519'),
    knownHostsFile: join(dir, 'known_hosts'),
    dir,
    inventory(o = {}) {
      const lines = ['[lab]'];
      for (const h of state.hosts) lines.push(`${h.name} ansible_host=${h.ip}`);
      for (const [g, members] of Object.entries(o.groups ?? {})) {
        lines.push('', `[${g}]`);
        for (const m of members) lines.push(find(m).name);
      }
      const vars: Record<string, string> = {
        ansible_user: user.user,
        ansible_ssh_private_key_file: lab.keyFile,
        ansible_become_pass: user.password,
        ansible_ssh_common_args: `'-o UserKnownHostsFile=${lab.knownHostsFile} -o StrictHostKeyChecking=yes'`,
        ansible_python_interpreter: '/usr/bin/python3',
        ...o.vars,
      };
      lines.push('', '[all:vars]');
      for (const [k, v] of Object.entries(vars)) lines.push(`${k}=${v}`);
      return lines.join('\n') + '\n';
    },
    async runAsRoot(host, cmd) {
      const h = find(host);
      // The holder keeps the host's namespaces while its sshd is stopped too.
      if (!pidAlive(h.holder)) throw new Error(`lab ${state.name}: host ${h.name} is down (its namespace holder is gone)`);
      return run('nsenter', ['-t', String(h.holder), '-m', '-u', '-n', '--', 'sh', '-c', cmd]);
    },
    async stopSshd(host) {
      const h = find(host);
      if (!pidAlive(h.pid)) return;
      process.kill(h.pid!, 'SIGTERM');
      const deadline = Date.now() + 10_000;
      while (pidAlive(h.pid) && Date.now() < deadline) await sleep(20);
      if (pidAlive(h.pid)) process.kill(h.pid!, 'SIGKILL');
      h.pid = undefined;
      writeState(state);
    },
    async startSshd(host) {
      const h = find(host);
      if (pidAlive(h.pid)) return;
      await startHost(state, h, dir);
    },
    async destroy() {
      await teardown(state.name);
    },
  };
  return lab;
}
