import { afterEach, describe, expect, it } from 'vitest';
import { Catalog, ConfigError, catalogEntry, electLeader, parseConfig, parseIceEndpoint } from '../../bundle/src/metis-demo-service.mjs';
import { artifactPath, eventually, freePorts, httpJson, runNode, scratch, startStandIn, type Running } from './support.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const servers = (names: string[]) => names.map((name, i) => ({ name, address: '127.0.0.1', serf_port: 1000 + i, server_port: 2000 + i }));

function consulConfig(node: string, peers: { name: string; http: number; serf: number; server: number }[]): string {
  const me = peers.find((p) => p.name === node)!;
  return JSON.stringify({
    datacenter: 'dc-test',
    node_name: node,
    server: true,
    bootstrap_expect: peers.length,
    bind_addr: '127.0.0.1',
    client_addr: '127.0.0.1',
    ports: { http: me.http, serf_lan: me.serf, server: me.server },
    servers: peers.map((p) => ({ name: p.name, address: '127.0.0.1', serf_port: p.serf, server_port: p.server })),
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
    expect(electLeader(s, new Set(['c1', 'c2', 'c3']))?.name).toBe('c1');
    expect(electLeader(s, new Set(['c2', 'c3']))?.name).toBe('c2');
    expect(electLeader(s, new Set(['c3', 'c1']))?.name).toBe('c1');
    expect(electLeader(s, new Set(['c3']))).toBeUndefined();
    expect(electLeader(servers(['only']), new Set(['only']))?.name).toBe('only');
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
    expect(parseIceEndpoint('tcp -h 0.0.0.0 -p 4061', 'k')).toEqual({ host: '0.0.0.0', port: 4061 });
    expect(parseIceEndpoint('tcp -p 5', 'k')).toEqual({ host: '0.0.0.0', port: 5 });
    expect(() => parseIceEndpoint('udp -p 5', 'k')).toThrow(ConfigError);
    expect(() => parseIceEndpoint('tcp -h x', 'k')).toThrow(/not a TCP port/);
  });

  it('rejects bad configs naming the key', () => {
    const good = JSON.parse(consulConfig('c1', [{ name: 'c1', http: 1, serf: 2, server: 3 }]));
    expect(parseConfig('consul', JSON.stringify(good)).listeners.map((l) => l.port)).toEqual([1, 2, 3]);
    expect(() => parseConfig('consul', '{not json')).toThrow(/not valid JSON/);
    expect(() => parseConfig('consul', JSON.stringify({ ...good, ports: { http: 1, serf_lan: 2, server: 99999 } }))).toThrow(/ports.server/);
    expect(() => parseConfig('consul', JSON.stringify({ ...good, node_name: 'zz' }))).toThrow(/does not list this node/);
    const two = JSON.parse(consulConfig('c1', [{ name: 'c1', http: 1, serf: 2, server: 3 }, { name: 'c2', http: 4, serf: 5, server: 6 }]));
    expect(() => parseConfig('consul', JSON.stringify(two))).toThrow(/odd number/);
    expect(() => parseConfig('consul', JSON.stringify({ ...good, ports: { http: 1, serf_lan: 1, server: 3 } }))).toThrow(/used twice/);
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
    const p = await freePorts(9 + 2);
    const peers = ['c1', 'c2', 'c3'].map((name, i) => ({ name, http: p[i * 3], serf: p[i * 3 + 1], server: p[i * 3 + 2] }));
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
    const carrier = startStandIn('carrier', serviceConfig('carrier', 'carrier-1', p[9], p[10], [`http://127.0.0.1:${peers[1].http}`]));
    running.push(carrier);
    const health = await eventually('carrier registered', async () => {
      const h = await httpJson('GET', `http://127.0.0.1:${p[10]}/health`);
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
      `Glacier2.PublishedEndpoints=tcp -h 203.0.113.1 -p ${glacier}`,
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
