import { afterEach, describe, expect, it } from 'vitest';
import { Catalog, ConfigError, catalogEntry, electLeader, parseConfig, parseIceEndpoint } from '../../bundle/src/metis-demo-service.mjs';
import { artifactPath, eventually, freePorts, httpJson, runNode, scratch, startStandIn, type Running } from './support.js';
import dgram from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const servers = (names: string[]) => names.map((name, i) => ({ key: `127.0.0.1:${1000 + i}`, name, address: '127.0.0.1', serf_port: 1000 + i, server_port: 2000 + i }));

type Peer = { name: string; http: number; serf: number; server: number; wan?: number; dns?: number };
/** A consul server config with consul's own keys only; peers come from retry_join (every server). */
function consulConfig(node: string, peers: Peer[]): string {
  const me = peers.find((p) => p.name === node)!;
  return JSON.stringify({
    datacenter: 'dc-test',
    node_name: node,
    server: true,
    bootstrap_expect: peers.length,
    data_dir: '/nonexistent/consul-data',
    bind_addr: '127.0.0.1',
    client_addr: '127.0.0.1',
    advertise_addr: '127.0.0.1',
    ports: { http: me.http, serf_lan: me.serf, server: me.server, serf_wan: me.wan ?? me.serf + 10000, dns: me.dns ?? me.http + 10000 },
    retry_join: peers.map((p) => `127.0.0.1:${p.serf}`),
  });
}

function serviceConfig(kind: string, id: string, rpc: number, health: number, consul: string[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    cluster_name: 'test',
    bind_addr: '127.0.0.1',
    health_port: health,
    ports: { rpc },
    service: { name: kind, id, address: '127.0.0.1', port: rpc, tags: [kind] },
    consul,
    discover: ['carrier'],
    ...extra,
  });
}

describe('demo stand-in: pure parts', () => {
  it('elects the first alive server in configured order, only with a quorum', () => {
    const s = servers(['c1', 'c2', 'c3']);
    const keys = (...i: number[]) => new Set(i.map((n) => s[n].key));
    expect(electLeader(s, keys(0, 1, 2))?.name).toBe('c1');
    expect(electLeader(s, keys(1, 2))?.name).toBe('c2');
    expect(electLeader(s, keys(2, 0))?.name).toBe('c1');
    expect(electLeader(s, keys(2))).toBeUndefined();
    const only = servers(['only']);
    expect(electLeader(only, new Set([only[0].key]))?.name).toBe('only');
  });

  it('keeps a versioned catalog that followers adopt', () => {
    const leader = new Catalog();
    leader.register(catalogEntry({ Name: 'data', ID: 'data-1', Port: 10, Tags: ['x'] }, 'c1'));
    leader.register(catalogEntry({ Name: 'data', ID: 'data-2', Port: 11, Tags: ['y'] }, 'c1'));
    leader.register(catalogEntry({ Name: 'carrier', Port: 12 }, 'c1'));
    expect(leader.services()).toEqual({ consul: [], data: ['x', 'y'], carrier: [] });
    const follower = new Catalog();
    expect(follower.adopt(leader.snapshot())).toBe(true);
    expect(follower.adopt(leader.snapshot())).toBe(false);
    expect(follower.instances('data').map((e) => e.ID)).toEqual(['data-1', 'data-2']);
    expect(leader.deregister('data-1')).toBe(true);
    expect(leader.deregister('data-1')).toBe(false);
    follower.adopt(leader.snapshot());
    expect(follower.instances('data').map((e) => e.ID)).toEqual(['data-2']);
    expect(() => catalogEntry({ Port: 1 }, 'c1')).toThrow(/Name/);
    expect(() => catalogEntry({ Name: 'x', Port: 70000 }, 'c1')).toThrow(/Port/);
  });

  it('parses Ice endpoints', () => {
    expect(parseIceEndpoint('tcp -h 0.0.0.0 -p 4061', 'k')).toEqual({ protocol: 'tcp', host: '0.0.0.0', port: 4061 });
    expect(parseIceEndpoint('tcp -p 5', 'k')).toEqual({ protocol: 'tcp', host: '0.0.0.0', port: 5 });
    expect(() => parseIceEndpoint('udp -p 5', 'k')).toThrow(ConfigError);
    // Glacier2's client endpoint may be ssl; the registry's may not.
    expect(() => parseIceEndpoint('ssl -p 5', 'k')).toThrow(/only "tcp" endpoints/);
    expect(parseIceEndpoint('ssl -h 10.0.0.1 -p 4064', 'k', ['tcp', 'ssl'])).toEqual({ protocol: 'ssl', host: '10.0.0.1', port: 4064 });
    expect(() => parseIceEndpoint('tcp -h x', 'k')).toThrow(/not a TCP port/);
  });

  it('rejects bad configs naming the key', () => {
    const good = JSON.parse(consulConfig('c1', [{ name: 'c1', http: 1, serf: 2, server: 3, wan: 4, dns: 5 }]));
    // consul's interfaces: HTTP, DNS (TCP and UDP), serf LAN and WAN gossip (TCP and UDP), server RPC.
    expect(parseConfig('consul', JSON.stringify(good)).listeners.map((l) => `${l.transport}/${l.port}`)).toEqual(['tcp/1', 'tcp/5', 'udp/5', 'tcp/2', 'udp/2', 'tcp/4', 'udp/4', 'tcp/3']);
    expect(() => parseConfig('consul', '{not json')).toThrow(/not valid JSON/);
    expect(() => parseConfig('consul', JSON.stringify({ ...good, ports: { ...good.ports, server: 99999 } }))).toThrow(/ports.server/);
    expect(() => parseConfig('consul', JSON.stringify({ ...good, ports: { ...good.ports, serf_wan: undefined } }))).toThrow(/ports.serf_wan/);
    expect(() => parseConfig('consul', JSON.stringify({ ...good, ports: { ...good.ports, dns: undefined } }))).toThrow(/ports.dns/);
    expect(() => parseConfig('consul', JSON.stringify({ ...good, retry_join: ['127.0.0.1:99'] }))).toThrow(/does not list this node/);
    expect(() => parseConfig('consul', JSON.stringify({ ...good, retry_join: ['nohostport'] }))).toThrow(/retry_join\[0\]: expected HOST:PORT/);
    const two = JSON.parse(consulConfig('c1', [{ name: 'c1', http: 1, serf: 2, server: 3 }, { name: 'c2', http: 4, serf: 5, server: 6 }]));
    expect(() => parseConfig('consul', JSON.stringify(two))).toThrow(/odd number/);
    expect(() => parseConfig('consul', JSON.stringify({ ...good, ports: { ...good.ports, serf_lan: 1 }, retry_join: ['127.0.0.1:1'] }))).toThrow(/port 1 is used twice/);
    // The carrier's interfaces: p2p on TCP and UDP, gRPC, its gRPC-gateway, pprof on loopback.
    const carrier = parseConfig('carrier', serviceConfig('carrier', 'c-1', 10, 11, ['http://127.0.0.1:1'], { ports: { rpc: 10, p2p_tcp: 12, grpc_gateway: 13 }, udp_ports: { p2p_udp: 12 }, pprof_addr: '127.0.0.1:14' }));
    expect(carrier.listeners.map((l) => `${l.name} ${l.transport}/${l.host}:${l.port}`)).toEqual(['health tcp/127.0.0.1:11', 'rpc tcp/127.0.0.1:10', 'p2p_tcp tcp/127.0.0.1:12', 'grpc_gateway tcp/127.0.0.1:13', 'p2p_udp udp/127.0.0.1:12', 'pprof tcp/127.0.0.1:14']);
    expect(() => parseConfig('carrier', serviceConfig('carrier', 'c-1', 10, 11, ['http://127.0.0.1:1'], { pprof_addr: '14' }))).toThrow(/pprof_addr: expected HOST:PORT/);
    const data = JSON.parse(serviceConfig('data', 'd1', 5, 6, ['http://127.0.0.1:1']));
    expect(parseConfig('data', JSON.stringify(data)).kind).toBe('data');
    expect(() => parseConfig('data', JSON.stringify({ ...data, consul: [] }))).toThrow(/consul/);
    expect(() => parseConfig('data', JSON.stringify({ ...data, service: { ...data.service, id: '' } }))).toThrow(/service.id/);
    expect(() => parseConfig('admin', JSON.stringify(data))).toThrow(/database/);
    expect(() => parseConfig('orchestrator', JSON.stringify(data))).toThrow(/storage_dirs/);
    expect(() => parseConfig('nope', '{}')).toThrow(/unknown service kind/);
    expect(() => parseConfig('ice_via', 'IceGrid.Registry.Client.Endpoints=tcp -p 1\nbroken line')).toThrow(/line 2/);
  });
});

describe('demo stand-in: processes', () => {
  const running: Running[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop('SIGKILL')));
  });

  it('exits 2 with a clear message on a bad config, and --check-config validates', async () => {
    const dir = scratch();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ server: true }));
    const r = await runNode([artifactPath('consul'), '--config', bad]);
    expect(r.rc).toBe(2);
    expect(r.out).toContain(`invalid config ${bad}: node_name: missing or empty`);
    const missing = await runNode([artifactPath('carrier'), '--config', join(dir, 'nope.json')]);
    expect(missing.rc).toBe(2);
    expect(missing.out).toMatch(/cannot read/);
    const good = join(dir, 'good.json');
    writeFileSync(good, serviceConfig('carrier', 'carrier-1', 1, 2, ['http://127.0.0.1:3']));
    const ok = await runNode([artifactPath('carrier'), '--check-config', '--config', good]);
    expect(ok).toEqual({ rc: 0, out: `metis-demo carrier: config ${good} OK\n` });
  });

  it('runs a 3-server consul that elects a leader, forwards and replicates registrations, and fails over', async () => {
    const p = await freePorts(15 + 2);
    const peers = ['c1', 'c2', 'c3'].map((name, i) => ({ name, http: p[i * 5], serf: p[i * 5 + 1], server: p[i * 5 + 2], wan: p[i * 5 + 3], dns: p[i * 5 + 4] }));
    const consuls = peers.map((peer) => startStandIn('consul', consulConfig(peer.name, peers)));
    running.push(...consuls);
    const api = (i: number, path: string) => `http://127.0.0.1:${peers[i].http}${path}`;

    // Every server agrees on the first listed server as the leader, and sees all members alive.
    for (let i = 0; i < 3; i++) {
      await eventually(`leader on c${i + 1}`, async () => ((await httpJson('GET', api(i, '/v1/status/leader'))).json === `127.0.0.1:${peers[0].server}` ? true : undefined));
    }
    const members = await eventually('all members alive', async () => {
      const m = (await httpJson('GET', api(2, '/v1/agent/members'))).json as { Name: string; Status: number }[];
      return m.every((x) => x.Status === 1) ? m : undefined;
    });
    expect(members.map((m) => [m.Name, m.Status])).toEqual([['c1', 1], ['c2', 1], ['c3', 1]]);
    // Its DNS port speaks DNS (UDP): every query is answered "not implemented", with the query's ID.
    const query = Buffer.from('abcd01000001000000000000076578616d706c6500000100 01'.replace(/ /g, ''), 'hex');
    const answer = await new Promise<Buffer>((ok, fail) => {
      const sock = dgram.createSocket('udp4');
      sock.on('message', (m) => (sock.close(), ok(m)));
      sock.on('error', fail);
      sock.send(query, peers[0].dns, '127.0.0.1');
    });
    expect([answer.readUInt16BE(0), answer[2] & 0x80, answer[3] & 0x0f]).toEqual([0xabcd, 0x80, 4]);

    // A registration sent to a follower reaches the leader and every replica.
    const reg = await httpJson('PUT', api(2, '/v1/agent/service/register'), { ID: 'x-1', Name: 'x', Address: '10.0.0.1', Port: 42, Tags: ['t'] });
    expect(reg.status).toBe(200);
    for (let i = 0; i < 3; i++) {
      await eventually(`catalog on c${i + 1}`, async () => {
        const s = (await httpJson('GET', api(i, '/v1/catalog/services'))).json as Record<string, string[]>;
        return s.x ? s : undefined;
      });
    }
    expect((await httpJson('GET', api(1, '/v1/catalog/service/x'))).json).toMatchObject([{ ID: 'x-1', Address: '10.0.0.1', Port: 42 }]);

    // A stand-in service registers itself and finds the others through the catalog.
    const carrier = startStandIn('carrier', serviceConfig('carrier', 'carrier-1', p[15], p[16], [`http://127.0.0.1:${peers[1].http}`]));
    running.push(carrier);
    const health = await eventually('carrier registered', async () => {
      const h = await httpJson('GET', `http://127.0.0.1:${p[16]}/health`);
      return (h.json as { registered: boolean }).registered ? h.json : undefined;
    });
    expect(health).toMatchObject({ status: 'ok', demo: true, kind: 'carrier', id: 'carrier-1' });
    await eventually('carrier in catalog', async () => (((await httpJson('GET', api(0, '/v1/catalog/services'))).json as Record<string, unknown>).carrier ? true : undefined));

    // The leader dies: the next server takes over with the replicated catalog; c1 shows failed.
    await consuls[0].stop('SIGKILL');
    await eventually('failover', async () => ((await httpJson('GET', api(2, '/v1/status/leader'))).json === `127.0.0.1:${peers[1].server}` ? true : undefined));
    await eventually('c1 failed', async () => {
      const m = (await httpJson('GET', api(1, '/v1/agent/members'))).json as { Name: string; Status: number }[];
      return m.find((x) => x.Name === 'c1')?.Status === 4 ? true : undefined;
    });
    const after = await eventually('catalog replicated from the new leader', async () => {
      const s = (await httpJson('GET', api(2, '/v1/catalog/services'))).json as Record<string, unknown>;
      return s.carrier ? s : undefined;
    });
    expect(Object.keys(after).sort()).toEqual(['carrier', 'consul', 'x']);

    // A graceful stop deregisters; losing quorum leaves no leader.
    expect(await carrier.stop('SIGTERM')).toBe(0);
    expect(carrier.output()).toContain('deregistered carrier-1');
    await eventually('carrier gone', async () => (((await httpJson('GET', api(1, '/v1/catalog/services'))).json as Record<string, unknown>).carrier ? undefined : true));
    await consuls[1].stop('SIGTERM');
    await eventually('no quorum', async () => ((await httpJson('GET', api(2, '/v1/status/leader'))).json === '' ? true : undefined));
    expect((await httpJson('PUT', api(2, '/v1/agent/service/register'), { Name: 'y' })).status).toBe(500);
  }, 60_000);

  it('serves ice_via from an Ice property file, and fails when a port is taken', async () => {
    const [reg, internal, glacier, health, consul] = await freePorts(5);
    const props = [
      'IceGrid.InstanceName=t-IceGrid',
      `IceGrid.Registry.Client.Endpoints=tcp -h 127.0.0.1 -p ${reg}`,
      `IceGrid.Registry.Internal.Endpoints=tcp -h 127.0.0.1 -p ${internal}`,
      'Glacier2.InstanceName=t-Glacier2',
      `Glacier2.Client.Endpoints=tcp -h 127.0.0.1 -p ${glacier}`,
      `Glacier2.Client.PublishedEndpoints=tcp -h 203.0.113.1 -p ${glacier}`,
      'Metis.ClusterName=t',
      'Metis.Bind=127.0.0.1',
      `Metis.Health.Port=${health}`,
      'Metis.Service.Id=ice_via-1',
      'Metis.Service.Address=127.0.0.1',
      `Metis.Consul=http://127.0.0.1:${consul}`,
    ].join('\n');
    const ice = startStandIn('ice_via', props);
    running.push(ice);
    const h = await eventually('ice health', async () => (await httpJson('GET', `http://127.0.0.1:${health}/health`)).json);
    expect(h).toMatchObject({ kind: 'ice_via', registered: false });
    const twin = startStandIn('ice_via', props);
    running.push(twin);
    expect(await twin.stop('SIGCONT')).toBe(3);
    expect(twin.output()).toMatch(/cannot listen on 127\.0\.0\.1:\d+ \(health\)/);
  });
});
