import { describe, expect, it } from 'vitest';
import { connectionSpecFromVars } from '../../src/connection/spec.js';
import { parseSshArgStrings, proxyCommandAsJump, splitSshArgs } from '../../src/connection/ssh-args.js';
import { ConfigError } from '../../src/util/errors.js';

const env = { HOME: '/home/runner' };
const spec = (vars: Record<string, unknown>, opts: Parameters<typeof connectionSpecFromVars>[2] = {}) =>
  connectionSpecFromVars('web1', vars, { env, ...opts });

describe('splitSshArgs', () => {
  it('splits like Ansible (shlex.split, words stripped, empty ones dropped)', () => {
    expect(splitSshArgs(`-o 'ProxyCommand=ssh -W %h:%p bastion' -o "A=b c" x\\ y`)).toEqual([
      '-o', 'ProxyCommand=ssh -W %h:%p bastion', '-o', 'A=b c', 'x y',
    ]);
    expect(() => splitSshArgs(`-o 'open`)).toThrow(ConfigError);
    expect(splitSshArgs(`-o " A=b " '' -o "x\\$y"`)).toEqual(['-o', 'A=b', '-o', 'x\\$y']);
  });
});

describe('parseSshArgStrings', () => {
  it('reads -o in its spellings, -p, -i, -l, -J; the first value wins as in ssh', () => {
    const a = parseSshArgStrings([
      '-C -o ControlMaster=auto -o ControlPersist=60s',
      '-oStrictHostKeyChecking=no -o "UserKnownHostsFile /tmp/kh /tmp/kh2" -p 2222 -i ~/.ssh/k1 -J jump@b:2200',
      '-o StrictHostKeyChecking=yes -o ConnectTimeout=7 -o Port=3333 -l bob -i /k2',
    ]);
    expect(a).toEqual({
      identityFiles: ['~/.ssh/k1', '/k2'],
      strictHostKeyChecking: 'no',
      userKnownHostsFiles: ['/tmp/kh', '/tmp/kh2'],
      port: 2222,
      proxyJump: ['jump@b:2200'],
      connectTimeoutSec: 7,
      user: 'bob',
    });
  });

  it('understands bundled flags and values glued to the flag', () => {
    expect(parseSshArgStrings(['-tt -vp2200 -oUser=x']).port).toBe(2200);
    expect(parseSshArgStrings(['-q -J a,b@c:23']).proxyJump).toEqual(['a', 'b@c:23']);
    expect(parseSshArgStrings(['-o ProxyJump=none']).proxyJump).toEqual([]);
  });

  it('maps StrictHostKeyChecking values', () => {
    expect(parseSshArgStrings(['-o StrictHostKeyChecking=accept-new']).strictHostKeyChecking).toBe('accept-new');
    expect(parseSshArgStrings(['-o stricthostkeychecking=off']).strictHostKeyChecking).toBe('no');
    expect(parseSshArgStrings(['-o StrictHostKeyChecking=ask']).strictHostKeyChecking).toBe('yes');
    expect(() => parseSshArgStrings(['-o StrictHostKeyChecking=maybe'])).toThrow(/StrictHostKeyChecking/);
  });

  it('turns the classic ProxyCommand into a jump host and refuses other ProxyCommands', () => {
    expect(proxyCommandAsJump('ssh -W %h:%p -q admin@bastion')).toEqual(['admin@bastion']);
    expect(proxyCommandAsJump('ssh -p 2200 -W %h:%p -l ops bastion.example')).toEqual(['ops@bastion.example:2200']);
    expect(parseSshArgStrings([`-o ProxyCommand="ssh -W %h:%p -q jump"`]).proxyJump).toEqual(['jump']);
    expect(() => parseSshArgStrings(['-o ProxyCommand="nc %h %p"'])).toThrow(/ProxyCommand is not supported/);
  });

  it('rejects bad ports and stray words', () => {
    expect(() => parseSshArgStrings(['-p 70000'])).toThrow(/invalid port/);
    expect(() => parseSshArgStrings(['host'])).toThrow(/unexpected word/);
  });
});

describe('connectionSpecFromVars', () => {
  it('defaults like Ansible and OpenSSH', () => {
    expect(spec({})).toEqual({
      name: 'web1',
      kind: 'ssh',
      host: 'web1',
      port: 22,
      user: undefined,
      password: undefined,
      privateKeyFile: undefined,
      hostKeyChecking: true,
      knownHostsFiles: [
        '/home/runner/.ssh/known_hosts', '/home/runner/.ssh/known_hosts2', '/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2',
      ],
      connectTimeoutMs: 10_000,
      // A dead host or link is noticed within 1.5 x the connection timeout.
      keepaliveIntervalMs: 5000,
      keepaliveCountMax: 2,
    });
    expect(spec({}, { defaultUser: 'deploy', privateKeyFile: '~/.ssh/deploy' })).toMatchObject({ user: 'deploy', privateKeyFile: '/home/runner/.ssh/deploy' });
  });

  it('reads the connection variables and their old ansible_ssh_* names', () => {
    expect(spec({ ansible_host: '10.0.0.5', ansible_port: '2222', ansible_user: 'app', ansible_password: 'pw', ansible_ssh_private_key_file: '/k' }))
      .toMatchObject({ host: '10.0.0.5', port: 2222, user: 'app', password: 'pw', privateKeyFile: '/k' });
    expect(spec({ ansible_ssh_host: 'h', ansible_ssh_port: 23, ansible_ssh_user: 'u', ansible_ssh_pass: 'p' }))
      .toMatchObject({ host: 'h', port: 23, user: 'u', password: 'p' });
    expect(() => spec({ ansible_port: 'http' })).toThrow(/invalid ansible_port/);
  });

  it('maps ansible_connection', () => {
    expect(spec({ ansible_connection: 'local' }).kind).toBe('local');
    for (const c of ['ssh', 'smart', 'paramiko', 'ansible.builtin.ssh']) expect(spec({ ansible_connection: c }).kind).toBe('ssh');
    expect(() => spec({ ansible_connection: 'docker' })).toThrow(/connection type "docker" is not supported/);
  });

  it('lets explicit variables beat ssh arguments, and arguments beat defaults', () => {
    const s = spec({
      ansible_ssh_common_args: '-p 2200 -l argsuser -i /args-key -o ConnectTimeout=3',
      ansible_ssh_private_key_file: '/var-key',
    });
    expect(s).toMatchObject({ port: 2200, user: 'argsuser', privateKeyFile: '/var-key', extraPrivateKeyFiles: ['/args-key'], connectTimeoutMs: 3000 });
    expect(spec({ ansible_ssh_common_args: '-p 2200', ansible_port: 22 }).port).toBe(22);
    expect(spec({ ansible_ssh_extra_args: '-o ConnectTimeout=3', ansible_timeout: 30 }).connectTimeoutMs).toBe(30_000);
    expect(spec({}, { env: { ...env, ANSIBLE_TIMEOUT: '4' } }).connectTimeoutMs).toBe(4000);
  });

  it('honours ServerAliveInterval / ServerAliveCountMax from the ssh arguments (first value wins)', () => {
    expect(spec({ ansible_ssh_common_args: '-o ServerAliveInterval=2 -o ServerAliveCountMax=1 -o ServerAliveInterval=9' })).toMatchObject({ keepaliveIntervalMs: 2000, keepaliveCountMax: 1 });
    // Only the interval given: OpenSSH's count of 3.
    expect(spec({ ansible_ssh_extra_args: '-o "ServerAliveInterval 4"' })).toMatchObject({ keepaliveIntervalMs: 4000, keepaliveCountMax: 3 });
    // Without them, tied to the connection timeout.
    expect(spec({ ansible_timeout: 30 })).toMatchObject({ keepaliveIntervalMs: 15_000, keepaliveCountMax: 2 });
    expect(() => spec({ ansible_ssh_args: '-o ServerAliveInterval=soon' })).toThrow(/invalid ServerAliveInterval "soon"/);
  });

  it('handles host key checking from args, env and options', () => {
    expect(spec({ ansible_ssh_common_args: '-o StrictHostKeyChecking=no' }).hostKeyChecking).toBe(false);
    expect(spec({ ansible_ssh_extra_args: '-o StrictHostKeyChecking=accept-new' })).toMatchObject({ hostKeyChecking: true, acceptNewHostKeys: true });
    expect(spec({}, { env: { ...env, ANSIBLE_HOST_KEY_CHECKING: 'False' } }).hostKeyChecking).toBe(false);
    expect(spec({}, { env: { ...env, ANSIBLE_HOST_KEY_CHECKING: 'True' } }).hostKeyChecking).toBe(true);
    expect(spec({}, { hostKeyChecking: false }).hostKeyChecking).toBe(false);
    expect(spec({ ansible_host_key_checking: false }).hostKeyChecking).toBe(false);
    // Ansible puts StrictHostKeyChecking=no before the user's args when checking is off.
    expect(spec({ ansible_ssh_common_args: '-o StrictHostKeyChecking=yes' }, { env: { ...env, ANSIBLE_HOST_KEY_CHECKING: 'no' } }).hostKeyChecking).toBe(false);
    const kh = spec({ ansible_ssh_common_args: '-o UserKnownHostsFile=~/kh -o GlobalKnownHostsFile=/dev/null' });
    expect(kh.knownHostsFiles).toEqual(['/home/runner/kh', '/dev/null']);
  });

  it('reads ProxyJump from -J and -o', () => {
    expect(spec({ ansible_ssh_common_args: '-J ops@bastion:2222' }).proxyJump).toEqual(['ops@bastion:2222']);
    expect(spec({ ansible_ssh_common_args: '-o ProxyJump=a,b' }).proxyJump).toEqual(['a', 'b']);
    expect(spec({}).proxyJump).toBeUndefined();
  });
});
