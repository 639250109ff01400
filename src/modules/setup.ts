import { defineModule, type ModuleResult } from './types.js';
import { factsScript } from './lib/facts-script.js';
import { localFacts } from './lib/facts-local.js';
import { collectorsFor, SubsetError, subsetList } from './lib/facts-subset.js';
import { Reply, request } from '../connection/shell-protocol.js';
import { distributionFacts } from './lib/facts-os.js';
import { cpuFacts, memoryFacts, mountFacts } from './lib/facts-hw.js';
import { networkFacts } from './lib/facts-net.js';
import { readPython } from './lib/facts-python.js';
import { interpreterPlan, PYTHON_FALLBACK, type InterpreterPlan } from './lib/python-discovery.js';
import { activeConfig } from '../config/index.js';
import type { VarSource } from '../template/var-source.js';

/** The facts script's sections: each a record whose body is the section's text. */
export function splitSections(reply: Reply): Record<string, string> {
  return Object.fromEntries(reply.records.map((r) => [r.key, r.body]));
}

/** `env -0 | base64` output, or plain `env` lines where `env -0` is missing (busybox). */
function parseEnv(b64: string | undefined, plain: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  const entries = b64 !== undefined ? Buffer.from(b64.replace(/\s+/g, ''), 'base64').toString('utf8').split('\0') : (plain ?? '').split('\n');
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

/** Ansible's service_mgr: PID 1's name unless it is a generic init or a shell. */
export function serviceMgr(comm: string, dirs: string[]): string {
  const p1 = comm.trim();
  if (p1 && p1 !== 'init' && !p1.endsWith('sh')) {
    const map: Record<string, string> = { 'openrc-init': 'openrc', 'runit-init': 'runit', 'svscan': 'svc' };
    return map[p1] ?? p1;
  }
  if (dirs.includes('systemd')) return 'systemd';
  if (dirs.includes('openrc')) return 'openrc';
  if (dirs.includes('initd')) return 'sysvinit';
  return 'service';
}

function pkgMgr(found: string[], family: string): string {
  const has = (p: string) => found.includes(p);
  if (family === 'Debian' && has('apt-get')) return 'apt';
  if (has('dnf')) return 'dnf';
  if (has('yum')) return 'yum';
  if (has('zypper')) return 'zypper';
  if (has('apk')) return 'apk';
  if (has('pacman')) return 'pacman';
  if (has('apt-get')) return 'apt';
  return 'unknown';
}

function dateFacts(text: string) {
  const [local, utc] = text.trim().split('\n');
  const [Y, mo, d, H, mi, S, epoch, nanos, tz, off, weekday, wdayNum, week] = (local ?? '').split(' ');
  const micro = /^\d{9}$/.test(nanos ?? '') ? nanos.slice(0, 6) : '000000';
  return {
    date: `${Y}-${mo}-${d}`,
    day: d,
    epoch,
    epoch_int: epoch,
    hour: H,
    iso8601: `${utc}Z`,
    iso8601_basic: `${Y}${mo}${d}T${H}${mi}${S}${micro}`,
    iso8601_basic_short: `${Y}${mo}${d}T${H}${mi}${S}`,
    iso8601_micro: `${utc}.${micro}Z`,
    minute: mi,
    month: mo,
    second: S,
    time: `${H}:${mi}:${S}`,
    tz,
    tz_dst: tz,
    tz_offset: off,
    weekday,
    weekday_number: wdayNum,
    weeknumber: week,
    year: Y,
  };
}

/** The collectors tsrun gathers facts for (the others select nothing, see lib/facts-subset.ts). */
const GATHERED = new Set(['distribution', 'platform', 'hardware', 'env', 'user', 'service_mgr', 'pkg_mgr', 'network', 'date_time', 'local', 'python']);

/** The interpreter Ansible would run setup with on this host (python-discovery.ts). */
function planFor(vars: VarSource): InterpreterPlan {
  const configured = vars.lookup('ansible_python_interpreter') ?? activeConfig().get<string>('INTERPRETER_PYTHON');
  const facts = vars.lookup('ansible_facts');
  const discovered = facts && typeof facts === 'object' ? (facts as Record<string, unknown>).discovered_interpreter_python : undefined;
  const fallback = vars.lookup('ansible_interpreter_python_fallback');
  return interpreterPlan(String(configured), discovered, Array.isArray(fallback) ? fallback.map(String) : PYTHON_FALLBACK);
}

/** Facts from the script's output for the chosen collectors; every key carries the `ansible_` prefix. */
export function parseFacts(reply: Reply, collectors: ReadonlySet<string> = GATHERED, warn: (m: string) => void = () => {}): Record<string, unknown> {
  const s = splitSections(reply);
  const lines = (k: string) => (s[k] ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  const on = (c: string) => collectors.has(c);
  const dist = distributionFacts(s.os ?? '', s.debian_version ?? '', s.redhat_release ?? '');
  const facts: Record<string, unknown> = {};
  if (on('distribution')) Object.assign(facts, dist);
  if (on('platform')) {
    const [system, kernel, kernelVersion, machine] = lines('uname');
    const hostname = lines('hostname')[0] ?? '';
    const fqdnNames = (lines('fqdn')[0] ?? '').split(/\s+/).slice(1);
    const fqdn = fqdnNames.find((n) => n.includes('.')) ?? fqdnNames[0] ?? hostname;
    Object.assign(facts, {
      ansible_system: system,
      ansible_kernel: kernel,
      ansible_kernel_version: kernelVersion,
      ansible_architecture: machine,
      ansible_machine: machine,
      ansible_userspace_bits: lines('long_bit')[0],
      ansible_hostname: hostname.split('.')[0],
      ansible_nodename: hostname,
      ansible_fqdn: fqdn,
      ansible_domain: fqdn.includes('.') ? fqdn.slice(fqdn.indexOf('.') + 1) : '',
    });
  }
  if (on('hardware')) {
    const mounts = mountFacts(s.mounts ?? '');
    for (const m of mounts) if (m.note) warn(`Timeout exceeded when getting mount info for ${String(m.mount)}`);
    Object.assign(facts, cpuFacts(s.cpuinfo ?? ''), memoryFacts(s.meminfo ?? ''), { ansible_mounts: mounts });
  }
  if (on('env')) facts.ansible_env = parseEnv(s.env, s.envplain);
  if (on('user')) {
    const [user, uid, gid, passwd] = lines('id');
    const pw = (passwd ?? '').split(':');
    Object.assign(facts, {
      ansible_user_id: user,
      ansible_user_uid: Number(uid),
      ansible_user_gid: Number(gid),
      ansible_user_gecos: pw[4] ?? '',
      ansible_user_dir: pw[5] ?? '',
      ansible_user_shell: pw[6] ?? '',
    });
  }
  if (on('service_mgr')) facts.ansible_service_mgr = serviceMgr(s.init ?? '', lines('initdirs'));
  if (on('pkg_mgr')) facts.ansible_pkg_mgr = pkgMgr(lines('pkg'), dist.ansible_os_family);
  if (on('network')) Object.assign(facts, networkFacts({ route: s.route ?? '', addr: s.addr ?? '', procRoute: s.procroute ?? '', fibTrie: s.fibtrie ?? '', ifInfo: s.ifinfo ?? '' }));
  if (on('date_time')) facts.ansible_date_time = dateFacts(s.date ?? '');
  if (on('local')) {
    // Ansible's local collector starts from {}; it stays {} when fact_path does not exist.
    const local = localFacts(reply, warn);
    if (local !== undefined) facts.ansible_local = local;
  }
  return facts;
}

const setup = defineModule({
  name: 'setup',
  aliases: ['ansible.builtin.setup', 'gather_facts', 'ansible.builtin.gather_facts'],
  checkMode: true,
  gathersFacts: true,
  argsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      gather_subset: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      gather_timeout: { type: 'integer', default: 10 },
      filter: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      fact_path: { type: 'string', default: '/etc/ansible/facts.d' },
      // Ansible runs collectors in parallel threads; tsrun's one script is already a single round trip.
      parallel: { type: 'boolean' },
    },
  } as const,
  async run(ctx): Promise<ModuleResult> {
    const subset = subsetList(ctx.args.gather_subset);
    let collectors: Set<string>;
    try {
      collectors = collectorsFor(subset);
    } catch (err) {
      if (err instanceof SubsetError) return { failed: true, changed: false, msg: err.message };
      throw err;
    }
    const python = planFor(ctx.vars);
    const script = factsScript(collectors, { timeoutSec: ctx.args.gather_timeout ?? 10, factPath: ctx.args.fact_path ?? '/etc/ansible/facts.d', python });
    const { res, reply } = await request(ctx, script);
    if (!reply.has('end')) return { failed: true, changed: false, rc: res.rc, msg: `fact gathering script failed: ${res.stderr.trim()}` };
    const warnings: string[] = [];
    const py = readPython(splitSections(reply), python, ctx.host, collectors);
    // gather_subset and module_setup are facts of a collector of their own: `filter` applies to them too.
    let facts: Record<string, unknown> = { ...parseFacts(reply, collectors, (m) => warnings.push(m)), ...py.facts, gather_subset: subset, module_setup: true };
    const filter = ctx.args.filter;
    if (filter !== undefined) {
      const pats = (Array.isArray(filter) ? filter : [filter]).map(globRe);
      facts = Object.fromEntries(Object.entries(facts).filter(([k]) => pats.some((p) => p.test(k))));
    }
    const result: ModuleResult = { changed: false, ansible_facts: facts };
    // Ansible adds the discovery to the result after the module ran: `filter` does not touch it.
    const found = py.discovery?.interpreter;
    if (found !== undefined) (result.ansible_facts as Record<string, unknown>).discovered_interpreter_python = found;
    warnings.push(...(py.discovery?.warnings ?? []));
    if (warnings.length) result.warnings = warnings;
    return result;
  },
});

function globRe(pat: string): RegExp {
  return new RegExp(`^${pat.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

export default setup;
