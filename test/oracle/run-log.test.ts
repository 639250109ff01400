/**
 * The run log (ansible.cfg log_path / ANSIBLE_LOG_PATH) against Ansible's own log file: the same
 * records (one per message, continuation lines unprefixed, no colour, no leading blank line),
 * each with Ansible's "<asctime> p=<pid> u=<user> n=ansible | " prefix, appended run after run;
 * a no_log value and a vault-style secret given with -e appear in neither.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, ansibleAvailable, ansibleEnv, run, tsrun } from '../support/runners.js';

const PLAY = `- hosts: all
  gather_facts: false
  tasks:
    - debug:
        msg: ["two", "lines"]
    - command: echo {{ secret }}
      no_log: true
      changed_when: false
    - debug: { msg: never }
      when: false
    - fail:
        msg: "failed on purpose"
      ignore_errors: true
    - debug:
        msg: "the password is {{ db_password }}"
      no_log: true
`;
const PREFIX = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) p=(\d+) u=(\S+) n=ansible \| /;

/** The log's records: [prefix fields, message] with continuation lines joined to their record. */
function records(text: string): { pid: string; user: string; message: string }[] {
  const out: { pid: string; user: string; message: string }[] = [];
  for (const line of text.split('\n').slice(0, -1)) {
    const m = PREFIX.exec(line);
    if (m) out.push({ pid: m[2], user: m[3], message: line.slice(m[0].length) });
    else out[out.length - 1].message += `\n${line}`;
  }
  return out;
}

describe.runIf(ansibleAvailable())('the run log like Ansible\'s log_path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsrun-runlog-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'hosts.ini'), 'one ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
  writeFileSync(join(dir, 'play.yml'), PLAY);
  const args = ['-i', 'hosts.ini', 'play.yml', '-e', 'secret=no-log-secret-1', '-e', 'db_password=db-secret-2'];

  it('writes the records Ansible writes, in its format, appending each run', async () => {
    const env = (side: string) => ({ ...ansibleEnv(), ANSIBLE_LOG_PATH: join(dir, `${side}.log`), TSRUN_PROGRESS: '0' });
    for (let i = 0; i < 2; i++) {
      const a = await run('ansible-playbook', args, { cwd: dir, env: env('ansible') });
      const t = await tsrun(args, { cwd: dir, env: env('tsrun') });
      expect(t.code).toBe(a.code);
    }
    const a = records(readFileSync(join(dir, 'ansible.log'), 'utf8'));
    // tsrun's own closing line (its run time) is not Ansible's.
    const t = records(readFileSync(join(dir, 'tsrun.log'), 'utf8')).filter((r) => !/^Elapsed: /.test(r.message));
    expect(t.map((r) => r.message)).toEqual(a.map((r) => r.message));
    expect(new Set(t.map((r) => r.user))).toEqual(new Set([userInfo().username]));
    // Two runs, two processes, appended to one file.
    expect(new Set(t.map((r) => r.pid)).size).toBe(2);
    const text = readFileSync(join(dir, 'tsrun.log'), 'utf8');
    expect(text).toContain('"lines"');
    for (const secret of ['no-log-secret-1', 'db-secret-2']) expect(text.includes(secret), secret).toBe(false);
  });

  it('is created with mode 0600 (it may hold host names and task output)', async () => {
    const log = join(dir, 'sub', 'mode.log');
    await tsrun(args, { cwd: dir, env: { ...ansibleEnv(), ANSIBLE_LOG_PATH: log } });
    expect(statSync(log).mode & 0o777).toBe(0o600);
  });

  it('the org content ships an ansible.cfg whose log_path tsrun uses from the checkout', async () => {
    const cfg = readFileSync(join(REPO, 'ansible.cfg'), 'utf8');
    expect(cfg).toMatch(/^log_path *= *\S+/m);
    const dump = await tsrun(['config', 'dump', '--only-changed'], { cwd: REPO, env: { ...process.env, ANSIBLE_CONFIG: join(REPO, 'ansible.cfg') } });
    expect(dump.stdout).toContain(`DEFAULT_LOG_PATH(${join(REPO, 'ansible.cfg')}) = ${join(REPO, 'log', 'metis-install.log')}`);
  });
});
