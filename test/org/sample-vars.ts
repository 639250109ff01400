import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO } from './support.js';

/**
 * The variables a template sees for one host and service, computed the way group_vars/all.yml
 * derives them (checked against ansible by content.test.ts), so templates can be rendered and
 * validated without the engine. `hosts` maps inventory names to their groups and inventory vars.
 */
export interface SampleHost {
  groups: string[];
  vars?: Record<string, unknown>;
}

const SERVICES = ['consul', 'carrier', 'admin', 'ice_via', 'data', 'compute', 'orchestrator'];

function roleDefaults(svc: string): Record<string, unknown> {
  const text = readFileSync(join(REPO, 'roles', svc, 'defaults', 'main.yml'), 'utf8');
  return (parse(text) as Record<string, unknown>) ?? {};
}

export function hostFacts(name: string, h: SampleHost, all: Record<string, SampleHost>, common: Record<string, unknown>): Record<string, unknown> & { metis_host_root: string; metis_advertise_address: string; metis_bind_address: string; metis_consul_http: string; metis_ports: Record<string, Record<string, number>> } {
  const v = { ...common, ...(h.vars ?? {}) } as Record<string, unknown>;
  const num = (key: string, dflt: number) => Number(v[key] ?? dflt);
  const tls = Boolean(v.enable_tls ?? false);
  const installRoot = String(v.install_root ?? '/opt/metis');
  const hostRoot = v.per_alias_dirs ? `${installRoot}/${name}` : installRoot;
  const advertise = String(v.advertise_address ?? v.ansible_host ?? name);
  const ports = {
    consul: { http: num('consul_http_port', 8500), serf_lan: num('consul_serf_port', 8301), server: num('consul_server_port', 8300), serf_wan: num('consul_serf_wan_port', 8302), dns: num('consul_dns_port', 8600) },
    carrier: { health: num('carrier_http_port', 10031), rpc: num('carrier_rpc_port', 10030), p2p_tcp: num('carrier_p2p_tcp_port', 16789), grpc_gateway: num('carrier_grpc_gateway_port', 10032), pprof: num('carrier_pprof_port', 10033) },
    admin: { health: num('admin_backend_port', 9090), http: num('admin_http_port', 8080), ...(tls ? { https: num('admin_https_port', 8443) } : {}) },
    ice_via: { health: num('ice_via_health_port', 4070), registry: num('ice_via_registry_port', 4061), registry_internal: num('ice_via_registry_internal_port', 4062), glacier2: num('ice_via_glacier2_port', 4064) },
    data: { health: num('data_health_port', 10041), rpc: num('data_port', 10040) },
    compute: { health: num('compute_health_port', 10051), rpc: num('compute_port', 10050) },
    orchestrator: { health: num('orchestrator_health_port', 10061), rpc: num('orchestrator_port', 10060) },
  };
  return {
    ...v,
    inventory_hostname: name,
    group_names: h.groups,
    metis_install_root: installRoot,
    metis_host_root: hostRoot,
    metis_advertise_address: advertise,
    metis_bind_address: String(v.bind_address ?? '0.0.0.0'),
    metis_ports: ports,
    metis_udp_ports: { consul: { serf_lan: ports.consul.serf_lan, serf_wan: ports.consul.serf_wan, dns: ports.consul.dns }, carrier: { p2p_udp: num('carrier_p2p_udp_port', 16790) } },
    metis_consul_http: `http://${advertise}:${ports.consul.http}`,
    metis_enable_tls: tls,
    metis_all: all,
  };
}

export function sampleVars(all: Record<string, SampleHost>, host: string, svc: string, common: Record<string, unknown> = {}): Record<string, unknown> {
  const hostvars: Record<string, ReturnType<typeof hostFacts>> = {};
  for (const [name, h] of Object.entries(all)) hostvars[name] = hostFacts(name, h, all, common);
  const me = hostvars[host];
  const groups: Record<string, string[]> = { all: Object.keys(all) };
  for (const s of SERVICES) groups[s] = Object.entries(all).filter(([, h]) => h.groups.includes(s)).map(([n]) => n);
  const svcRoot = `${me.metis_host_root}/${svc}`;
  const cfgName = svc === 'ice_via' ? 'ice_via.properties' : `${svc}.json`;
  const bind = me.metis_bind_address;
  const clusterName = String(me.cluster_name ?? 'metis');
  const defaults: Record<string, unknown> = Object.fromEntries(
    Object.entries(roleDefaults(svc)).map(([k, val]) => [k, typeof val === 'string' ? val.replace('{{ metis_cluster_name }}', clusterName) : val]),
  );
  // A default may name an earlier one (`{{ ice_via_glacier2_instance_name }}/...`).
  for (const [k, val] of Object.entries(defaults))
    if (typeof val === 'string') defaults[k] = val.replace(/\{\{ (\w+) \}\}/g, (m, name: string) => (typeof defaults[name] === 'string' ? String(defaults[name]) : m));
  return {
    ...me,
    ...defaults,
    compute_slots: 2,
    compute_memory_mb: 2048,
    consul_datacenter: clusterName,
    hostvars,
    groups,
    svc,
    metis_cluster_name: clusterName,
    metis_svc_root: svcRoot,
    metis_config_file: `${svcRoot}/conf/${cfgName}`,
    metis_service_id: `${svc}-${host}`,
    metis_consul_servers: groups.consul,
    metis_consul_urls: groups.consul.map((h) => hostvars[h].metis_consul_http),
    metis_check_address: bind === '0.0.0.0' ? '127.0.0.1' : bind,
    metis_artifact: { service: svc, version: '1.0.0-demo', runtime: 'node' },
    metis_carrier_external_ip: String(me.carrier_external_ip ?? me.metis_advertise_address),
    metis_ice_via_external_ip: String(me.ice_via_external_ip ?? me.metis_advertise_address),
    metis_ice_protocol: String(me.ice_via_protocol ?? 'tcp'),
    metis_ice_native: false,
    metis_carrier_pprof_bind: '127.0.0.1',
    metis_admin_backend_bind: '127.0.0.1',
    metis_admin_server_name: String(me.admin_server_name ?? me.metis_advertise_address),
    metis_admin_tls_protocols: 'TLSv1.2 TLSv1.3',
    metis_admin_tls_ciphers: 'HIGH:!aNULL:!MD5',
    metis_admin_db: { host: '127.0.0.1', port: 3306, name: 'metis_admin', user: 'metis' },
    metis_admin_db_password: String(me.admin_db_password ?? me.admin_password ?? ''),
    metis_nginx_prefix: `${me.metis_host_root}/admin/nginx`,
    metis_nginx_conf: `${me.metis_host_root}/admin/conf/nginx.conf`,
    metis_orchestrator_storage_dirs: [`${me.metis_host_root}/orchestrator/storage/images`, `${me.metis_host_root}/orchestrator/storage/volumes`],
    metis_user: 'metis',
    metis_group: 'metis',
    metis_stop_timeout: 15,
  };
}

/** Ansible's `quote` filter (shlex.quote), which templates call as a function. */
export function quote(s: unknown): string {
  const t = String(s);
  if (t !== '' && /^[\w@%+=:,./-]+$/.test(t)) return t;
  return `'${t.replace(/'/g, `'"'"'`)}'`;
}
