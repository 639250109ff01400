import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HostStats } from '../../src/output/stats.js';
import { ansibleEnv, ansiblePlaybook, REPO, tsrun, type RunOutput } from '../support/runners.js';
import { createLab, describeLab, type Lab } from './lab.js';

/** Lab hosts share this machine's /run: a machine booted with systemd makes them systemd hosts too. */
const SYSTEMD_HERE = existsSync('/run/systemd/system');

const FIX = join(REPO, 'test/fixtures/engine');

type Stats = HostStats;

function stats(out: RunOutput, who: string): Record<string, Stats> {
  try {
    return (JSON.parse(out.stdout.slice(out.stdout.indexOf('{'))) as { stats: Record<string, Stats> }).stats;
  } catch {
    throw new Error(`${who} printed no JSON (exit ${out.code}):\n${out.stdout}\n${out.stderr}`);
  }
}

/** A tiny .deb built here and placed in every host's private /tmp. */
function buildDeb(work: string): string {
  const root = join(work, 'deb');
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(join(root, 'usr/share/tsrun-kw-demo'), { recursive: true });
  writeFileSync(join(root, 'DEBIAN/control'), 'Package: tsrun-kw-demo\nVersion: 1.0\nArchitecture: all\nMaintainer: tsrun <tsrun@example.invalid>\nDescription: tsrun lab test package\n');
  writeFileSync(join(root, 'usr/share/tsrun-kw-demo/README'), 'demo\n');
  const deb = join(work, 'tsrun-kw-demo.deb');
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, deb], { stdio: 'ignore' });
  return deb;
}

describeLab('engine on real sshd hosts', () => {
  let lab: Lab;
  let work: string;
  let inv: string;

  beforeAll(async () => {
    lab = await createLab({ name: 'engine', hosts: 3 });
    work = mkdtempSync(join(tmpdir(), 'tsrun-engine-'));
    inv = join(work, 'hosts.ini');
    writeFileSync(inv, lab.inventory({ vars: { lab_user: lab.user, secret_value: 'S3cr3t-Value-42', fetch_dir: join(work, 'fetched'), lab_has_systemd: String(SYSTEMD_HERE) } }));
    const deb = buildDeb(work);
    for (const h of lab.hosts) copyFileSync(deb, join(h.root, 'tmp/tsrun-kw-demo.deb'));
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  it('runs every module and keyword, then a second run changes nothing', async () => {
    const first = await tsrun(['-i', inv, join(FIX, 'keywords.yml')], { cwd: FIX });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).not.toContain('S3cr3t-Value-42');
    // As in Ansible, a no_log debug prints only its status.
    expect(first.stdout).toMatch(/TASK \[no_log hides this secret\] \**\nok: \[/);
    const fetched = readFileSync(join(work, 'fetched', lab.hosts[0].name, 'opt/kw/config'), 'utf8');
    expect(fetched).toBe('config\n');
    const second = await tsrun(['-i', inv, join(FIX, 'keywords.yml'), '--json'], { cwd: FIX });
    expect(second.code, second.stderr).toBe(0);
    for (const [host, s] of Object.entries(stats(second, 'tsrun'))) expect({ host, changed: s.changed }).toEqual({ host, changed: 0 });
    const tagged = await tsrun(['-i', inv, join(FIX, 'keywords.yml'), '-t', 'only-this', '--json'], { cwd: FIX });
    // Gathering Facts is tagged `always`, as in Ansible, so it runs besides the tagged task.
    for (const s of Object.values(stats(tagged, 'tsrun'))) expect(s.ok).toBe(2);
  });

  it('async jobs run in the background over SSH and outlive the run that started them', async () => {
    const start = await tsrun(['-i', inv, join(FIX, 'async-start.yml'), '--json'], { cwd: FIX });
    expect(start.code, start.stdout + start.stderr).toBe(0);
    const doc = JSON.parse(start.stdout.slice(start.stdout.indexOf('{'))) as { plays: { tasks: { task: { name: string }; hosts: Record<string, { msg?: string }> }[] }[] };
    const ids = doc.plays[0].tasks.find((t) => t.task.name === 'job ids')!.hosts;
    const jobs: Record<string, string[]> = {};
    for (const [host, r] of Object.entries(ids)) {
      const [user, root, polled] = String(r.msg).split(' ');
      expect(polled).toBe('polled');
      jobs[host] = [user, root];
    }
    expect(Object.keys(jobs)).toHaveLength(lab.hosts.length);
    // a new tsrun process, new connections: the jobs were not tied to the first run's shells
    const check = await tsrun(['-i', inv, join(FIX, 'async-check.yml'), '-e', JSON.stringify({ jobs })], { cwd: FIX });
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });

  it('matches ansible-playbook on file modules: files, modes, owners and recap', async () => {
    const snapshot = async (root: string) => {
      const out: Record<string, string> = {};
      for (const h of lab.hosts) {
        const r = await lab.runAsRoot(h.name, `cd ${root} && find . -printf '%p %y %m %u %g %l\\n' | sort && find . -type f | sort | xargs sha1sum`);
        out[h.name] = r.stdout;
      }
      return out;
    };
    const run = async (tool: 'ansible' | 'tsrun', extra: string[] = []) => {
      const args = ['-i', inv, join(FIX, 'files-diff.yml'), '-e', `root=/opt/cmp`, '-e', `template_ext=${tool === 'ansible' ? 'j2' : 'ejs'}`, ...extra];
      return tool === 'ansible'
        // Over 300 s (run()'s default limit) on the busy machine: ~40 file tasks × 3 hosts.
        ? ansiblePlaybook(args, { cwd: FIX, timeoutMs: 600_000 })
        : tsrun([...args, '--json'], { cwd: FIX });
    };
    // Each tool gets fresh hosts' /opt/cmp: run ansible, snapshot, wipe, run tsrun, snapshot.
    const wipe = async () => {
      for (const h of lab.hosts) await lab.runAsRoot(h.name, 'rm -rf /opt/cmp');
    };
    await wipe();
    const a1 = await run('ansible');
    const aSnap = await snapshot('/opt/cmp');
    const a2 = await run('ansible');
    await wipe();
    const t1 = await run('tsrun');
    const tSnap = await snapshot('/opt/cmp');
    const t2 = await run('tsrun');
    const tCheck = await run('tsrun', ['--check']);
    const afterCheck = await snapshot('/opt/cmp');
    expect(a1.code, a1.stdout).toBe(0);
    expect(t1.code, t1.stdout + t1.stderr).toBe(0);
    expect(tSnap).toEqual(aSnap);
    expect(stats(t1, 'tsrun')).toEqual(stats(a1, 'ansible'));
    expect(stats(t2, 'tsrun')).toEqual(stats(a2, 'ansible'));
    for (const s of Object.values(stats(t2, 'tsrun'))) expect(s.changed).toBe(0);
    expect(tCheck.code).toBe(0);
    expect(afterCheck).toEqual(tSnap);
  }, 1_200_000); // five playbook runs on 3 hosts: over 10 min on the busy machine (issue 10 #9)

  it('check mode reports what would change and changes nothing', async () => {
    const args = ['-i', inv, join(FIX, 'files-diff.yml'), '-e', 'root=/opt/chk', '-e', 'template_ext=ejs'];
    expect((await tsrun(args, { cwd: FIX })).code).toBe(0);
    // Drift: edited content, a wrong mode, a removed file.
    for (const h of lab.hosts) {
      await lab.runAsRoot(h.name, 'echo drift >> /opt/chk/conf/motd.txt; chmod 0666 /opt/chk/conf/app.conf; echo drifted > /opt/chk/conf/hello.txt');
    }
    const before = await Promise.all(lab.hosts.map((h) => lab.runAsRoot(h.name, 'cd /opt/chk && find . -printf "%p %m %s\\n" | sort && cat conf/motd.txt')));
    const check = await tsrun([...args, '--check', '--diff', '--json'], { cwd: FIX });
    expect(check.code, check.stdout + check.stderr).toBe(0);
    for (const s of Object.values(stats(check, 'tsrun'))) expect(s.changed).toBeGreaterThanOrEqual(3);
    const after = await Promise.all(lab.hosts.map((h) => lab.runAsRoot(h.name, 'cd /opt/chk && find . -printf "%p %m %s\\n" | sort && cat conf/motd.txt')));
    expect(after.map((r) => r.stdout)).toEqual(before.map((r) => r.stdout));
  });

  it('a host whose sshd is down is unreachable while the others finish (exit 4)', async () => {
    const down = lab.hosts[2].name;
    await lab.stopSshd(down);
    try {
      const r = await tsrun(['-i', inv, join(FIX, 'files-diff.yml'), '-e', 'root=/opt/unr', '-e', 'template_ext=ejs', '--json'], { cwd: FIX });
      expect(r.code).toBe(4);
      const s = stats(r, 'tsrun');
      expect(s[down].unreachable).toBe(1);
      expect(s[lab.hosts[0].name].failures + s[lab.hosts[0].name].unreachable).toBe(0);
      expect(s[lab.hosts[0].name].ok).toBeGreaterThan(10);
    } finally {
      await lab.startSshd(down);
    }
  });

  it('refuses a host whose key does not match known_hosts', async () => {
    const [a, b] = lab.hosts;
    const known = readFileSync(lab.knownHostsFile, 'utf8').split('\n');
    // Give host a the key of host b.
    const keyOf = (ip: string) => known.find((l) => l.startsWith(`${ip} `))!.split(' ').slice(1).join(' ');
    const forged = known.map((l) => (l.startsWith(`${a.ip} `) ? `${a.ip} ${keyOf(b.ip)}` : l)).join('\n');
    const kh = join(work, 'forged_known_hosts');
    writeFileSync(kh, forged);
    const forgedInv = join(work, 'forged.ini');
    writeFileSync(forgedInv, readFileSync(inv, 'utf8').replaceAll(lab.knownHostsFile, kh));
    const r = await tsrun(['-i', forgedInv, join(FIX, 'files-diff.yml'), '-e', 'root=/opt/hk', '-e', 'template_ext=ejs', '-l', a.name], { cwd: FIX });
    expect(r.code).toBe(4);
    expect(r.stdout + r.stderr).toMatch(/host key/i);
    expect((await lab.runAsRoot(a.name, 'test -e /opt/hk && echo present || echo absent')).stdout.trim()).toBe('absent');
  });

  it('never prints the become password, not even at -vvvv', async () => {
    const r = await tsrun(['-i', inv, join(FIX, 'files-diff.yml'), '-e', 'root=/opt/pw', '-e', 'template_ext=ejs', '-vvvv'], { cwd: FIX });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(lab.becomePassword);
    expect(r.stderr).not.toContain(lab.becomePassword);
  });
});

export { ansibleEnv };
