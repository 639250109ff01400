/**
 * The org install end to end on a 10-host lab (issue 4): prepare, bootstrap, deploy, start,
 * deploy again (changed=0), stop, start, stop, cleanup (hosts back to their snapshot); then
 * enable_deploy_compute=False, --limit / -t on one service, and a missing artifact in prepare.
 * Logged in as the lab's non-root sudo user; tsrun is the built CLI in a child process.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO, tsrun, type RunOutput } from '../support/runners.js';
import { createLab, describeLab, type Lab } from './lab.js';

const SERVICES = ['consul', 'carrier', 'admin', 'ice_via', 'data', 'compute', 'orchestrator'];
const GROUPS: Record<string, string[]> = {
  consul: ['consul1', 'consul2', 'consul3'],
  carrier: ['carrier1'],
  admin: ['admin1'],
  ice_via: ['icevia1'],
  data: ['data1', 'data2'],
  compute: ['compute1'],
  orchestrator: ['orch1'],
};
const HOSTS = Object.values(GROUPS).flat();
const ARTIFACT = (svc: string) => `artifacts/metis-${svc.replace(/_/g, '-')}-1.0.0-demo.mjs`;

interface Stats {
  ok: number;
  changed: number;
  failures: number;
  unreachable: number;
  skipped: number;
}

function get(url: string): Promise<{ status: number; body: string }> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((ok, fail) => {
    const req = client.get(url, { rejectUnauthorized: false, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (b: Buffer) => (body += b.toString()));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', fail);
  });
}

describeLab('org install on a 10-host lab', () => {
  let lab: Lab;
  let work: string;
  let inv: string;
  let ip: (host: string) => string;
  let before: Record<string, string>;

  /** Runs a playbook of the install; fails the test with tsrun's output when the exit code differs. */
  const play = async (name: string, extra: string[] = [], expectCode = 0): Promise<RunOutput> => {
    const out = await tsrun(['-i', inv, name, ...extra], { cwd: REPO, timeoutMs: 600_000 });
    expect(out.code, `tsrun ${name} ${extra.join(' ')}\n${out.stdout.slice(-8000)}\n${out.stderr}`).toBe(expectCode);
    return out;
  };
  const stats = (out: RunOutput): Record<string, Stats> => (JSON.parse(out.stdout.slice(out.stdout.indexOf('{'))) as { stats: Record<string, Stats> }).stats;

  /** Everything under the hosts' private dirs (where the install may write), per host. */
  const snapshot = async (): Promise<Record<string, string>> => {
    const out: Record<string, string> = {};
    for (const h of HOSTS) out[h] = (await lab.runAsRoot(h, `find /opt /srv /var/opt -xdev -printf '%p %y %m %u %g\\n' 2>/dev/null | sort`)).stdout;
    return out;
  };
  /** TCP ports listening on a host, other than its sshd. */
  const listening = async (host: string): Promise<number[]> => {
    const r = await lab.runAsRoot(host, `cat /proc/net/tcp /proc/net/tcp6 2>/dev/null`);
    const ports = r.stdout
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[3] === '0A')
      .map((f) => parseInt(f[1].split(':').pop()!, 16))
      .filter((p) => p !== 22);
    return [...new Set(ports)].sort((a, b) => a - b);
  };
  /** Processes running from the install root, in any lab host's namespace. */
  const installProcesses = async (): Promise<string> => (await lab.runAsRoot(HOSTS[0], `ps -eo pid,user,args | grep '/opt/metis/' | grep -v grep || true`)).stdout;
  const catalog = async (): Promise<Record<string, string[]>> => JSON.parse((await get(`http://${ip('consul2')}:8500/v1/catalog/services`)).body) as Record<string, string[]>;

  beforeAll(async () => {
    lab = await createLab({ name: 'org', hosts: HOSTS });
    ip = (h) => lab.hosts.find((x) => x.name === h)!.ip;
    work = mkdtempSync(join(tmpdir(), 'tsrun-org-'));
    inv = join(work, 'lab.ini');
    writeFileSync(
      inv,
      lab.inventory({
        groups: GROUPS,
        vars: {
          cluster_name: 'lab-org',
          enable_tls: 'True',
          admin_db_password: 'lab-db-password',
          // /etc is the machine's, shared by all lab hosts: the lab forbids creating users, so the
          // services run as the login user (bootstrap's user creation is not exercised here).
          service_user: lab.user,
          create_service_user: 'False',
          // Where prepare writes the generated admin certificate (not the repo's bundle dir).
          control_state_dir: join(work, 'generated'),
          // The documented per-check overrides: a test machine is not a sandbox host, and the
          // test must not depend on whether this one has /dev/kvm, nbd or hugepages, nor on whether
          // it runs NTP (lab hosts share its one clock; a container reports "not synchronized").
          bootstrap_check_time_sync: 'False',
          bootstrap_check_kvm: 'False',
          bootstrap_check_nbd: 'False',
          bootstrap_check_hugepages: 'False',
          stop_timeout: '10',
          start_timeout: '60',
        },
      }),
    );
    before = await snapshot();
  });

  afterAll(async () => {
    await lab?.destroy();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('fails prepare on a missing artifact, naming it, before touching any host', async () => {
    const bundle = join(work, 'bundle-missing');
    cpSync(join(REPO, 'bundle'), bundle, { recursive: true });
    rmSync(join(bundle, ARTIFACT('data')));
    const out = await play('prepare', ['-e', `bundle_dir=${bundle}`], 2);
    expect(out.stdout).toContain(`missing artifact ${bundle}/${ARTIFACT('data')} (data)`);
    // Disabled services are not required.
    await play('prepare', ['-e', `bundle_dir=${bundle}`, '-e', 'enable_deploy_data=False']);
  });

  it('stops bootstrap on a failed check, reporting every failure of the host, before creating anything', async () => {
    // Limits no machine meets make two checks fail whatever the hardware: disk on every host,
    // hugepages on the orchestrator too (kvm and nbd stay off: they depend on the machine).
    const huge = '99999999';
    const out = await play('bootstrap', ['-e', 'bootstrap_check_hugepages=True', '-e', `orchestrator_min_hugepages=${huge}`, '-e', `min_free_disk_mb=${huge}`], 2);
    expect(out.stdout).toMatch(
      new RegExp(`bootstrap checks failed on orch1: disk: \\d+ MB free for /opt/metis, need ${huge} MB \\(override: bootstrap_check_disk=False or min_free_disk_mb\\); ` +
        `hugepages: \\d+ hugepages, need ${huge} \\(vm\\.nr_hugepages; override: bootstrap_check_hugepages=False\\)`),
    );
    for (const h of HOSTS) expect({ h, root: (await lab.runAsRoot(h, 'test -e /opt/metis && echo exists || echo absent')).stdout.trim() }).toEqual({ h, root: 'absent' });
  });

  it('runs the whole lifecycle: every service healthy and registered, idempotent, stopped clean, removed clean', async () => {
    await play('prepare');
    await play('bootstrap');
    await play('deploy');
    await play('start');

    const services = await catalog();
    expect(Object.keys(services).sort()).toEqual(['consul', ...SERVICES.filter((s) => s !== 'consul')].sort());
    const data = JSON.parse((await get(`http://${ip('consul3')}:8500/v1/catalog/service/data`)).body) as { ID: string }[];
    expect(data.map((d) => d.ID).sort()).toEqual(['data-data1', 'data-data2']);
    const members = JSON.parse((await get(`http://${ip('consul1')}:8500/v1/agent/members`)).body) as { Name: string; Status: number }[];
    expect(members.map((m) => [m.Name, m.Status])).toEqual(GROUPS.consul.map((c) => [c, 1]));
    expect(JSON.parse((await get(`http://${ip('consul1')}:8500/v1/status/leader`)).body)).toBe(`${ip('consul1')}:8300`);
    const admin = await get(`https://${ip('admin1')}:8443/health`);
    expect(admin.status).toBe(200);
    expect(JSON.parse(admin.body)).toMatchObject({ kind: 'admin', registered: true, found: { carrier: [`${ip('carrier1')}:10030`] } });
    expect((await get(`http://${ip('admin1')}:8080/health`)).status).toBe(301);
    for (const [host, port] of [['icevia1', 4070], ['data2', 10041], ['compute1', 10051], ['orch1', 10061], ['carrier1', 10031]] as const) {
      expect(JSON.parse((await get(`http://${ip(host)}:${port}/health`)).body), host).toMatchObject({ status: 'ok', registered: true });
    }
    // The services run as the login user, not root.
    expect((await lab.runAsRoot('data1', `ps -o user= -p $(cat /opt/metis/data/run/data.pid)`)).stdout.trim()).toBe(lab.user);

    const again = stats(await play('deploy', ['--json']));
    for (const h of HOSTS) expect({ h, changed: again[h].changed, failures: again[h].failures }).toEqual({ h, changed: 0, failures: 0 });

    await play('stop');
    for (const h of HOSTS) expect({ h, ports: await listening(h) }).toEqual({ h, ports: [] });
    expect(await installProcesses()).toBe('');

    await play('start');
    expect(Object.keys(await catalog()).length).toBe(SERVICES.length);
    await play('stop');
    for (const h of HOSTS) expect({ h, ports: await listening(h) }).toEqual({ h, ports: [] });
    expect(await installProcesses()).toBe('');

    // Without confirmation nothing is removed.
    const refused = await play('cleanup', [], 2);
    expect(refused.stdout).toContain('cleanup not confirmed');
    expect((await lab.runAsRoot('data1', 'test -d /opt/metis/data && echo present')).stdout.trim()).toBe('present');

    await play('cleanup', ['-e', 'confirm=yes']);
    expect(await snapshot()).toEqual(before);
  }, 900_000);

  it('skips compute everywhere with enable_deploy_compute=False, and acts on one service with -t and --limit', async () => {
    const off = ['-e', 'enable_deploy_compute=False'];
    await play('bootstrap', off);
    await play('deploy', off);
    expect((await lab.runAsRoot('compute1', 'ls -A /opt/metis')).stdout.trim()).toBe('.created-by-metis');
    expect((await lab.runAsRoot('data1', 'ls /opt/metis')).stdout).toContain('data');
    await play('start', off);
    expect(Object.keys(await catalog())).not.toContain('compute');
    expect(await listening('compute1')).toEqual([]);
    await play('stop', off);

    // One service on one host: consul first (data registers there), then data on data1 only.
    await play('start', ['-t', 'consul']);
    await play('start', ['-t', 'data', '--limit', 'data1']);
    expect(await listening('data1')).toEqual([10040, 10041]);
    expect(await listening('data2')).toEqual([]);
    for (const h of ['carrier1', 'admin1', 'icevia1', 'orch1', 'compute1']) expect({ h, ports: await listening(h) }).toEqual({ h, ports: [] });
    const services = await catalog();
    expect(Object.keys(services).sort()).toEqual(['consul', 'data']);

    // Stopping data alone leaves consul running.
    await play('stop', ['-t', 'data']);
    expect(await listening('data1')).toEqual([]);
    expect(await listening('consul1')).toEqual([8300, 8301, 8500]);
    await play('stop');
    await play('cleanup', ['-e', 'confirm=yes']);
    expect(await snapshot()).toEqual(before);
  }, 900_000);
});
