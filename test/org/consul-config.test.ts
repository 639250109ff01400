/**
 * The rendered consul.json has the shape real consul accepts: consul refuses a config file with a
 * key it does not know ("invalid config key"), so every key must be one of the agent's documented
 * configuration-file keys, with the type consul decodes it as. (No consul binary ships in Debian
 * bookworm to run `consul validate`; the keys below are from consul's agent configuration
 * reference: general, join, address and port parameters.)
 */
import ejs from 'ejs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleVars, type SampleHost } from './sample-vars.js';
import { REPO } from './support.js';

/** Documented top-level keys this install may use, and how consul decodes each. */
const TOP_LEVEL: Record<string, 'string' | 'boolean' | 'integer' | 'object' | 'string[]'> = {
  datacenter: 'string',
  node_name: 'string',
  server: 'boolean',
  bootstrap_expect: 'integer',
  data_dir: 'string',
  log_level: 'string',
  bind_addr: 'string',
  client_addr: 'string',
  advertise_addr: 'string',
  advertise_addr_wan: 'string',
  ports: 'object',
  retry_join: 'string[]',
  retry_join_wan: 'string[]',
  encrypt: 'string',
};
/** The documented `ports` keys (-1 disables one; else a port). */
const PORTS = ['dns', 'http', 'https', 'grpc', 'grpc_tls', 'serf_lan', 'serf_wan', 'server', 'sidecar_min_port', 'sidecar_max_port', 'expose_min_port', 'expose_max_port'];
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'];

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string') ? 'string[]' : 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return v === null ? 'null' : typeof v;
}

const render = (vars: Record<string, unknown>): Record<string, unknown> =>
  JSON.parse(ejs.render(readFileSync(join(REPO, 'roles/consul/templates/consul.json.ejs'), 'utf8'), vars)) as Record<string, unknown>;

describe('consul.json as real consul reads it', () => {
  const hosts: Record<string, SampleHost> = {
    c1: { groups: ['consul'], vars: { ansible_host: '10.9.0.10' } },
    c2: { groups: ['consul'], vars: { ansible_host: '10.9.0.11', consul_serf_port: 9301, consul_dns_port: 9600 } },
    c3: { groups: ['consul'], vars: { ansible_host: '10.9.0.12' } },
  };

  for (const host of Object.keys(hosts)) {
    it(`uses only consul's documented keys, with consul's types (${host})`, () => {
      const cfg = render(sampleVars(hosts, host, 'consul'));
      for (const [key, value] of Object.entries(cfg)) {
        expect(TOP_LEVEL, `unknown consul key ${key}`).toHaveProperty(key);
        expect({ key, type: typeOf(value) }).toEqual({ key, type: TOP_LEVEL[key] });
      }
      const ports = cfg.ports as Record<string, unknown>;
      for (const [key, value] of Object.entries(ports)) {
        expect(PORTS, `unknown ports key ${key}`).toContain(key);
        expect(Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535, `ports.${key}=${String(value)}`).toBe(true);
      }
      // The TCP ports of one agent are distinct (serf and DNS also use UDP at the same numbers).
      expect(new Set(Object.values(ports)).size).toBe(Object.keys(ports).length);
      // A server that bootstraps itself: bootstrap_expect servers, a data directory, a known level.
      expect(cfg.server).toBe(true);
      expect(cfg.bootstrap_expect).toBe(3);
      expect(String(cfg.data_dir)).toMatch(/^\//);
      expect(LOG_LEVELS).toContain(String(cfg.log_level).toLowerCase());
      // retry_join: host:port of each server's serf LAN port (consul's documented address form).
      expect(cfg.retry_join).toEqual(['10.9.0.10:8301', '10.9.0.11:9301', '10.9.0.12:8301']);
      expect(cfg).toMatchObject({ node_name: host, advertise_addr: hosts[host].vars!.ansible_host });
    });
  }

  it('gives a co-located server its own ports', () => {
    const cfg = render(sampleVars(hosts, 'c2', 'consul'));
    expect(cfg.ports).toEqual({ dns: 9600, http: 8500, serf_lan: 9301, serf_wan: 8302, server: 8300 });
  });
});
