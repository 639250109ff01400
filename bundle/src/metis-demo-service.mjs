// DEMO STAND-IN SERVICE - not a Metis product binary.
//
// The real Metis services are proprietary. This one program stands in for all of them so that
// the install can be exercised end to end: it reads the rendered config of one service kind
// (and refuses a bad one), listens on the configured ports, serves a health endpoint, and
// registers with the consul stand-in's HTTP API. `kind: consul` is a tiny replicated registry
// speaking the subset of Consul's HTTP API the install uses.
//
// Usage: node metis-<kind>-demo.mjs [--kind KIND] --config FILE [--check-config]
// Needs only Node.js >= 18 and its standard library: it is copied alone onto targets.

import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import { readFileSync } from 'node:fs';

const KINDS = ['consul', 'carrier', 'admin', 'ice_via', 'data', 'compute', 'orchestrator'];
const PEER_TIMEOUT_MS = 800;
const PEER_INTERVAL_MS = 1000;
const PEER_ALIVE_WINDOW_MS = 3500;
const REGISTER_INTERVAL_MS = 3000;

export class ConfigError extends Error {}

// ---------------------------------------------------------------------------------------------
// Config parsing and validation (pure)
// ---------------------------------------------------------------------------------------------

/** Ice-style property files (`Key.Sub=value`, `#` comments), as IceGrid and Glacier2 read them. */
export function parseProperties(text) {
  const props = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new ConfigError(`line ${i + 1}: expected KEY=VALUE, got "${line}"`);
    props[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  });
  return props;
}

/**
 * `tcp -h 0.0.0.0 -p 4061` -> { protocol, host, port } (Ice endpoint syntax). `protocols`: the
 * transports the key accepts (Glacier2's client endpoint: tcp or ssl, as IceSSL serves it).
 */
export function parseIceEndpoint(text, key, protocols = ['tcp']) {
  const parts = String(text ?? '').trim().split(/\s+/);
  if (!protocols.includes(parts[0])) throw new ConfigError(`${key}: only ${protocols.map((p) => `"${p}"`).join(' or ')} endpoints are supported, got "${text}"`);
  let host = '0.0.0.0';
  let port;
  for (let i = 1; i < parts.length; i += 2) {
    if (parts[i] === '-h') host = parts[i + 1];
    else if (parts[i] === '-p') port = parts[i + 1];
  }
  return { protocol: parts[0], host, port: requirePort(port, key) };
}

function requirePort(value, key) {
  const n = typeof value === 'number' ? value : Number(String(value ?? '').trim());
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new ConfigError(`${key}: not a TCP port: ${JSON.stringify(value)}`);
  return n;
}

function requireString(obj, key, path = key) {
  const v = obj?.[key];
  if (typeof v !== 'string' || v.trim() === '') throw new ConfigError(`${path}: missing or empty`);
  return v;
}

function requireArray(obj, key, path = key) {
  const v = obj?.[key];
  if (!Array.isArray(v)) throw new ConfigError(`${path}: must be a list`);
  return v;
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`not valid JSON: ${e.message}`);
  }
}

/** Consul addresses services register with: `http://host:port`, at least one. */
function consulEndpoints(list, key) {
  if (!Array.isArray(list) || list.length === 0) throw new ConfigError(`${key}: needs at least one consul address`);
  return list.map((u, i) => {
    let url;
    try {
      url = new URL(String(u));
    } catch {
      throw new ConfigError(`${key}[${i}]: not a URL: ${JSON.stringify(u)}`);
    }
    if (url.protocol !== 'http:') throw new ConfigError(`${key}[${i}]: only http:// is supported`);
    return url.origin;
  });
}

/**
 * The listeners every kind opens: name, bind host, port, and what it speaks: 'api', 'peer',
 * 'health' (HTTP), 'tcp' (a banner), 'udp' (a datagram socket that drops what it gets), 'dns'
 * (UDP and TCP DNS that answers every query "not implemented").
 */
function listener(name, host, port, httpKind) {
  return { name, host, port, http: httpKind, transport: httpKind === 'udp' || httpKind === 'dns-udp' ? 'udp' : 'tcp' };
}

/** `host:port` -> { host, port } (consul's retry_join entries, pprof's address). */
function hostPort(text, key) {
  const m = /^(.+):(\d+)$/.exec(String(text ?? ''));
  if (!m) throw new ConfigError(`${key}: expected HOST:PORT, got ${JSON.stringify(text)}`);
  return { host: m[1], port: requirePort(m[2], key) };
}

function serviceSection(cfg, kind) {
  const s = cfg.service;
  if (typeof s !== 'object' || s === null) throw new ConfigError('service: missing section');
  return {
    name: requireString(s, 'name', 'service.name'),
    id: requireString(s, 'id', 'service.id'),
    address: requireString(s, 'address', 'service.address'),
    port: requirePort(s.port, 'service.port'),
    tags: Array.isArray(s.tags) ? s.tags.map(String) : [kind],
    meta: typeof s.meta === 'object' && s.meta !== null ? s.meta : {},
  };
}

/**
 * A consul server config as real consul reads it (only consul's own keys). The stand-in finds its
 * peers in retry_join, which lists every server, this one included, in one order everywhere (the
 * order the stand-in elects its leader by); it learns their names and server ports from them.
 */
function validateConsul(cfg) {
  const nodeName = requireString(cfg, 'node_name');
  if (cfg.server !== true) throw new ConfigError('server: the demo consul runs servers only (server: true)');
  requireString(cfg, 'data_dir');
  const bind = requireString(cfg, 'bind_addr');
  const client = typeof cfg.client_addr === 'string' ? cfg.client_addr : bind;
  const advertise = typeof cfg.advertise_addr === 'string' ? cfg.advertise_addr : bind;
  const ports = cfg.ports ?? {};
  const http = requirePort(ports.http, 'ports.http');
  const dns = requirePort(ports.dns, 'ports.dns');
  const serf = requirePort(ports.serf_lan, 'ports.serf_lan');
  const serfWan = requirePort(ports.serf_wan, 'ports.serf_wan');
  const server = requirePort(ports.server, 'ports.server');
  const servers = requireArray(cfg, 'retry_join').map((entry, i) => {
    const { host, port } = hostPort(entry, `retry_join[${i}]`);
    const self = host === advertise && port === serf;
    return { key: `${host}:${port}`, name: self ? nodeName : undefined, address: host, serf_port: port, server_port: self ? server : undefined, self };
  });
  if (servers.length % 2 === 0) throw new ConfigError(`retry_join: an odd number of servers is required, got ${servers.length}`);
  if (!servers.some((s) => s.self)) throw new ConfigError(`retry_join: does not list this node (${advertise}:${serf}); the demo consul needs every server, itself included`);
  if (new Set(servers.map((s) => s.key)).size !== servers.length) throw new ConfigError('retry_join: duplicate servers');
  const expect = cfg.bootstrap_expect ?? servers.length;
  if (expect !== servers.length) throw new ConfigError(`bootstrap_expect (${expect}) differs from the number of servers in retry_join (${servers.length})`);
  return {
    kind: 'consul',
    datacenter: requireString(cfg, 'datacenter'),
    nodeName,
    servers,
    listeners: [
      listener('http', client, http, 'api'),
      listener('dns', client, dns, 'dns'),
      listener('dns_udp', client, dns, 'dns-udp'),
      listener('serf_lan', bind, serf, 'peer'),
      listener('serf_lan_udp', bind, serf, 'udp'),
      listener('serf_wan', bind, serfWan, 'tcp'),
      listener('serf_wan_udp', bind, serfWan, 'udp'),
      listener('server', bind, server, 'tcp'),
    ],
  };
}

function validateJsonService(cfg, kind) {
  const service = serviceSection(cfg, kind);
  const consul = consulEndpoints(cfg.consul, 'consul');
  const bind = requireString(cfg, 'bind_addr');
  const health = requirePort(cfg.health_port, 'health_port');
  const listeners = [listener('health', bind, health, 'health')];
  const ports = cfg.ports ?? {};
  if (typeof ports !== 'object' || Array.isArray(ports)) throw new ConfigError('ports: must be a mapping of name to port');
  for (const [name, port] of Object.entries(ports)) listeners.push(listener(name, bind, requirePort(port, `ports.${name}`), 'tcp'));
  const udp = cfg.udp_ports ?? {};
  if (typeof udp !== 'object' || Array.isArray(udp)) throw new ConfigError('udp_ports: must be a mapping of name to port');
  for (const [name, port] of Object.entries(udp)) listeners.push(listener(name, bind, requirePort(port, `udp_ports.${name}`), 'udp'));
  // Go's net/http/pprof on its own address (loopback by default: it exposes the process' internals).
  if (cfg.pprof_addr !== undefined) {
    const { host, port } = hostPort(cfg.pprof_addr, 'pprof_addr');
    listeners.push(listener('pprof', host, port, 'tcp'));
  }
  const extra = {};
  if (kind === 'admin') {
    const db = cfg.database;
    if (typeof db !== 'object' || db === null) throw new ConfigError('database: missing section');
    for (const k of ['host', 'name', 'user', 'password']) requireString(db, k, `database.${k}`);
    requirePort(db.port, 'database.port');
    // The backend answers HTTP on its health port; nginx proxies to it.
    extra.database = { host: db.host, port: db.port, name: db.name, user: db.user };
  }
  if (kind === 'carrier' || kind === 'ice_via') {
    if (cfg.external_ip !== undefined) requireString(cfg, 'external_ip');
  }
  if (kind === 'orchestrator') {
    const dirs = requireArray(cfg, 'storage_dirs');
    if (dirs.length === 0) throw new ConfigError('storage_dirs: needs at least one directory');
    extra.storageDirs = dirs.map((d, i) => requireString({ d }, 'd', `storage_dirs[${i}]`));
  }
  if (typeof cfg.cluster_name !== 'string' || cfg.cluster_name === '') throw new ConfigError('cluster_name: missing or empty');
  return { kind, service, consul, listeners, clusterName: cfg.cluster_name, discover: Array.isArray(cfg.discover) ? cfg.discover.map(String) : [], ...extra };
}

/** ice_via reads an Ice property file: IceGrid registry and Glacier2 router endpoints. */
function validateIceVia(props) {
  const registry = parseIceEndpoint(props['IceGrid.Registry.Client.Endpoints'], 'IceGrid.Registry.Client.Endpoints');
  const internal = parseIceEndpoint(props['IceGrid.Registry.Internal.Endpoints'], 'IceGrid.Registry.Internal.Endpoints');
  const glacier = parseIceEndpoint(props['Glacier2.Client.Endpoints'], 'Glacier2.Client.Endpoints', ['tcp', 'ssl']);
  const published = parseIceEndpoint(props['Glacier2.Client.PublishedEndpoints'], 'Glacier2.Client.PublishedEndpoints', ['tcp', 'ssl']);
  if (published.port !== glacier.port) throw new ConfigError('Glacier2.Client.PublishedEndpoints: port differs from Glacier2.Client.Endpoints');
  if (published.protocol !== glacier.protocol) throw new ConfigError('Glacier2.Client.PublishedEndpoints: protocol differs from Glacier2.Client.Endpoints');
  if (glacier.protocol === 'ssl' && !props['IceSSL.CertFile']) throw new ConfigError('IceSSL.CertFile: missing for an ssl Glacier2 endpoint');
  if (!props['Glacier2.InstanceName']) throw new ConfigError('Glacier2.InstanceName: missing or empty');
  if (!props['IceGrid.InstanceName']) throw new ConfigError('IceGrid.InstanceName: missing or empty');
  const health = requirePort(props['Metis.Health.Port'], 'Metis.Health.Port');
  const bind = props['Metis.Bind'] || '0.0.0.0';
  const consul = consulEndpoints(String(props['Metis.Consul'] ?? '').split(',').map((s) => s.trim()).filter(Boolean), 'Metis.Consul');
  const service = {
    name: props['Metis.Service.Name'] || 'ice_via',
    id: props['Metis.Service.Id'] || '',
    address: props['Metis.Service.Address'] || '',
    port: glacier.port,
    tags: ['ice_via', 'glacier2', 'icegrid', glacier.protocol],
    meta: { external: `${published.host}:${published.port}`, registry: String(registry.port) },
  };
  if (!service.id) throw new ConfigError('Metis.Service.Id: missing or empty');
  if (!service.address) throw new ConfigError('Metis.Service.Address: missing or empty');
  if (!props['Metis.ClusterName']) throw new ConfigError('Metis.ClusterName: missing or empty');
  return {
    kind: 'ice_via',
    service,
    consul,
    clusterName: props['Metis.ClusterName'],
    discover: ['carrier'],
    listeners: [
      listener('health', bind, health, 'health'),
      listener('icegrid_client', registry.host, registry.port, 'tcp'),
      listener('icegrid_internal', internal.host, internal.port, 'tcp'),
      listener('glacier2_client', glacier.host, glacier.port, 'tcp'),
    ],
  };
}

/** Parses and validates one kind's config text; throws ConfigError naming the bad key. */
export function parseConfig(kind, text) {
  if (!KINDS.includes(kind)) throw new ConfigError(`unknown service kind "${kind}" (expected one of ${KINDS.join(', ')})`);
  let parsed;
  if (kind === 'ice_via') parsed = validateIceVia(parseProperties(text));
  else {
    const cfg = parseJson(text);
    if (typeof cfg !== 'object' || cfg === null || Array.isArray(cfg)) throw new ConfigError('top level must be a JSON object');
    parsed = kind === 'consul' ? validateConsul(cfg) : validateJsonService(cfg, kind);
  }
  const seen = new Map();
  for (const l of parsed.listeners) {
    const at = `${l.transport}/${l.port}`;
    if (seen.has(at)) throw new ConfigError(`${l.transport === 'udp' ? 'UDP ' : ''}port ${l.port} is used twice (${seen.get(at)} and ${l.name})`);
    seen.set(at, l.name);
  }
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// Consul stand-in: membership, deterministic leader, replicated catalog (pure parts)
// ---------------------------------------------------------------------------------------------

/**
 * The leader is the first server, in configured order, among the alive ones, provided the alive
 * ones are a majority (raft's quorum). Every server computes the same answer from the same view.
 */
export function electLeader(servers, aliveKeys) {
  const alive = servers.filter((s) => aliveKeys.has(s.key ?? s.name));
  if (alive.length < Math.floor(servers.length / 2) + 1) return undefined;
  return alive[0];
}

export class Catalog {
  constructor() {
    this.version = 0;
    this.entries = {};
  }
  register(entry) {
    this.entries[entry.ID] = entry;
    this.version += 1;
  }
  deregister(id) {
    if (!(id in this.entries)) return false;
    delete this.entries[id];
    this.version += 1;
    return true;
  }
  /** Followers adopt the leader's copy whenever it is newer. */
  adopt(snapshot) {
    if (snapshot.version === this.version) return false;
    this.version = snapshot.version;
    this.entries = structuredClone(snapshot.entries);
    return true;
  }
  snapshot() {
    return { version: this.version, entries: this.entries };
  }
  /** GET /v1/catalog/services: service name -> union of tags, as Consul answers. */
  services() {
    const out = { consul: [] };
    for (const e of Object.values(this.entries)) {
      const tags = new Set([...(out[e.Service] ?? []), ...(e.Tags ?? [])]);
      out[e.Service] = [...tags].sort();
    }
    return out;
  }
  instances(name) {
    return Object.values(this.entries).filter((e) => e.Service === name);
  }
}

/** Normalises a register body (Consul's field names) into a catalog entry. */
export function catalogEntry(body, node) {
  if (typeof body !== 'object' || body === null) throw new Error('body must be a JSON object');
  const name = body.Name;
  if (typeof name !== 'string' || name === '') throw new Error('Name is required');
  const port = body.Port === undefined ? 0 : Number(body.Port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('Port must be a TCP port');
  return {
    ID: typeof body.ID === 'string' && body.ID !== '' ? body.ID : name,
    Service: name,
    Address: typeof body.Address === 'string' ? body.Address : '',
    Port: port,
    Tags: Array.isArray(body.Tags) ? body.Tags.map(String) : [],
    Meta: typeof body.Meta === 'object' && body.Meta !== null ? body.Meta : {},
    Node: node,
  };
}

// ---------------------------------------------------------------------------------------------
// I/O
// ---------------------------------------------------------------------------------------------

function log(msg) {
  process.stdout.write(`${new Date().toISOString()} ${msg}\n`);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** JSON responses, as Consul's API answers (the leader is a JSON string, "" when none). */
function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Plain-text errors and empty successes, as Consul answers them. */
function sendText(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(text);
}

/** A small JSON HTTP client with a hard timeout (peer and consul traffic). */
export function request(method, url, body, timeoutMs = PEER_TIMEOUT_MS) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(url, { method, agent: false, timeout: timeoutMs, headers: data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {} }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text, json });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(data);
  });
}

function listen(server, l) {
  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`cannot listen on ${l.host}:${l.port} (${l.name}): ${e.message}`)));
    server.listen(l.port, l.host, () => resolve(server));
  });
}

/**
 * A DNS reply to `query` with RCODE 4 (not implemented): the header's ID and question echoed,
 * QR set, no answers. The stand-in serves consul's DNS port without consul's DNS interface.
 */
export function dnsNotImplemented(query) {
  if (query.length < 12) return undefined;
  const reply = Buffer.from(query);
  reply[2] = 0x80 | (query[2] & 0x79); // QR, the query's opcode and RD
  reply[3] = 0x04; // RCODE NOTIMP
  reply.writeUInt16BE(0, 6); // ANCOUNT
  reply.writeUInt16BE(0, 8); // NSCOUNT
  reply.writeUInt16BE(0, 10); // ARCOUNT
  return reply;
}

function udpSocket(l) {
  const sock = dgram.createSocket(net.isIPv6(l.host) ? 'udp6' : 'udp4');
  if (l.http === 'dns-udp')
    sock.on('message', (msg, from) => {
      const reply = dnsNotImplemented(msg);
      if (reply) sock.send(reply, from.port, from.address);
    });
  return sock;
}

function bindUdp(sock, l) {
  return new Promise((resolve, reject) => {
    sock.once('error', (e) => reject(new Error(`cannot bind udp ${l.host}:${l.port} (${l.name}): ${e.message}`)));
    sock.bind(l.port, l.host, () => resolve(sock));
  });
}

/** DNS over TCP: two-byte length, then the message (RFC 1035 4.2.2). */
function dnsTcp() {
  return net.createServer((sock) => {
    sock.on('error', () => {});
    let buf = Buffer.alloc(0);
    sock.on('data', (b) => {
      buf = Buffer.concat([buf, b]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const reply = dnsNotImplemented(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
        if (!reply) return sock.destroy();
        const len = Buffer.alloc(2);
        len.writeUInt16BE(reply.length);
        sock.write(Buffer.concat([len, reply]));
      }
    });
  });
}

function tcpBanner(kind, l) {
  return net.createServer((sock) => {
    sock.on('error', () => {});
    sock.end(`METIS-DEMO ${kind} ${l.name}\n`);
  });
}

class ConsulServer {
  constructor(cfg) {
    this.cfg = cfg;
    this.self = cfg.servers.find((s) => s.self);
    this.catalog = new Catalog();
    this.lastSeen = new Map([[this.self.key, Number.POSITIVE_INFINITY]]);
    this.timer = undefined;
  }
  /** The servers heard from lately, by retry_join entry (names are learned from the peers). */
  aliveNames(now = Date.now()) {
    return new Set(this.cfg.servers.filter((s) => now - (this.lastSeen.get(s.key) ?? -Infinity) <= PEER_ALIVE_WINDOW_MS).map((s) => s.key));
  }
  nameOf(s) {
    return s.name ?? s.key;
  }
  leader() {
    return electLeader(this.cfg.servers, this.aliveNames());
  }
  peerUrl(s, path) {
    return `http://${s.address}:${s.serf_port}${path}`;
  }
  start() {
    const tick = async () => {
      await Promise.all(
        this.cfg.servers
          .filter((s) => s !== this.self)
          .map(async (s) => {
            try {
              const r = await request('GET', this.peerUrl(s, '/peer/state'));
              if (r.status !== 200 || typeof r.json?.name !== 'string') return;
              s.name = r.json.name;
              s.server_port = r.json.server_port;
              const wasAlive = this.aliveNames().has(s.key);
              this.lastSeen.set(s.key, Date.now());
              if (!wasAlive) log(`member ${s.name} is alive`);
              if (this.leader()?.key === s.key && this.catalog.adopt(r.json.catalog)) log(`catalog replicated from leader ${s.name} (version ${r.json.catalog.version})`);
            } catch {
              /* an unreachable peer simply ages out of the alive set */
            }
          }),
      );
      const leader = this.leader();
      const name = leader ? this.nameOf(leader) : '';
      if (name !== this.lastLeader) {
        log(leader ? `leader is ${name}${name === this.self.name ? ' (this node)' : ''}` : 'no leader: no quorum of alive servers');
        this.lastLeader = name;
      }
      this.timer = setTimeout(tick, PEER_INTERVAL_MS);
    };
    void tick();
  }
  stop() {
    clearTimeout(this.timer);
  }
  /** Applies a catalog operation on the leader, forwarding it there from a follower. */
  async apply(op) {
    const leader = this.leader();
    if (!leader) return { status: 500, body: 'No cluster leader' };
    if (leader.key !== this.self.key) {
      try {
        const r = await request('POST', this.peerUrl(leader, '/peer/apply'), op);
        if (r.status === 200 && r.json?.catalog) this.catalog.adopt(r.json.catalog);
        return { status: r.status, body: r.json?.result ?? r.text };
      } catch (e) {
        return { status: 500, body: `forwarding to leader ${this.nameOf(leader)} failed: ${e.message}` };
      }
    }
    if (op.op === 'register') {
      this.catalog.register(op.entry);
      log(`registered ${op.entry.Service} (${op.entry.ID}) at ${op.entry.Address}:${op.entry.Port}`);
      return { status: 200, body: true };
    }
    if (op.op === 'deregister') {
      const had = this.catalog.deregister(op.id);
      if (had) log(`deregistered ${op.id}`);
      return { status: 200, body: true };
    }
    return { status: 400, body: `unknown op ${op.op}` };
  }
  async handlePeer(req, res) {
    if (req.method === 'GET' && req.url === '/peer/state') return send(res, 200, { name: this.self.name, server_port: this.self.server_port, catalog: this.catalog.snapshot() });
    if (req.method === 'POST' && req.url === '/peer/apply') {
      const op = parseJson(await readBody(req));
      const leader = this.leader();
      if (leader?.key !== this.self.key) return send(res, 409, { result: 'not the leader' });
      const r = await this.apply(op);
      return send(res, r.status, { result: r.body, catalog: this.catalog.snapshot() });
    }
    return sendText(res, 404, 'not found');
  }
  async handleApi(req, res) {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    if (req.method === 'GET' && (path === '/health' || path === '/v1/agent/self')) {
      const leader = this.leader();
      return send(res, 200, { status: 'ok', demo: true, kind: 'consul', node: this.self.name, datacenter: this.cfg.datacenter, leader: leader ? this.nameOf(leader) : null });
    }
    if (req.method === 'GET' && path === '/v1/status/leader') {
      const leader = this.leader();
      return send(res, 200, leader ? `${leader.address}:${leader.server_port}` : '');
    }
    if (req.method === 'GET' && path === '/v1/status/peers') {
      const alive = this.aliveNames();
      return send(res, 200, this.cfg.servers.filter((s) => alive.has(s.key)).map((s) => `${s.address}:${s.server_port}`));
    }
    if (req.method === 'GET' && path === '/v1/agent/members') {
      const alive = this.aliveNames();
      return send(
        res,
        200,
        this.cfg.servers.map((s) => ({ Name: this.nameOf(s), Addr: s.address, Port: s.serf_port, Status: alive.has(s.key) ? 1 : 4, Tags: { role: 'consul', dc: this.cfg.datacenter } })),
      );
    }
    if (req.method === 'GET' && path === '/v1/catalog/services') return send(res, 200, this.catalog.services());
    if (req.method === 'GET' && path.startsWith('/v1/catalog/service/')) return send(res, 200, this.catalog.instances(decodeURIComponent(path.slice('/v1/catalog/service/'.length))));
    if (req.method === 'PUT' && path === '/v1/agent/service/register') {
      let entry;
      try {
        entry = catalogEntry(parseJson(await readBody(req)), this.self.name);
      } catch (e) {
        return sendText(res, 400, `Request decode failed: ${e.message}`);
      }
      const r = await this.apply({ op: 'register', entry });
      return sendText(res, r.status, r.status === 200 ? '' : String(r.body));
    }
    if (req.method === 'PUT' && path.startsWith('/v1/agent/service/deregister/')) {
      const r = await this.apply({ op: 'deregister', id: decodeURIComponent(path.slice('/v1/agent/service/deregister/'.length)) });
      return sendText(res, r.status, r.status === 200 ? '' : String(r.body));
    }
    return sendText(res, 404, 'not found');
  }
}

/** Non-consul kinds: keep a registration alive with any consul server that answers. */
class Registrar {
  constructor(cfg) {
    this.cfg = cfg;
    this.registeredWith = undefined;
    this.timer = undefined;
    this.found = {};
  }
  body() {
    const s = this.cfg.service;
    return { ID: s.id, Name: s.name, Address: s.address, Port: s.port, Tags: s.tags, Meta: { ...s.meta, demo: 'true', cluster: this.cfg.clusterName } };
  }
  async registerOnce() {
    for (const base of this.cfg.consul) {
      try {
        const r = await request('PUT', `${base}/v1/agent/service/register`, this.body(), 2000);
        if (r.status === 200) {
          if (this.registeredWith !== base) log(`registered ${this.cfg.service.id} with consul at ${base}`);
          this.registeredWith = base;
          await this.discover(base);
          return;
        }
        log(`consul at ${base} refused registration: ${r.status} ${r.text.trim()}`);
      } catch (e) {
        log(`consul at ${base} unreachable: ${e.message}`);
      }
    }
    this.registeredWith = undefined;
  }
  /** Services find each other through the catalog; health reports what was found. */
  async discover(base) {
    for (const name of this.cfg.discover) {
      try {
        const r = await request('GET', `${base}/v1/catalog/service/${encodeURIComponent(name)}`, undefined, 2000);
        this.found[name] = Array.isArray(r.json) ? r.json.map((e) => `${e.Address}:${e.Port}`) : [];
      } catch {
        /* next round */
      }
    }
  }
  start() {
    const loop = async () => {
      await this.registerOnce();
      this.timer = setTimeout(loop, REGISTER_INTERVAL_MS);
    };
    void loop();
  }
  async stop() {
    clearTimeout(this.timer);
    const base = this.registeredWith ?? this.cfg.consul[0];
    try {
      await request('PUT', `${base}/v1/agent/service/deregister/${encodeURIComponent(this.cfg.service.id)}`, undefined, 1500);
      log(`deregistered ${this.cfg.service.id}`);
    } catch (e) {
      log(`deregistration failed: ${e.message}`);
    }
  }
}

function parseArgs(argv, defaultKind) {
  const out = { kind: defaultKind, config: undefined, check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--kind') out.kind = argv[++i];
    else if (a === '--config') out.config = argv[++i];
    else if (a === '--check-config') out.check = true;
    else if (a === '--version') out.version = true;
    else throw new ConfigError(`unknown argument ${a}`);
  }
  return out;
}

/** Runs the stand-in; returns only for --check-config / --version (exit code). */
export async function main(argv, defaultKind, version) {
  let args;
  let cfg;
  try {
    args = parseArgs(argv, defaultKind);
    if (args.version) {
      process.stdout.write(`metis-${args.kind}-demo ${version} (DEMO stand-in)\n`);
      return 0;
    }
    if (!args.kind) throw new ConfigError('--kind is required');
    if (!args.config) throw new ConfigError('--config FILE is required');
    let text;
    try {
      text = readFileSync(args.config, 'utf8');
    } catch (e) {
      throw new ConfigError(`cannot read: ${e.message}`);
    }
    cfg = parseConfig(args.kind, text);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`metis-demo ${args?.kind ?? defaultKind ?? ''}: invalid config ${args?.config ?? ''}: ${e.message}\n`);
    return 2;
  }
  if (args.check) {
    process.stdout.write(`metis-demo ${args.kind}: config ${args.config} OK\n`);
    return 0;
  }
  log(`DEMO stand-in for ${cfg.kind} ${version} starting (pid ${process.pid}, config ${args.config})`);
  const consul = cfg.kind === 'consul' ? new ConsulServer(cfg) : undefined;
  const registrar = consul ? undefined : new Registrar(cfg);
  const servers = [];
  try {
    for (const l of cfg.listeners) {
      let server;
      if (l.http === 'api') server = http.createServer((q, s) => consul.handleApi(q, s).catch((e) => sendText(s, 500, e.message)));
      else if (l.http === 'peer') server = http.createServer((q, s) => consul.handlePeer(q, s).catch((e) => sendText(s, 500, e.message)));
      else if (l.http === 'health')
        server = http.createServer((q, s) => {
          const path = new URL(q.url ?? '/', 'http://x').pathname;
          if (path === '/health' || path === '/')
            return send(s, 200, { status: 'ok', demo: true, kind: cfg.kind, id: cfg.service.id, cluster: cfg.clusterName, registered: registrar.registeredWith !== undefined, found: registrar.found, ...(cfg.database ? { database: `${cfg.database.user}@${cfg.database.host}:${cfg.database.port}/${cfg.database.name}` } : {}) });
          return sendText(s, 404, 'not found');
        });
      else if (l.http === 'udp' || l.http === 'dns-udp') server = udpSocket(l);
      else if (l.http === 'dns') server = dnsTcp();
      else server = tcpBanner(cfg.kind, l);
      servers.push(l.transport === 'udp' ? await bindUdp(server, l) : await listen(server, l));
      log(`listening on ${l.transport === 'udp' ? 'udp ' : ''}${l.host}:${l.port} (${l.name})`);
    }
  } catch (e) {
    log(`FATAL: ${e.message}`);
    process.stderr.write(`metis-demo ${cfg.kind}: ${e.message}\n`);
    process.exit(3);
  }
  consul?.start();
  registrar?.start();
  let stopping = false;
  const shutdown = async (sig) => {
    if (stopping) return;
    stopping = true;
    log(`${sig} received, shutting down`);
    consul?.stop();
    await registrar?.stop();
    for (const s of servers) s.close();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  return undefined;
}
