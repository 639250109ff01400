import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ejs from 'ejs';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleVars, quote, type SampleHost } from './sample-vars.js';
import { REPO, artifactPath, eventually, freePorts, httpJson, runNode, scratch, startStandIn, type Running } from './support.js';
import { spawn } from 'node:child_process';
import https from 'node:https';
import { itAsRoot, itIf, programMissing } from '../support/needs.js';

const SERVICES = ['consul', 'carrier', 'admin', 'ice_via', 'data', 'compute', 'orchestrator'];
const CONFIG_TEMPLATE: Record<string, string> = {
  consul: 'consul.json.ejs',
  carrier: 'carrier.json.ejs',
  admin: 'admin.json.ejs',
  ice_via: 'ice_via.properties.ejs',
  data: 'data.json.ejs',
  compute: 'compute.json.ejs',
  orchestrator: 'orchestrator.json.ejs',
};

function render(role: string, template: string, vars: Record<string, unknown>): string {
  const file = join(REPO, 'roles', role, 'templates', template);
  return ejs.render(readFileSync(file, 'utf8'), { ...vars, quote }, { filename: file });
}

/** The lab's shape: one host per service, 3 consul servers and 2 data nodes. */
function labHosts(common: Record<string, unknown> = {}): Record<string, SampleHost> {
  const hosts: Record<string, SampleHost> = {};
  const add = (name: string, group: string, ip: string) => (hosts[name] = { groups: [group], vars: { ansible_host: ip, ...common } });
  ['c1', 'c2', 'c3'].forEach((n, i) => add(n, 'consul', `10.9.0.${10 + i}`));
  add('carrier1', 'carrier', '10.9.0.20');
  add('admin1', 'admin', '10.9.0.21');
  add('ice1', 'ice_via', '10.9.0.22');
  add('data1', 'data', '10.9.0.23');
  add('data2', 'data', '10.9.0.24');
  add('compute1', 'compute', '10.9.0.25');
  add('orch1', 'orchestrator', '10.9.0.26');
  return hosts;
}

function hostOf(hosts: Record<string, SampleHost>, svc: string): string {
  return Object.entries(hosts).find(([, h]) => h.groups.includes(svc))![0];
}

const nginxMissing = programMissing('/usr/sbin/nginx', 'nginx', ['-v']) ?? programMissing('openssl', 'openssl', ['version']);

function selfSigned(dir: string): void {
  mkdirSync(join(dir, 'tls'), { recursive: true });
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-keyout', join(dir, 'tls/admin.key'), '-out', join(dir, 'tls/admin.crt')], { stdio: 'ignore' });
}

describe('service config templates', () => {
  it('render for every service and pass the stand-in config check', async () => {
    const hosts = labHosts({ enable_tls: true, cluster_name: 'org1', admin_db_password: 's3cret' });
    const dir = scratch();
    for (const svc of SERVICES) {
      const host = hostOf(hosts, svc);
      const text = render(svc, CONFIG_TEMPLATE[svc], sampleVars(hosts, host, svc));
      const file = join(dir, `${svc}.conf`);
      writeFileSync(file, text);
      const r = await runNode([artifactPath(svc), '--check-config', '--config', file]);
      expect(r, `${svc}:\n${text}`).toEqual({ rc: 0, out: `metis-demo ${svc}: config ${file} OK\n` });
    }
  });

  it('derive consul peers, join addresses and service registration from the inventory', async () => {
    const hosts = labHosts({ cluster_name: 'org1', admin_db_password: 'x' });
    hosts.c2.vars!.consul_serf_port = 9301;
    const consul = JSON.parse(render('consul', 'consul.json.ejs', sampleVars(hosts, 'c1', 'consul')));
    // Every server, this one included, in inventory order: the stand-in elects by that order.
    expect(consul.retry_join).toEqual(['10.9.0.10:8301', '10.9.0.11:9301', '10.9.0.12:8301']);
    expect(consul.ports).toEqual({ dns: 8600, http: 8500, serf_lan: 8301, serf_wan: 8302, server: 8300 });
    expect(consul).toMatchObject({ node_name: 'c1', datacenter: 'org1', bootstrap_expect: 3, data_dir: '/opt/metis/consul/data' });
    const data = JSON.parse(render('data', 'data.json.ejs', sampleVars(hosts, 'data2', 'data')));
    expect(data.service).toMatchObject({ name: 'data', id: 'data-data2', address: '10.9.0.24', port: 10040 });
    expect(data.consul).toEqual(['http://10.9.0.10:8500', 'http://10.9.0.11:8500', 'http://10.9.0.12:8500']);
    const admin = JSON.parse(render('admin', 'admin.json.ejs', sampleVars(hosts, 'admin1', 'admin')));
    expect(admin.service.port).toBe(8080);
    expect(admin.database.password).toBe('x');
    const ice = render('ice_via', 'ice_via.properties.ejs', sampleVars({ ...hosts, ice1: { groups: ['ice_via'], vars: { ansible_host: '10.9.0.22', ice_via_external_ip: '203.0.113.7' } } }, 'ice1', 'ice_via'));
    expect(ice).toContain('Glacier2.Client.PublishedEndpoints=tcp -h 203.0.113.7 -p 4064\n');
    // ice_via_protocol=ssl: Glacier2's client endpoints are ssl, with IceSSL and its certificate.
    const ssl = render('ice_via', 'ice_via.properties.ejs', sampleVars({ ...hosts, ice1: { groups: ['ice_via'], vars: { ansible_host: '10.9.0.22', ice_via_protocol: 'ssl' } } }, 'ice1', 'ice_via'));
    expect(ssl).toContain('Glacier2.Client.Endpoints=ssl -h 0.0.0.0 -p 4064\n');
    expect(ssl).toContain('Glacier2.Client.PublishedEndpoints=ssl -h 10.9.0.22 -p 4064\n');
    expect(ssl).toContain('Ice.Plugin.IceSSL=IceSSL:createIceSSL\n');
    const sslFile = join(scratch(), 'ice.properties');
    writeFileSync(sslFile, ssl);
    expect(await runNode([artifactPath('ice_via'), '--check-config', '--config', sslFile])).toEqual({ rc: 0, out: `metis-demo ice_via: config ${sslFile} OK\n` });
    expect(ice).toContain('IceGrid.Registry.Client.Endpoints=tcp -h 0.0.0.0 -p 4061\n');
  });

  itIf(nginxMissing, 'render an nginx config that nginx -t accepts, with and without TLS', () => {
    for (const tls of [false, true]) {
      const root = scratch();
      const hosts = labHosts({ install_root: root, enable_tls: tls, admin_http_port: 18080, admin_https_port: 18443 });
      const vars = sampleVars(hosts, 'admin1', 'admin');
      const svcRoot = String(vars.metis_svc_root);
      for (const d of ['conf', 'log', 'run', 'nginx/tmp']) mkdirSync(join(svcRoot, d), { recursive: true });
      if (tls) selfSigned(svcRoot);
      const conf = render('admin', 'nginx.conf.ejs', vars);
      writeFileSync(String(vars.metis_nginx_conf), conf);
      expect(conf.includes('ssl_certificate ')).toBe(tls);
      const r = spawnSync('/usr/sbin/nginx', ['-t', '-p', String(vars.metis_nginx_prefix), '-c', String(vars.metis_nginx_conf), '-e', join(svcRoot, 'log/nginx-error.log')], { encoding: 'utf8' });
      expect(r.stderr).toContain('test is successful');
    }
  });
});

describe('a whole node from rendered configs', () => {
  const running: Running[] = [];
  afterAll(async () => {
    await Promise.all(running.map((r) => r.stop('SIGKILL')));
  });

  itIf(nginxMissing, 'comes up: consul has a leader, every service registers, admin answers over HTTPS', async () => {
    const p = await freePorts(45);
    let i = 0;
    const next = () => p[i++];
    const root = scratch();
    const hosts: Record<string, SampleHost> = {};
    const common = { ansible_host: '127.0.0.1', bind_address: '127.0.0.1', install_root: root, per_alias_dirs: true, enable_tls: true, admin_db_password: 'pw', cluster_name: 'itest' };
    for (const n of ['consul1', 'consul2', 'consul3']) hosts[n] = { groups: ['consul'], vars: { ...common, consul_http_port: next(), consul_serf_port: next(), consul_server_port: next(), consul_serf_wan_port: next(), consul_dns_port: next() } };
    hosts.carrier1 = { groups: ['carrier'], vars: { ...common, carrier_rpc_port: next(), carrier_http_port: next(), carrier_p2p_tcp_port: next(), carrier_grpc_gateway_port: next(), carrier_pprof_port: next() } };
    hosts.admin1 = { groups: ['admin'], vars: { ...common, admin_backend_port: next(), admin_http_port: next(), admin_https_port: next() } };
    hosts.icevia1 = { groups: ['ice_via'], vars: { ...common, ice_via_registry_port: next(), ice_via_registry_internal_port: next(), ice_via_glacier2_port: next(), ice_via_health_port: next() } };
    for (const n of ['data1', 'data2']) hosts[n] = { groups: ['data'], vars: { ...common, data_port: next(), data_health_port: next() } };
    hosts.compute1 = { groups: ['compute'], vars: { ...common, compute_port: next(), compute_health_port: next() } };
    hosts.orchestrator1 = { groups: ['orchestrator'], vars: { ...common, orchestrator_port: next(), orchestrator_health_port: next() } };

    for (const [host, h] of Object.entries(hosts)) {
      const svc = h.groups[0];
      const vars = sampleVars(hosts, host, svc);
      const svcRoot = String(vars.metis_svc_root);
      for (const d of ['conf', 'log', 'run', 'data']) mkdirSync(join(svcRoot, d), { recursive: true });
      running.push(startStandIn(svc, render(svc, CONFIG_TEMPLATE[svc], vars), join(svcRoot, 'conf')));
      if (svc === 'admin') {
        mkdirSync(join(svcRoot, 'nginx/tmp'), { recursive: true });
        selfSigned(svcRoot);
        writeFileSync(String(vars.metis_nginx_conf), render('admin', 'nginx.conf.ejs', vars));
        const nginx = spawn('/usr/sbin/nginx', ['-p', String(vars.metis_nginx_prefix), '-c', String(vars.metis_nginx_conf), '-e', join(svcRoot, 'log/nginx-error.log'), '-g', 'daemon off;'], { stdio: 'ignore' });
        const exited = new Promise<number | null>((ok) => nginx.on('exit', ok));
        // Always TERM: a KILLed nginx master leaves its workers behind.
        running.push({ child: nginx, output: () => '', stop: async () => (nginx.kill('SIGTERM'), exited) });
      }
    }
    const consulApi = `http://127.0.0.1:${hosts.consul2.vars!.consul_http_port}`;
    await eventually('a leader', async () => ((await httpJson('GET', `${consulApi}/v1/status/leader`)).json === `127.0.0.1:${hosts.consul1.vars!.consul_server_port}` ? true : undefined));
    const services = await eventually('every service registered', async () => {
      const s = (await httpJson('GET', `${consulApi}/v1/catalog/services`)).json as Record<string, unknown>;
      return SERVICES.every((x) => x in s) && (await httpJson('GET', `${consulApi}/v1/catalog/service/data`)).json instanceof Array &&
        ((await httpJson('GET', `${consulApi}/v1/catalog/service/data`)).json as unknown[]).length === 2 ? s : undefined;
    }, 30_000);
    expect(Object.keys(services).sort()).toEqual([...SERVICES].sort());
    const body = await new Promise<string>((ok, fail) => {
      https.get({ host: '127.0.0.1', port: Number(hosts.admin1.vars!.admin_https_port), path: '/health', rejectUnauthorized: false }, (res) => {
        let t = '';
        res.on('data', (b: Buffer) => (t += b.toString()));
        res.on('end', () => ok(t));
      }).on('error', fail);
    });
    expect(JSON.parse(body)).toMatchObject({ status: 'ok', kind: 'admin', id: 'admin-admin1', registered: true });
    // Services find each other through consul.
    const compute = await eventually('compute found carrier', async () => {
      const h = (await httpJson('GET', `http://127.0.0.1:${hosts.compute1.vars!.compute_health_port}/health`)).json as { found: Record<string, string[]> };
      return h.found.carrier?.length ? h : undefined;
    });
    expect(compute.found.carrier).toEqual([`127.0.0.1:${hosts.carrier1.vars!.carrier_rpc_port}`]);
  }, 60_000);
});

describe('process-mode control script', () => {
  function controlScript(dir: string, command: string, marker: string, user = 'root', stopTimeout = 3): string {
    for (const d of ['bin', 'log', 'run']) mkdirSync(join(dir, d), { recursive: true });
    const text = render('service', 'control.sh.ejs', {
      proc: { name: 'svc', command, marker },
      inventory_hostname: 'h1',
      svc: 'data',
      metis_svc_root: dir,
      metis_user: user,
      metis_group: user === 'nobody' ? 'nogroup' : user,
      metis_stop_timeout: stopTimeout,
    });
    const file = join(dir, 'bin', 'svc-ctl');
    writeFileSync(file, text);
    chmodSync(file, 0o755);
    expect(spawnSync('sh', ['-n', file]).status).toBe(0);
    return file;
  }
  const ctl = (file: string, action: string) => spawnSync(file, [action], { encoding: 'utf8', timeout: 30_000 });

  it('starts in the background with a pidfile and log, is idempotent, and stops with TERM', async () => {
    const dir = scratch();
    const [health, rpc] = await freePorts(2);
    const cfg = join(dir, 'data.json');
    writeFileSync(cfg, JSON.stringify({ cluster_name: 't', bind_addr: '127.0.0.1', health_port: health, ports: { rpc }, service: { name: 'data', id: 'd1', address: '127.0.0.1', port: rpc }, consul: ['http://127.0.0.1:1'] }));
    const file = controlScript(dir, `${process.execPath} ${artifactPath('data')} --config ${cfg}`, cfg);
    expect(ctl(file, 'status').status).toBe(3);
    const start = ctl(file, 'start');
    expect(start.stdout).toMatch(/^STARTED svc \(pid \d+\)/);
    expect(ctl(file, 'start').stdout).toMatch(/^ALREADY RUNNING svc/);
    const pid = Number(readFileSync(join(dir, 'run/svc.pid'), 'utf8'));
    expect(ctl(file, 'status')).toMatchObject({ status: 0, stdout: `RUNNING svc (pid ${pid})\n` });
    await eventually('health', async () => ((await httpJson('GET', `http://127.0.0.1:${health}/health`)).status === 200 ? true : undefined));
    const stop = ctl(file, 'stop');
    expect(stop.stdout).toBe(`STOPPED svc (pid ${pid})\n`);
    expect(ctl(file, 'stop').stdout).toBe('NOT RUNNING svc\n');
    expect(readFileSync(join(dir, 'log/svc.log'), 'utf8')).toMatch(/DEMO stand-in for data[\s\S]*SIGTERM received/);
  });

  it('starts one process when several starts run at once, and one stop after them stops it', async () => {
    const dir = scratch();
    const marker = `racing-${process.pid}-${Math.random().toString(36).slice(2)}`;
    const file = controlScript(dir, `sh -c 'while :; do sleep 1; done' ${marker}`, marker);
    const starts = await Promise.all(
      Array.from({ length: 6 }, () => new Promise<string>((ok) => {
        const child = spawn(file, ['start'], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (b: Buffer) => (out += b.toString()));
        child.on('close', () => ok(out));
      })),
    );
    expect(starts.filter((o) => o.startsWith('STARTED')).length).toBe(1);
    expect(starts.filter((o) => o.startsWith('ALREADY RUNNING')).length).toBe(5);
    const running = () => spawnSync('pgrep', ['-f', `^sh -c while :; do sleep 1; done ${marker}`], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
    expect(running().length).toBe(1);
    expect(ctl(file, 'stop').stdout).toMatch(/^STOPPED/);
    expect(running()).toEqual([]);
    expect(existsSync(join(dir, 'run/svc.pid.lock'))).toBe(false);
  });

  it('sends KILL after the bounded wait to a process that ignores TERM', () => {
    const dir = scratch();
    const marker = `stubborn-${Date.now()}`;
    const file = controlScript(dir, `sh -c 'trap "" TERM; while :; do sleep 1; done' ${marker}`, marker, 'root', 1);
    expect(ctl(file, 'start').stdout).toMatch(/^STARTED/);
    const stop = ctl(file, 'stop');
    expect(stop.stderr).toContain('did not stop within 1s, sending KILL');
    expect(stop.stdout).toMatch(/^STOPPED/);
    expect(ctl(file, 'status').status).toBe(3);
  });

  it('reports a service that dies at once with the end of its log', () => {
    const dir = scratch();
    const file = controlScript(dir, `${process.execPath} ${artifactPath('data')} --config ${join(dir, 'missing.json')}`, 'missing.json');
    const r = ctl(file, 'start');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('FAILED to start svc');
    expect(r.stderr).toContain('cannot read');
  });

  itAsRoot('drops to the service user when run as root', () => {
    const dir = scratch();
    chmodSync(dir, 0o755);
    const file = controlScript(dir, 'sleep 300', 'sleep 300', 'nobody');
    expect(ctl(file, 'start').stdout).toMatch(/^STARTED/);
    const pid = readFileSync(join(dir, 'run/svc.pid'), 'utf8').trim();
    const owner = execFileSync('ps', ['-o', 'user=', '-p', pid], { encoding: 'utf8' }).trim();
    expect(owner).toBe('nobody');
    expect(ctl(file, 'stop').stdout).toMatch(/^STOPPED/);
  });
});

describe('systemd unit', () => {
  const analyzeMissing = programMissing('systemd-analyze', 'systemd');
  const unitVars = (dir: string, over: Record<string, unknown> = {}): Record<string, unknown> => withProcesses({
    proc: { name: 'data', command: `${process.execPath} ${artifactPath('data')} --config ${dir}/conf/data.json` },
    svc: 'data',
    inventory_hostname: 'h1',
    metis_cluster_name: 'org1',
    metis_user: 'root',
    metis_group: 'root',
    metis_svc_root: dir,
    metis_stop_timeout: 15,
    metis_unit_suffix: '',
    metis_host_services: ['consul', 'data'],
    metis_ports: { data: { rpc: 10040, health: 10041 }, admin: { health: 9090, http: 80 } },
    metis_nginx_prefix: `${dir}/nginx`,
    metis_orchestrator_storage_dirs: [`${dir}/images`],
    metis_systemd_version: 252,
    metis_ice_native: false,
    ...over,
  });
  /** The service's processes, as group_vars lists them: admin's backend, then its nginx front. */
  const withProcesses = (v: Record<string, unknown>): Record<string, unknown> => ({
    metis_processes: v.svc === 'admin' ? [{ name: 'admin' }, { name: 'admin-nginx' }] : [v.proc],
    ...v,
  });
  const directives = (unit: string): Record<string, string[]> => {
    const out: Record<string, string[]> = {};
    for (const l of unit.split('\n')) {
      const m = /^([A-Za-z]+)=(.*)$/.exec(l);
      if (m) (out[m[1]] ??= []).push(m[2]);
    }
    return out;
  };

  itIf(analyzeMissing, 'renders a unit that systemd-analyze verify accepts', () => {
    const dir = scratch();
    for (const [name, vars] of [['metis-data.service', unitVars(dir)], ['metis-admin-nginx.service', unitVars(dir, { svc: 'admin', proc: { name: 'admin-nginx', command: '/usr/sbin/nginx -p /x' } })],
      ['metis-orchestrator.service', unitVars(dir, { svc: 'orchestrator', proc: { name: 'orchestrator', command: '/bin/true' }, metis_ports: { orchestrator: { rpc: 1 } }, metis_systemd_version: 239 })]] as const) {
      const file = join(dir, name);
      writeFileSync(file, render('service', 'metis.service.ejs', vars));
      const r = spawnSync('systemd-analyze', ['verify', '--man=no', file], { encoding: 'utf8' });
      expect(r.stderr.split('\n').filter((l) => l.includes(name)), r.stderr).toEqual([]);
      expect(r.status, r.stderr).toBe(0);
    }
  });

  it('orders units after the host\'s earlier services and hardens them', () => {
    const dir = scratch();
    const d = directives(render('service', 'metis.service.ejs', unitVars(dir)));
    expect(d.After).toEqual(['network-online.target metis-consul.service']);
    expect(d.Wants).toEqual(['network-online.target metis-consul.service']);
    expect(d).toMatchObject({
      NoNewPrivileges: ['yes'], PrivateTmp: ['yes'], ProtectSystem: ['strict'], ProtectHome: ['yes'], PrivateDevices: ['yes'],
      ReadWritePaths: [`${dir}/log ${dir}/run ${dir}/data`], Restart: ['on-failure'], StartLimitBurst: ['5'], CapabilityBoundingSet: [''],
      StandardOutput: [`append:${dir}/log/data.log`],
    });
    // nginx comes after its backend, may write its prefix, and may bind port 80.
    const nginx = directives(render('service', 'metis.service.ejs', unitVars(dir, { svc: 'admin', proc: { name: 'admin-nginx', command: 'nginx' }, metis_host_services: ['admin'], metis_unit_suffix: '-a1' })));
    expect(nginx.After).toEqual(['network-online.target metis-admin-a1.service']);
    expect(nginx.ReadWritePaths).toEqual([`${dir}/log ${dir}/run ${dir}/data ${dir}/nginx`]);
    expect(nginx.AmbientCapabilities).toEqual(['CAP_NET_BIND_SERVICE']);
    // IceGrid from the bundle's packages: registry, then node, then Glacier2; a later service on
    // the host (data) reaches ice_via through its first unit.
    const iceProcs = ['ice_via-registry', 'ice_via-node', 'ice_via-glacier2'].map((name) => ({ name, command: `/usr/bin/${name}` }));
    const ice = (name: string, over: Record<string, unknown> = {}) =>
      directives(render('service', 'metis.service.ejs', unitVars(dir, { svc: 'ice_via', proc: iceProcs.find((p) => p.name === name), metis_processes: iceProcs, metis_ice_native: true, metis_host_services: ['consul', 'ice_via'], metis_ports: { ice_via: { registry: 4061, glacier2: 4064 } }, ...over })));
    expect(ice('ice_via-registry').After).toEqual(['network-online.target metis-consul.service']);
    expect(ice('ice_via-node').After).toEqual(['network-online.target metis-consul.service metis-ice_via-registry.service']);
    expect(ice('ice_via-glacier2').After).toEqual(['network-online.target metis-consul.service metis-ice_via-node.service']);
    const after = directives(render('service', 'metis.service.ejs', unitVars(dir, { metis_host_services: ['ice_via', 'data'], metis_ice_native: true })));
    expect(after.After).toEqual(['network-online.target metis-ice_via-registry.service']);
  });

  // docs/ORG-INSTALL.md reports these numbers; a unit that loses its hardening fails here.
  itIf(analyzeMissing, 'scores as exposed as docs/ORG-INSTALL.md says under systemd-analyze security', () => {
    const dir = scratch();
    const exposure = (name: string, vars: Record<string, unknown>): number => {
      const file = join(dir, name);
      writeFileSync(file, render('service', 'metis.service.ejs', vars));
      const r = spawnSync('systemd-analyze', ['security', '--offline=yes', '--no-pager', file], { encoding: 'utf8' });
      const m = /Overall exposure level for \S+: ([\d.]+)/.exec(r.stdout + r.stderr);
      expect(m, r.stdout + r.stderr).not.toBeNull();
      return Number(m![1]);
    };
    expect(exposure('metis-data.service', unitVars(dir, { metis_user: 'metis', metis_group: 'metis' }))).toBe(1.5);
    const glacier2 = { name: 'ice_via-glacier2', command: '/usr/bin/glacier2router --Ice.Config=/x' };
    expect(exposure('metis-ice_via-glacier2.service', unitVars(dir, { svc: 'ice_via', proc: glacier2, metis_processes: [glacier2], metis_ports: { ice_via: { glacier2: 4064 } }, metis_user: 'metis', metis_group: 'metis' }))).toBe(1.5);
    expect(exposure('metis-orchestrator.service', unitVars(dir, { svc: 'orchestrator', proc: { name: 'orchestrator', command: '/bin/true' }, metis_ports: { orchestrator: { rpc: 10060 } }, metis_user: 'metis', metis_group: 'metis' }))).toBe(3.9);
  });

  it('logs to the journal before systemd 240, and lets the orchestrator reach kvm and nbd', () => {
    const dir = scratch();
    const d = directives(render('service', 'metis.service.ejs', unitVars(dir, { svc: 'orchestrator', proc: { name: 'orchestrator', command: 'x' }, metis_ports: { orchestrator: { rpc: 10060 } }, metis_systemd_version: 239 })));
    expect(d.StandardOutput).toEqual(['journal']);
    expect(d.PrivateDevices).toBeUndefined();
    expect(d.DeviceAllow).toEqual(['/dev/kvm rw', 'block-nbd rw']);
    expect(d.ReadWritePaths).toEqual([`${dir}/log ${dir}/run ${dir}/data ${dir}/images`]);
  });
});
