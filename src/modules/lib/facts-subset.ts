/**
 * setup's gather_subset, resolved as Ansible 2.14 resolves it (module_utils/facts/collector.py):
 * every spec starts from `min`; `all` adds every collector, `!all` removes all but min, `!min`
 * removes min, `!name` removes a collector (and the fact names it answers to) unless it is also
 * named without `!`; naming only exclusions starts from everything. A fact name (`kernel`,
 * `processor`...) selects its collector. Asking for an unknown subset is an error; excluding
 * one is not. A selected collector brings the collectors its facts are computed from.
 *
 * Collectors whose facts tsrun does not gather (apparmor, caps, dns, lsb, virtual...) are
 * accepted and select nothing (docs/DIFFERENCES.md).
 */

/** Ansible's collectors and the fact names each answers to. */
const COLLECTORS: Record<string, readonly string[]> = {
  apparmor: [], caps: ['system_capabilities', 'system_capabilities_enforced'], chroot: ['is_chroot'], cmdline: [], date_time: [],
  distribution: ['distribution_version', 'distribution_release', 'distribution_major_version', 'os_family'], dns: [], env: [],
  facter: ['facter'], fibre_channel_wwn: [], fips: [], hardware: ['processor', 'processor_cores', 'processor_count', 'mounts', 'devices'],
  iscsi: [], loadavg: [], local: [], lsb: [], network: ['interfaces', 'default_ipv4', 'default_ipv6', 'all_ipv4_addresses', 'all_ipv6_addresses'],
  nvme: [], ohai: [], pkg_mgr: [], platform: ['system', 'kernel', 'kernel_version', 'machine', 'python_version', 'architecture', 'machine_id'],
  python: [], selinux: [], service_mgr: [],
  ssh_pub_keys: ['ssh_host_pub_keys', 'ssh_host_key_dsa_public', 'ssh_host_key_rsa_public', 'ssh_host_key_ecdsa_public', 'ssh_host_key_ed25519_public'],
  system_capabilities: [], user: ['user_id', 'user_uid', 'user_gid', 'user_gecos', 'user_dir', 'user_shell', 'real_user_id', 'effective_user_id', 'effective_group_ids'],
  virtual: ['virtualization_type', 'virtualization_role', 'virtualization_tech_guest', 'virtualization_tech_host'],
};

/** setup's minimal_gather_subset. */
const MIN = ['apparmor', 'caps', 'cmdline', 'date_time', 'distribution', 'dns', 'env', 'fips', 'local', 'lsb', 'pkg_mgr', 'platform', 'python', 'selinux', 'service_mgr', 'ssh_pub_keys', 'user'];

/** The collectors a Linux collector's facts are computed from (required_facts). */
const REQUIRES: Record<string, readonly string[]> = {
  hardware: ['platform'],
  network: ['distribution', 'platform'],
  pkg_mgr: ['distribution'],
  service_mgr: ['platform', 'distribution'],
};

const OWNER = new Map<string, string>(Object.entries(COLLECTORS).flatMap(([c, ids]) => [[c, c] as [string, string], ...ids.map((id) => [id, c] as [string, string])]));
const VALID = new Set(OWNER.keys());

export class SubsetError extends Error {}

/** gather_subset as the module receives it: a list, or a comma-separated string. */
export function subsetList(spec: string | readonly string[] | undefined): string[] {
  if (spec === undefined) return ['all'];
  return typeof spec === 'string' ? spec.split(',').map((s) => s.trim()) : [...spec];
}

/** The collectors to run for `spec` (collector names, dependencies included). */
export function collectorsFor(spec: readonly string[]): Set<string> {
  const add = new Set<string>();
  const exclude = new Set<string>();
  const named = new Set<string>();
  for (const item of ['min', ...spec]) {
    if (item === 'min') MIN.forEach((s) => add.add(s));
    else if (item === 'all') VALID.forEach((s) => add.add(s));
    else if (item === '!min') MIN.forEach((s) => exclude.add(s));
    else if (item === '!all') VALID.forEach((s) => !MIN.includes(s) && exclude.add(s));
    else if (item.startsWith('!')) {
      const name = item.slice(1);
      exclude.add(name);
      (COLLECTORS[name] ?? []).forEach((id) => exclude.add(id));
    } else {
      if (!VALID.has(item)) throw new SubsetError(`Bad subset '${item}' given to Ansible. gather_subset options allowed: all, ${[...VALID].sort().join(', ')}`);
      named.add(item);
      add.add(item);
    }
  }
  if (add.size === 0) VALID.forEach((s) => add.add(s));
  for (const s of exclude) if (!named.has(s)) add.delete(s);
  const out = new Set<string>();
  const take = (c: string) => {
    if (out.has(c)) return;
    out.add(c);
    (REQUIRES[c] ?? []).forEach(take);
  };
  for (const s of add) take(OWNER.get(s)!);
  return out;
}
