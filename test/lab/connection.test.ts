import { createHash, randomBytes } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { connectionSpecFromVars, SshConnection, UnreachableError, type Connection } from '../../src/connection/index.js';
import { createLab, describeLab, type Lab } from './lab.js';

/** Counts SSH connections and channels (exec requests) opened from now until restore(). */
function countSsh(): { connects: number; channels: number; restore(): void } {
  const connect = vi.spyOn(ssh2.Client.prototype, 'connect');
  const exec = vi.spyOn(ssh2.Client.prototype, 'exec');
  return {
    get connects() {
      return connect.mock.calls.length;
    },
    get channels() {
      return exec.mock.calls.length;
    },
    restore() {
      connect.mockRestore();
      exec.mockRestore();
    },
  };
}

describeLab('ssh connections against real sshd hosts', () => {
  let lab: Lab;
  let home: string;
  const open: Connection[] = [];
  const ip = (i: number): string => lab.hosts[i].ip;

  /** A connection to lab host i; HOME is a scratch dir so the runner's own ~/.ssh cannot help. */
  function conn(i: number, vars: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}): SshConnection {
    const spec = connectionSpecFromVars(lab.hosts[i].name, {
      ansible_host: ip(i),
      ansible_user: lab.user,
      ansible_ssh_private_key_file: lab.keyFile,
      ansible_ssh_common_args: `-o UserKnownHostsFile=${lab.knownHostsFile}`,
      ...vars,
    }, { env: { HOME: home, ...env } });
    const c = new SshConnection(spec, { env: { HOME: home, ...env } });
    open.push(c);
    return c;
  }
  const become = (): { user: string; password: string } => ({ user: 'root', password: lab.becomePassword });

  beforeAll(async () => {
    lab = await createLab({ name: 'conn-test', hosts: 3 });
    home = mkdtempSync(join(tmpdir(), 'tsrun-conn-home-'));
  });
  afterAll(async () => {
    await Promise.allSettled(open.map((c) => c.close()));
    await lab?.destroy();
  });

  it('runs scripts with separate stdout, stderr and exit status', async () => {
    const c = conn(0);
    const r = await c.exec('echo out; echo err >&2; hostname; exit 3');
    expect(r).toEqual({ rc: 3, stdout: `out\n${lab.hosts[0].name}\n`, stderr: 'err\n' });
    // exit, cd and syntax errors stay inside one call.
    expect((await c.exec('cd /; exit 0')).rc).toBe(0);
    expect((await c.exec('pwd')).stdout).toBe(`/home/${lab.user}\n`);
    const bad = await c.exec('if then fi');
    expect(bad.rc).not.toBe(0);
    expect(bad.stderr).toMatch(/syntax error/i);
    expect((await c.exec('echo still-alive')).stdout).toBe('still-alive\n');
  });

  it('gives the script exactly its stdin bytes and its env', async () => {
    const c = conn(0);
    const data = Buffer.concat([Buffer.from([0, 1, 2, 0xff, 0x0a]), randomBytes(300_000)]);
    const want = createHash('sha256').update(data).digest('hex');
    const r = await c.exec('sha256sum | cut -d" " -f1', { stdin: data });
    expect(r.stdout.trim()).toBe(want);
    expect((await c.exec('cat', { stdin: 'plain text\nsecond line\n' })).stdout).toBe('plain text\nsecond line\n');
    expect((await c.exec('cat', { stdin: 'no newline at end' })).stdout).toBe('no newline at end');
    // A script that does not read stdin does not get the next command as input either.
    expect((await c.exec('read line; echo "got:$line"')).stdout).toBe('got:\n');
    const e = await c.exec('printf "%s|%s" "$GREETING" "$OTHER"', { env: { GREETING: "it's $HOME `x`", OTHER: '' } });
    expect(e.stdout).toBe("it's $HOME `x`|");
  });

  it('reads remote files binary-safely', async () => {
    const data = randomBytes(200_000);
    writeFileSync(join(lab.hosts[0].root, 'tmp', 'blob.bin'), data);
    await lab.runAsRoot(lab.hosts[0].name, 'chmod 644 /tmp/blob.bin');
    const c = conn(0);
    expect((await c.readFile('/tmp/blob.bin')).equals(data)).toBe(true);
    await expect(c.readFile('/tmp/does-not-exist')).rejects.toThrow(/cannot read \/tmp\/does-not-exist/);
  });

  it('runs 200 sequential commands through one connection and one channel', async () => {
    // A channel per command costs ~110 ms; the shell protocol keeps one open (speed: bench/).
    const counts = countSsh();
    try {
      const c = conn(1);
      await c.connect();
      const shells = new Set<string>();
      for (let i = 0; i < 200; i++) {
        const r = await c.exec(`echo ${i} $PPID`);
        expect(r.stdout).toMatch(new RegExp(`^${i} \\d+\n$`));
        shells.add(r.stdout.split(' ')[1]);
      }
      expect({ connections: counts.connects, channels: counts.channels, shells: shells.size }).toEqual({ connections: 1, channels: 1, shells: 1 });
    } finally {
      counts.restore();
    }
  });

  it('copes with more concurrent calls than the server allows sessions (MaxSessions 10)', async () => {
    const counts = countSsh();
    try {
      const c = conn(1);
      const rs = await Promise.all(Array.from({ length: 30 }, (_, i) => c.exec(`sleep 0.3; echo ${i}`)));
      expect(rs.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 30 }, (_, i) => String(i)));
      expect(rs.every((r) => r.rc === 0)).toBe(true);
      // In parallel, but never more channels than the server's MaxSessions, on one connection.
      expect(counts.connects).toBe(1);
      expect(counts.channels).toBeGreaterThan(1);
      expect(counts.channels).toBeLessThanOrEqual(10);
    } finally {
      counts.restore();
    }
  });

  it('becomes root with the sudo password', async () => {
    const c = conn(0);
    const r = await c.exec('id -u; echo "$HOME"', { become: become() });
    expect(r.stdout).toBe('0\n/root\n');
    // The login user exists only in the host's own /etc.
    expect((await c.exec('id -u')).stdout).toBe((await lab.runAsRoot(lab.hosts[0].name, `id -u ${lab.user}`)).stdout);
    expect((await c.exec('id -u')).stdout).not.toBe('0\n');
    expect((await c.exec('id -un', { become: { user: 'nobody', password: lab.becomePassword } })).stdout).toBe('nobody\n');
    const f = await c.exec('echo root-only > /opt/root-file && stat -c %U /opt/root-file', { become: become() });
    expect(f.stdout).toBe('root\n');
  });

  it('fails clearly on a wrong become password, without showing it', async () => {
    const c = conn(0);
    const wrong = 'Wrong-' + randomBytes(6).toString('hex');
    const err = await c.exec('id -u', { become: { user: 'root', password: wrong } }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toBe(`become password incorrect for ${lab.hosts[0].name}`);
    expect(err?.message).not.toContain(wrong);
    // The connection is still good, and the right password still works.
    expect((await c.exec('id -u', { become: become() })).stdout).toBe('0\n');
    const missing = await c.exec('true', { become: { user: 'root' } }).catch((e: Error) => e);
    expect((missing as Error).message).toMatch(/requires a password/);
  });

  it('never puts the become password on a process command line', async () => {
    const c = conn(2);
    const running = c.exec('sleep 1.5; id -u', { become: become() });
    let sawSudo = false;
    let leaked = false;
    for (let i = 0; i < 10 && !sawSudo; i++) {
      const ps = await lab.runAsRoot(lab.hosts[2].name, 'ps -eo args');
      if (ps.stdout.includes(lab.becomePassword)) leaked = true;
      if (/sudo -H -S -p .*tsrun-sudo/.test(ps.stdout)) sawSudo = true;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await running).stdout).toBe('0\n');
    expect(sawSudo).toBe(true);
    expect(leaked).toBe(false);
  });

  it('kills a script that exceeds timeoutMs and keeps the connection usable', async () => {
    const c = conn(2);
    const tag = `sleep ${40 + Math.floor(Math.random() * 50)}.5`;
    await expect(c.exec(`${tag}; echo never`, { timeoutMs: 700 })).rejects.toThrow(/timed out after 700 ms/);
    await new Promise((r) => setTimeout(r, 300));
    expect((await c.exec(`pgrep -f '^${tag}' || echo none`)).stdout).toBe('none\n');
    expect((await c.exec('echo ok', { timeoutMs: 5000 })).stdout).toBe('ok\n');
    await expect(c.exec('sleep 30', { timeoutMs: 500, become: become() })).rejects.toThrow(/timed out/);
    expect((await c.exec('id -u', { become: become() })).stdout).toBe('0\n');
  });

  it('refuses a host whose key does not match known_hosts', async () => {
    const kh = join(home, 'swapped_known_hosts');
    const lines = readFileSync(lab.knownHostsFile, 'utf8').trim().split('\n');
    const keyOfHost1 = lines[1].split(' ').slice(1).join(' ');
    writeFileSync(kh, `${ip(0)} ${keyOfHost1}\n`);
    const c = conn(0, { ansible_ssh_common_args: `-o UserKnownHostsFile=${kh}` });
    const err = await c.connect().catch((e: Error) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toContain(`host key for ${lab.hosts[0].name} (${ip(0)}) does not match known_hosts`);
  });

  it('refuses an unknown host while checking is on, accepts it when off', async () => {
    const kh = join(home, 'empty_known_hosts');
    writeFileSync(kh, '');
    const strict = conn(0, { ansible_ssh_common_args: `-o UserKnownHostsFile=${kh} -o StrictHostKeyChecking=yes` });
    const err = await strict.connect().catch((e: Error) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toMatch(/is not in known_hosts/);

    const viaEnv = conn(0, { ansible_ssh_common_args: `-o UserKnownHostsFile=${kh}` }, { ANSIBLE_HOST_KEY_CHECKING: 'False' });
    expect((await viaEnv.exec('echo in')).stdout).toBe('in\n');
    const viaArgs = conn(0, { ansible_ssh_common_args: `-o UserKnownHostsFile=${kh} -o StrictHostKeyChecking=no` });
    expect((await viaArgs.exec('echo in')).stdout).toBe('in\n');
    const acceptNew = conn(0, { ansible_ssh_common_args: `-o UserKnownHostsFile=${kh} -o StrictHostKeyChecking=accept-new` });
    expect((await acceptNew.exec('echo in')).stdout).toBe('in\n');
  });

  it('logs in with a password', async () => {
    const c = conn(1, { ansible_ssh_private_key_file: undefined, ansible_password: lab.password });
    expect((await c.exec('whoami')).stdout).toBe(`${lab.user}\n`);
    const bad = conn(1, { ansible_ssh_private_key_file: undefined, ansible_password: 'not-the-password' });
    const err = await bad.connect().catch((e: Error) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toMatch(/permission denied/i);
    expect((err as Error).message).not.toContain('not-the-password');
  });

  it('authenticates through ssh-agent (SSH_AUTH_SOCK)', async () => {
    const sock = join(home, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
      execFileSync('ssh-add', ['-q', lab.keyFile], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
      const c = conn(1, { ansible_ssh_private_key_file: undefined }, { SSH_AUTH_SOCK: sock });
      expect((await c.exec('whoami')).stdout).toBe(`${lab.user}\n`);
      await c.close();
      // Without the agent (and no key, no password) the same login is refused.
      const none = conn(1, { ansible_ssh_private_key_file: undefined });
      await expect(none.connect()).rejects.toThrow(/permission denied/i);
    } finally {
      agent.kill();
    }
  });

  it('reaches a host through a jump host (ProxyJump)', async () => {
    const c = conn(2, { ansible_ssh_common_args: `-o UserKnownHostsFile=${lab.knownHostsFile} -o ProxyJump=${lab.user}@${ip(0)}` });
    const r = await c.exec('hostname; echo "$SSH_CONNECTION"');
    const [name, sshConn] = r.stdout.trim().split('\n');
    expect(name).toBe(lab.hosts[2].name);
    // The target saw the connection come from the jump host, not from the runner.
    expect(sshConn.split(' ')[0]).toBe(ip(0));
    const j = conn(2, { ansible_ssh_common_args: `-o UserKnownHostsFile=${lab.knownHostsFile} -J ${lab.user}@${ip(1)}:22` });
    expect((await j.exec('echo "$SSH_CONNECTION"')).stdout.split(' ')[0]).toBe(ip(1));
  });

  it('keeps /opt, /tmp and the home directory private per host', async () => {
    const a = lab.hosts[0];
    const b = lab.hosts[1];
    expect((await lab.runAsRoot(a.name, 'echo from-a > /opt/only-on-a && hostname')).stdout).toBe(`${a.name}\n`);
    expect(readFileSync(join(a.root, 'opt', 'only-on-a'), 'utf8')).toBe('from-a\n');
    expect((await conn(0).exec('cat /opt/only-on-a')).stdout).toBe('from-a\n');
    const onB = await conn(1).exec('test -e /opt/only-on-a && echo present || echo absent; ls /tmp');
    expect(onB.stdout.split('\n')[0]).toBe('absent');
    expect(onB.stdout).not.toContain('blob.bin'); // written to host 0's /tmp earlier
    expect((await lab.runAsRoot(b.name, 'test -e /opt/only-on-a; echo $?')).stdout).toBe('1\n');
  });

  it('reports a stopped sshd as unreachable at once, and reconnects when it is back', async () => {
    const h = lab.hosts[1];
    await lab.stopSshd(h.name);
    try {
      const c = conn(1);
      const err = await c.connect().catch((e: Error) => e);
      expect(err).toBeInstanceOf(UnreachableError);
      // Refused (not timed out): the runner does not wait for a closed port.
      expect((err as Error).message).toMatch(new RegExp(`${h.name}.*connection refused`));
      // runAsRoot still sees the host's own /opt while its sshd is down.
      expect((await lab.runAsRoot(h.name, 'test -e /opt/only-on-a; echo $?; hostname')).stdout).toBe(`1\n${h.name}\n`);
    } finally {
      await lab.startSshd(h.name);
    }
    expect((await conn(1).exec('hostname')).stdout).toBe(`${h.name}\n`);
  });

  it('turns a connection dropped mid-command into UnreachableError, then reconnects', async () => {
    const h = lab.hosts[2];
    const c = conn(2);
    await c.exec('true');
    const running = c.exec('sleep 20; echo never');
    await new Promise((r) => setTimeout(r, 300));
    // Kill this host's sshd session processes (only processes of this lab host's namespace).
    const pids = execFileSync('ip', ['netns', 'pids', h.netns], { encoding: 'utf8' }).split(/\s+/).filter(Boolean);
    for (const pid of pids) {
      let cmd = '';
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (cmd.startsWith('sshd: tsrun-lab')) process.kill(Number(pid), 'SIGKILL');
    }
    const err = await running.catch((e: Error) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toMatch(new RegExp(`^${h.name}: connection lost`));
    expect((await c.exec('echo back')).stdout).toBe('back\n');
  });

  it('reports an address nobody answers as unreachable within the connect timeout', async () => {
    const c = conn(0, { ansible_host: `10.231.${ip(0).split('.')[2]}.250`, ansible_timeout: 1 });
    const err = await c.connect().catch((e: Error) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toMatch(/timed out|no route/);
  });
});
