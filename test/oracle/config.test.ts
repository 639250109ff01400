import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ansibleAvailable, ansibleEnv, run, tsrun } from '../support/runners.js';

/** `tsrun config dump --only-changed` against `ansible-config dump --only-changed`, and runs that obey ansible.cfg. */
const CFG = `[defaults]
inventory = ./hosts.ini, more/other.ini
forks = 7
remote_user = deploy
host_key_checking = False ; no prompts in CI
timeout: 33
roles_path = roles:/opt/roles
log_path = ./logs/ansible.log
vault_password_file = ~/vault-pass
callbacks_enabled = profile_tasks, timer
retry_files_enabled = yes
ansible_managed = Managed by {uid}
  for {file}

[privilege_escalation]
become = true
become_user = admin

[ssh_connection]
pipelining = True
ssh_args = -o ControlMaster=auto
control_path = %(directory)s/%%h
`;

describe.runIf(ansibleAvailable())('ansible.cfg like Ansible', () => {
  const root = mkdtempSync(join(tmpdir(), 'tsrun-cfg-oracle-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const home = join(root, 'home');
  mkdirSync(home);
  const both = async (cwd: string, extra: NodeJS.ProcessEnv, args: string[] = []) => {
    // ansibleEnv() sets ANSIBLE_* of its own; these runs must see only the ones under test
    const env = { ...Object.fromEntries(Object.entries(ansibleEnv()).filter(([k]) => !k.startsWith('ANSIBLE_'))), HOME: home, ...extra };
    const clean = Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('ANSIBLE_')).map((k) => [k, undefined]));
    const [a, t] = await Promise.all([
      run('ansible-config', ['dump', '--only-changed', ...args], { cwd, env: { ...clean, ...env } }),
      tsrun(['config', 'dump', '--only-changed', ...args], { cwd, env: { ...clean, ...env } }),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(t.code, t.stderr).toBe(0);
    return { ansible: a.stdout, tsrun: t.stdout, tsrunErr: t.stderr };
  };

  it('./ansible.cfg with env overrides', async () => {
    const dir = join(root, 'cwd');
    mkdirSync(dir);
    writeFileSync(join(dir, 'ansible.cfg'), CFG);
    const r = await both(dir, { ANSIBLE_FORKS: '9', ANSIBLE_BECOME_USER: 'ops' });
    expect(r.tsrun).toBe(r.ansible);
    expect(r.tsrun).toContain('DEFAULT_FORKS(env: ANSIBLE_FORKS) = 9');
    expect(r.tsrunErr).toContain('[ssh_connection] control_path: ignored');
    const ssh = await both(dir, {}, ['-t', 'connection']);
    const sshBlock = (s: string) => s.slice(s.indexOf('\nssh:\n'));
    expect(sshBlock(ssh.tsrun)).toBe(sshBlock(ssh.ansible));
  });

  it('ANSIBLE_CONFIG (a file or a directory) wins over ./ansible.cfg; ~/.ansible.cfg is the fallback', async () => {
    const dir = join(root, 'envcfg');
    mkdirSync(join(dir, 'conf'), { recursive: true });
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nforks = 1\n');
    writeFileSync(join(dir, 'conf', 'ansible.cfg'), '[defaults]\nforks = 2\ntimeout = 5\n');
    for (const cfg of [join(dir, 'conf'), join(dir, 'conf', 'ansible.cfg')]) {
      const r = await both(dir, { ANSIBLE_CONFIG: cfg });
      expect(r.tsrun).toBe(r.ansible);
      expect(r.tsrun).toContain('DEFAULT_FORKS');
    }
    const bare = join(root, 'bare');
    mkdirSync(bare);
    writeFileSync(join(home, '.ansible.cfg'), '[defaults]\nremote_user = fromhome\n');
    const h = await both(bare, {});
    expect(h.tsrun).toBe(h.ansible);
    expect(h.tsrun).toContain('fromhome');
    rmSync(join(home, '.ansible.cfg'));
  });

  it('ignores ./ansible.cfg in a world-writable directory, with a warning', async () => {
    const dir = join(root, 'public');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\nforks = 3\n');
    const r = await both(dir, {});
    expect(r.tsrun).toBe(r.ansible);
    expect(r.tsrun).not.toContain('DEFAULT_FORKS');
    expect(r.tsrunErr).toContain('world writable directory');
  });

  it('runs a playbook with the configured inventory, json callback, log file and retry file', async () => {
    const dir = join(root, 'play');
    mkdirSync(dir);
    const cfg = (side: string) => `[defaults]\ninventory = hosts.ini\nstdout_callback = json\nlog_path = ${side}.log\nretry_files_enabled = True\nretry_files_save_path = retry-${side}\n`;
    writeFileSync(join(dir, 'hosts.ini'), 'good ansible_connection=local ansible_python_interpreter=/usr/bin/python3\nbad ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
    writeFileSync(join(dir, 'play.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - fail: { msg: boom }\n      when: inventory_hostname == "bad"\n    - debug: { msg: "{{ inventory_hostname }}" }\n');
    const env = (side: string) => ({ ...Object.fromEntries(Object.entries(ansibleEnv()).filter(([k]) => !k.startsWith('ANSIBLE_STDOUT') && !k.startsWith('ANSIBLE_RETRY'))), ANSIBLE_CONFIG: join(dir, `${side}.cfg`) });
    for (const side of ['ansible', 'tsrun']) writeFileSync(join(dir, `${side}.cfg`), cfg(side));
    const a = await run('ansible-playbook', ['play.yml'], { cwd: dir, env: env('ansible') });
    const t = await tsrun(['play.yml'], { cwd: dir, env: env('tsrun') });
    expect(t.code).toBe(a.code);
    const stats = (s: string) => (JSON.parse(s.slice(s.indexOf('{'))) as { stats: unknown }).stats;
    expect(stats(t.stdout)).toEqual(stats(a.stdout));
    expect(readFileSync(join(dir, 'retry-tsrun', 'play.retry'), 'utf8')).toBe(readFileSync(join(dir, 'retry-ansible', 'play.retry'), 'utf8'));
    // --limit @retry_file runs only the hosts that failed
    const limit = ['play.yml', '--limit', `@${join(dir, 'retry-ansible', 'play.retry')}`];
    const [ra, rt] = await Promise.all([run('ansible-playbook', limit, { cwd: dir, env: env('ansible') }), tsrun(limit, { cwd: dir, env: env('tsrun') })]);
    expect(rt.code).toBe(ra.code);
    expect(stats(rt.stdout)).toEqual(stats(ra.stdout));
    expect(Object.keys(stats(rt.stdout) as object)).toEqual(['bad']);
    expect(existsSync(join(dir, 'tsrun.log'))).toBe(true);
    expect(readFileSync(join(dir, 'tsrun.log'), 'utf8')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} p=\d+ u=\S+ n=ansible \| /m);
  });
});
