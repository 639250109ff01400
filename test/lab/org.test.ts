/**
 * The org install end to end on a 10-host lab (issues 4, 12): prepare, bootstrap, deploy, start,
 * deploy again (changed=0), stop, start, stop, cleanup (hosts back to their snapshot); then
 * enable_deploy_compute=False, --limit / -t on one service, and a missing artifact in prepare.
 * consul1..3, data1 and orch1 are systemd hosts (systemd-host.ts): their services run as systemd units
 * under a dedicated user bootstrap creates, and survive (or, stopped, stay down after) a reboot.
 * Logged in as the lab's non-root sudo user; tsrun is the built CLI in a child process.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO, tsrun, type RunOutput } from '../support/runners.js';
import { createLab, describeLab, LAB_BASE } from './lab.js';
import { run } from './sys.js';
import { addSystemdHosts, systemdHostSupport, type SystemdLab } from './systemd-host.js';

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
/** Hosts with systemd as PID 1; their own /etc lets bootstrap create the dedicated service user. */
const SYSTEMD = ['consul1', 'consul2', 'consul3', 'data1', 'orch1', 'admin1', 'icevia1'];
/**
 * The real components' .deb files with their dependencies (admin: nginx and MariaDB; ice_via:
 * ZeroC IceGrid and Glacier2), built once by the bundle builder from the mirror apt uses (like
 * the systemd hosts' root) and cached: admin1 and icevia1 have none of them until deploy installs
 * them, offline.
 */
const PACKAGE_SPECS = ['admin=nginx,mariadb-server', 'ice_via=zeroc-icegrid,zeroc-glacier2'];
const PACKAGES_CACHE = join(LAB_BASE, '.org-packages-v2');
async function bundleWithPackages(dir: string): Promise<void> {
  if (!existsSync(join(PACKAGES_CACHE, 'packages.yml'))) {
    rmSync(`${PACKAGES_CACHE}.building`, { recursive: true, force: true });
    const r = await run(process.execPath, [join(REPO, 'scripts/build-packages.mjs'), `${PACKAGES_CACHE}.building`, ...PACKAGE_SPECS], { timeoutMs: 900_000 });
    if (r.rc !== 0) throw new Error(`bundle builder failed: ${r.stderr}`);
    renameSync(`${PACKAGES_CACHE}.building`, PACKAGES_CACHE);
  }
  cpSync(join(REPO, 'bundle'), dir, { recursive: true, filter: (src) => !src.endsWith('/generated') });
  cpSync(join(PACKAGES_CACHE, 'packages'), join(dir, 'packages'), { recursive: true });
  cpSync(join(PACKAGES_CACHE, 'packages.yml'), join(dir, 'packages.yml'));
}
const systemdSupport = systemdHostSupport();
/** An orchestrator storage directory that exists before the install (with an operator's file in it). */
const PRE_EXISTING = '/srv/metis-images';
if (!systemdSupport.ok && process.env.CI === 'true') throw new Error(`org lab: systemd hosts cannot run: ${systemdSupport.reason}`);
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

/** The first 4 bytes an Ice server sends on a new connection (its validate-connection message: "IceP"). */
function iceGreeting(host: string, port: number): Promise<string> {
  return new Promise((ok) => {
    let got = Buffer.alloc(0);
    const sock = net.connect({ host, port, timeout: 3000 });
    const done = () => (sock.destroy(), ok(got.subarray(0, 4).toString('latin1')));
    sock.on('data', (b: Buffer) => ((got = Buffer.concat([got, b])), got.length >= 4 && done()));
    sock.on('timeout', done);
    sock.on('error', done);
    sock.on('close', done);
  });
}

/** The RCODE of a consul DNS answer to a query for example. (UDP); -1 without an answer. */
function dnsRcode(host: string, port: number): Promise<number> {
  return new Promise((ok) => {
    const sock = dgram.createSocket('udp4');
    const timer = setTimeout(() => (sock.close(), ok(-1)), 3000);
    sock.on('message', (m: Buffer) => (clearTimeout(timer), sock.close(), ok(m[3] & 0x0f)));
    sock.send(Buffer.from('123401000001000000000000076578616d706c650000010001', 'hex'), port, host);
  });
}

describeLab('org install on a 10-host lab', () => {
  let lab: SystemdLab;
  let work: string;
  let inv: string;
  let ip: (host: string) => string;
  let before: Record<string, string>;
  /** The hosts as a full cleanup leaves them: as before, but for the packages deploy upgraded. */
  let afterCleanup: Record<string, string>;
  /** `before` with each package cleanup reports as upgraded at its new version. */
  const withUpgrades = (snap: Record<string, string>, cleanupOutput: string): Record<string, string> => {
    const out = { ...snap };
    const re = /ok: \[([\w-]+)\] => \(item=[^\n]*\) => \{\s*"msg": "KEPT: (\S+) stays at (\S+), upgraded by deploy from (\S+) /g;
    for (const [, host, name, now, was] of cleanupOutput.matchAll(re)) {
      expect(out[host], `${host} had ${name} ${was}`).toContain(`\n${name} ${was}\n`);
      out[host] = out[host].replace(`\n${name} ${was}\n`, `\n${name} ${now}\n`);
    }
    return out;
  };

  /** Runs a playbook of the install; fails the test with tsrun's output when the exit code differs. */
  const play = async (name: string, extra: string[] = [], expectCode = 0): Promise<RunOutput> => {
    // Every run appends to one run log (the checkout's ansible.cfg names ./log/; here the work dir).
    const out = await tsrun(['-i', inv, name, ...extra], { cwd: REPO, timeoutMs: 600_000, env: { ...process.env, ANSIBLE_LOG_PATH: join(work, 'run.log') } });
    // The output's tail is cut to fit; lines saying why a host failed or was unreachable come first.
    const why = out.stdout.split('\n').filter((l) => /UNREACHABLE|^fatal:|^failed:/.test(l)).slice(0, 20).join('\n');
    expect(out.code, `tsrun ${name} ${extra.join(' ')}\n${why}\n…\n${out.stdout.slice(-8000)}\n${out.stderr}`).toBe(expectCode);
    return out;
  };
  const stats = (out: RunOutput): Record<string, Stats> => (JSON.parse(out.stdout.slice(out.stdout.indexOf('{'))) as { stats: Record<string, Stats> }).stats;

  /** Everything under the hosts' private dirs (where the install may write), per host. */
  const snapshot = async (): Promise<Record<string, string>> => {
    const out: Record<string, string> = {};
    const tree = (dirs: string): string => `find ${dirs} -xdev -printf '%p %y %m %u %g\\n' 2>/dev/null | sort`;
    for (const h of HOSTS) {
      // A systemd host's /etc is its own: units, wants links, users and installed packages count too.
      const cmd = SYSTEMD.includes(h) ? `${tree('/opt /srv /var/opt /etc')}; dpkg-query -W -f '\${Package} \${Version}\\n'; cut -d: -f1 /etc/passwd /etc/group` : tree('/opt /srv /var/opt');
      out[h] = (await lab.runAsRoot(h, cmd)).stdout;
    }
    // Deploy gives a pre-existing storage directory to the service user; cleanup keeps it (and its files).
    out.orch1 = out.orch1.replace(new RegExp(`^${PRE_EXISTING} d .*$`, 'm'), `${PRE_EXISTING} d (kept)`);
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
  /**
   * Processes running from the install root in this lab's hosts: those in the hosts' network
   * namespaces (containers included). Not `ps` over the machine: other checkouts' labs run
   * the same install at the same time.
   */
  const installProcesses = async (): Promise<string> => {
    const found: string[] = [];
    for (const h of lab.hosts) {
      const pids = (await run('ip', ['netns', 'pids', h.netns])).stdout.split(/\s+/).filter(Boolean);
      for (const pid of pids) {
        let cmd = '';
        try {
          cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
        } catch {
          continue; // gone meanwhile
        }
        if (cmd.includes('/opt/metis/')) found.push(`${h.name} ${pid} ${cmd.trim()}`);
      }
    }
    return found.join('\n');
  };
  /** `systemctl is-active` and `is-enabled` of a unit on a systemd host. */
  const unitState = async (host: string, unit: string): Promise<string> =>
    (await lab.runAsRoot(host, `echo $(systemctl is-active ${unit}) $(systemctl is-enabled ${unit} 2>/dev/null || true)`)).stdout.trim();
  /** consul's catalog as one server sees it (consul2: a follower, so replication is checked too). */
  const catalog = async (server = 'consul2'): Promise<Record<string, string[]>> => JSON.parse((await get(`http://${ip(server)}:8500/v1/catalog/services`)).body) as Record<string, string[]>;
  /** The catalog once it lists `want` (registrations reach a follower's catalog a moment later), or as it is after 60 s. */
  const catalogWith = async (want: string[], server = 'consul2'): Promise<Record<string, string[]>> => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const c = await catalog(server);
      if (want.every((s) => s in c) || Date.now() > deadline) return c;
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  beforeAll(async () => {
    if (!systemdSupport.ok) throw new Error(`org lab: systemd hosts cannot run: ${systemdSupport.reason}`);
    lab = await addSystemdHosts(await createLab({ name: 'org', hosts: HOSTS }), SYSTEMD);
    ip = (h) => lab.hosts.find((x) => x.name === h)!.ip;
    work = mkdtempSync(join(tmpdir(), 'tsrun-org-'));
    await bundleWithPackages(join(work, 'bundle'));
    inv = join(work, 'lab.ini');
    writeFileSync(
      inv,
      lab.inventory({
        groups: { ...GROUPS, systemd_hosts: SYSTEMD },
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
          // The demo artifacts plus nginx's .deb files (deploy installs them on admin1, offline).
          bundle_dir: join(work, 'bundle'),
          // The documented per-check overrides: a test machine is not a sandbox host, and the
          // test must not depend on whether this one has /dev/kvm, nbd or hugepages, nor on whether
          // it runs NTP (lab hosts share its one clock; a container reports "not synchronized").
          bootstrap_check_time_sync: 'False',
          bootstrap_check_kvm: 'False',
          bootstrap_check_nbd: 'False',
          bootstrap_check_hugepages: 'False',
          // The namespace hosts share this machine's PID 1. Where that is systemd (a fresh Debian
          // machine, the fresh-machine check's container), facts report `systemd` for them too,
          // yet that systemd cannot see their private /etc: their services run as processes.
          service_mode: 'process',
          stop_timeout: '10',
          start_timeout: '60',
        },
      }) +
        '\n[systemd_hosts:vars]\nservice_user=metis\ncreate_service_user=True\nservice_mode=systemd\n' +
        // Storage outside the install root, one directory of it there before the install: cleanup must keep it.
        `\n[orchestrator:vars]\norchestrator_storage_dirs=["${PRE_EXISTING}", "/srv/metis-volumes"]\n`,
    );
    await lab.runAsRoot('orch1', `mkdir -p ${PRE_EXISTING} && echo keep > ${PRE_EXISTING}/operator-file`);
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
    // No host reaches a network: not the Debian mirror the bundle's packages came from (by its
    // address, as the control machine resolves it), so deploy can only install from the bundle.
    const mirror = (await lookup('deb.debian.org', { family: 4 })).address;
    for (const h of ['admin1', 'icevia1', 'data2']) {
      const r = await lab.runAsRoot(h, `timeout 5 bash -c 'exec 3<>/dev/tcp/${mirror}/80' 2>/dev/null && echo reached || echo unreachable`);
      expect({ h, r: r.stdout.trim() }).toEqual({ h, r: 'unreachable' });
    }
    await play('prepare');
    await play('bootstrap');
    await play('deploy');
    await play('start');

    const services = await catalogWith(SERVICES);
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
    for (const [host, port] of [['data2', 10041], ['compute1', 10051], ['orch1', 10061], ['carrier1', 10031]] as const) {
      expect(JSON.parse((await get(`http://${ip(host)}:${port}/health`)).body), host).toMatchObject({ status: 'ok', registered: true });
    }
    // The stand-ins listen where the real services do: carrier's libp2p on TCP and UDP, its
    // gRPC-gateway, pprof on loopback only; consul's DNS answers on UDP.
    expect(await listening('carrier1')).toEqual([10030, 10031, 10032, 10033, 16789]);
    expect((await lab.runAsRoot('carrier1', "grep -c ' 00000000:4196 ' /proc/net/udp")).stdout.trim()).toBe('1');
    expect((await lab.runAsRoot('carrier1', "grep ' 0A ' /proc/net/tcp | grep -c '0100007F:2731 '")).stdout.trim()).toBe('1');
    expect(await dnsRcode(ip('consul2'), 8600)).toBe(4);

    // ice_via is ZeroC IceGrid (registry + node) and Glacier2 from the bundle's packages, run as
    // hardened units: both endpoints greet with the Ice protocol; start registered it in consul.
    for (const port of [4061, 4064]) expect(await iceGreeting(ip('icevia1'), port), `icevia1:${port}`).toBe('IceP');
    for (const unit of ['metis-ice_via-registry', 'metis-ice_via-node', 'metis-ice_via-glacier2']) expect({ unit, state: await unitState('icevia1', unit) }).toEqual({ unit, state: 'active enabled' });
    for (const unit of ['icegridregistry', 'icegridnode', 'glacier2router']) expect({ unit, state: await unitState('icevia1', unit) }).toEqual({ unit, state: 'inactive disabled' });
    expect((await lab.runAsRoot('icevia1', `ps -o user= -p $(systemctl show -p MainPID --value metis-ice_via-glacier2)`)).stdout.trim()).toBe('metis');
    expect(await listening('icevia1')).toEqual(expect.arrayContaining([4061, 4062, 4063, 4064]));
    // The admin's own MariaDB, from the bundle: the admin database and user exist, reachable on loopback only.
    const dbLogin = `MYSQL_PWD=lab-db-password mariadb --protocol=tcp -h 127.0.0.1 -P 3306 -u metis -N -e 'SELECT DATABASE()' metis_admin`;
    expect((await lab.runAsRoot('admin1', dbLogin)).stdout.trim()).toBe('metis_admin');
    expect(await unitState('admin1', 'mariadb')).toBe('active enabled');

    // The services run as the login user on namespace hosts, as the dedicated user in hardened
    // units on systemd hosts; never as root.
    expect((await lab.runAsRoot('data2', `ps -o user= -p $(cat /opt/metis/data/run/data.pid)`)).stdout.trim()).toBe(lab.user);
    for (const [h, unit] of [['consul1', 'metis-consul'], ['data1', 'metis-data']]) {
      expect({ h, state: await unitState(h, unit) }).toEqual({ h, state: 'active enabled' });
      expect((await lab.runAsRoot(h, `ps -o user= -p $(systemctl show -p MainPID --value ${unit})`)).stdout.trim()).toBe('metis');
      expect((await lab.runAsRoot(h, `systemctl show -p NoNewPrivileges -p ProtectSystem -p PrivateTmp ${unit}`)).stdout.split('\n').sort().join(' ').trim())
        .toBe('NoNewPrivileges=yes PrivateTmp=yes ProtectSystem=strict');
    }

    // admin1 had no nginx: deploy installed it from the bundle's .deb files (no network), and its
    // front runs as a hardened unit; the distribution's own nginx service stays off.
    expect((await lab.runAsRoot('admin1', "dpkg-query -W -f '${Status}' nginx")).stdout).toBe('install ok installed');
    expect(await unitState('admin1', 'metis-admin-nginx')).toBe('active enabled');
    expect(await unitState('admin1', 'nginx')).toBe('inactive disabled');

    // The orchestrator's user may use /dev/kvm: bootstrap put it in the kvm group (created here).
    expect((await lab.runAsRoot('orch1', 'id -nG metis')).stdout.split(/\s+/)).toContain('kvm');

    // verify: one table per host, nothing changed, exit 0 while all is well.
    const verified = await play('verify');
    // consul: HTTP, DNS, serf LAN and WAN, server RPC on TCP; DNS and both serf ports on UDP too.
    expect(verified.stdout).toMatch(/"consul +running +8\/8 +200 +alive +1\.0\.0-demo \(sha256 ok\)"/);
    expect(verified.stdout).toMatch(/"carrier +running +6\/6 +200 +yes +1\.0\.0-demo \(sha256 ok\)"/);
    expect(verified.stdout).toMatch(/"data +running +2\/2 +200 +yes +1\.0\.0-demo \(sha256 ok\)"/);
    expect(verified.stdout).toMatch(/"ice_via +running +4\/4 +IceP +yes +zeroc 3\.7\.8\S* \(package ok\)"/);
    expect(verified.stdout).toMatch(/"admin +running +4\/4 +200 +yes +1\.0\.0-demo \(sha256 ok\), db ok"/);
    expect(verified.stdout).not.toMatch(/changed: \[/);

    const again = stats(await play('deploy', ['--json']));
    for (const h of HOSTS) expect({ h, changed: again[h].changed, failures: again[h].failures }).toEqual({ h, changed: 0, failures: 0 });

    // A config change restarts the consul servers one at a time, each healthy with every member
    // alive before the next one restarts (never two at once: that would lose the quorum).
    const rolled = (await play('deploy', ['-t', 'consul', '-e', 'consul_log_level=DEBUG'])).stdout;
    const at = (re: RegExp, from = 0): number => {
      const i = rolled.slice(from).search(re);
      expect(i, `${re} after ${from}`).toBeGreaterThanOrEqual(0);
      return from + i;
    };
    let pos = 0;
    for (const h of GROUPS.consul) {
      pos = at(new RegExp(`changed: \\[${h}\\] => \\(item=consul\\)`), pos);
      pos = at(new RegExp(`TASK \\[Wait for the consul cluster to have every member alive\\][^]*?ok: \\[${h} -> localhost\\]`), pos);
    }
    await play('deploy', ['-t', 'consul']);

    // A reboot brings back what is enabled, and leaves what was stopped stopped.
    await play('stop', ['-t', 'data', '--limit', 'data1']);
    expect(await unitState('data1', 'metis-data')).toBe('inactive disabled');
    await Promise.all([lab.rebootHost('data1'), lab.rebootHost('consul1')]);
    expect(await unitState('data1', 'metis-data')).toBe('inactive disabled');
    expect(await unitState('consul1', 'metis-consul')).toBe('active enabled');
    await play('start', ['-t', 'consul,data']);
    expect(await unitState('data1', 'metis-data')).toBe('active enabled');

    await play('stop');
    for (const h of HOSTS) expect({ h, ports: await listening(h) }).toEqual({ h, ports: [] });
    expect(await installProcesses()).toBe('');
    const stoppedVerify = await play('verify', [], 2);
    expect(stoppedVerify.stdout).toContain('PROBLEM data: not running');
    await lab.rebootHost('consul2');
    expect(await unitState('consul2', 'metis-consul')).toBe('inactive disabled');
    expect(await listening('consul2')).toEqual([]);

    await play('start');
    // consul2 has just rebooted and started again: ask the server start checked registrations on.
    expect(Object.keys(await catalog('consul1')).length).toBe(SERVICES.length);
    await play('stop');
    for (const h of HOSTS) expect({ h, ports: await listening(h) }).toEqual({ h, ports: [] });
    expect(await installProcesses()).toBe('');

    // Without confirmation nothing is removed.
    const refused = await play('cleanup', [], 2);
    expect(refused.stdout).toContain('cleanup not confirmed');
    expect((await lab.runAsRoot('data1', 'test -d /opt/metis/data && echo present')).stdout.trim()).toBe('present');

    // The admin database goes only with the second confirmation: without it, it stays with its
    // server (stopped) and the packages that server needs; everything else is removed.
    const cleaned = await play('cleanup', ['-e', 'confirm=yes']);
    expect(cleaned.stdout).toContain('deregister this node\'s identity in the admin console');
    expect(cleaned.stdout).toContain(`KEPT: ${PRE_EXISTING} existed before the install`);
    expect(cleaned.stdout).toContain('KEPT: the admin database metis_admin and its MariaDB server on admin1');
    expect((await lab.runAsRoot('orch1', `cat ${PRE_EXISTING}/operator-file`)).stdout).toBe('keep\n');
    expect((await lab.runAsRoot('admin1', "dpkg-query -W -f '${Status}' mariadb-server")).stdout).toBe('install ok installed');
    expect((await lab.runAsRoot('admin1', "dpkg -l nginx 2>/dev/null | grep -c '^ii' || true")).stdout.trim()).toBe('0');
    expect((await lab.runAsRoot('admin1', 'ls /var/lib/mysql')).stdout).toContain('metis_admin');

    const dropped = await play('cleanup', ['-e', 'confirm=yes', '-e', 'confirm_drop_admin_db=yes']);
    expect((await lab.runAsRoot('admin1', 'test -e /var/lib/mysql && echo present || echo absent')).stdout.trim()).toBe('absent');
    // Installed packages the bundle has in a newer version (the lab's Debian root predates some
    // security updates) were upgraded by deploy and stay so, as cleanup reports; all else is as before.
    afterCleanup = withUpgrades(before, cleaned.stdout + dropped.stdout);
    expect(await snapshot()).toEqual(afterCleanup);

    // The run log has every run, and no secret.
    const log = readFileSync(join(work, 'run.log'), 'utf8');
    expect(log.match(/ n=ansible \| PLAY RECAP \*+$/gm)?.length).toBeGreaterThan(15);
    for (const secret of ['lab-db-password', lab.password]) expect(log.includes(secret), 'a secret in the run log').toBe(false);
  }, 1_800_000);

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
    // data registers itself; a follower's catalog has it a moment later.
    const services = await catalogWith(['consul', 'data']);
    expect(Object.keys(services).sort()).toEqual(['consul', 'data']);

    // Stopping data alone leaves consul running.
    await play('stop', ['-t', 'data']);
    expect(await listening('data1')).toEqual([]);
    expect(await listening('consul1')).toEqual([8300, 8301, 8302, 8500, 8600]);
    await play('stop');
    const cleaned = await play('cleanup', ['-e', 'confirm=yes', '-e', 'confirm_drop_admin_db=yes']);
    expect(cleaned.stdout).toContain('deregister this node\'s identity in the admin console');
    expect(cleaned.stdout).toContain(`KEPT: ${PRE_EXISTING} existed before the install`);
    expect((await lab.runAsRoot('orch1', `cat ${PRE_EXISTING}/operator-file`)).stdout).toBe('keep\n');
    expect(await snapshot()).toEqual(afterCleanup);
  }, 1_800_000);
});
