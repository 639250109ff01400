import { readControlFile } from './lib/control-files.js';
import { existsSync } from 'node:fs';
import { defineModule, type ModuleResult } from './types.js';
import { unsupported } from './lib/file-schema.js';
import { splitLines } from './lib/cmd-run.js';
import { request } from '../connection/shell-protocol.js';
import { say } from '../connection/shell-text.js';
import { joinShell, rawShell, sh, type ShellText } from '../connection/shell-text.js';

const INSTALLED = rawShell(`"$(dpkg-query -W -f='\${Status}' -- "$p" 2>/dev/null)" = 'install ok installed'`);
const VERSION = rawShell(`"$(dpkg-query -W -f='\${Version}' -- "$p")"`);

/**
 * Installs a .deb only when its Package/Version differ from what dpkg has. `fromStdin`: the
 * file arrives on stdin (a control-side .deb) and is kept in a temp file for dpkg.
 */
export interface DebOptions {
  force?: boolean;
  /** Install an older version than the one installed (else Ansible's "A later version is already installed"). */
  allowDowngrade?: boolean;
  /** dpkg_options: comma-separated, each passed as `--option` (Ansible's default force-confdef,force-confold). */
  dpkgOptions?: string;
}

export function debScript(path: string | undefined, check: boolean, opts: DebOptions = {}): ShellText {
  const force = opts.force ?? false;
  const L: ShellText[] = [];
  if (path === undefined) {
    L.push(sh`deb=$(mktemp "\${TMPDIR:-/tmp}/tsrun-deb.XXXXXXXX") || exit 1`, sh`trap 'rm -f "$deb"' EXIT`, sh`cat > "$deb"`);
  } else {
    L.push(sh`deb=${path}`, sh`[ -f "$deb" ] || { ${say('nodeb')}; exit 0; }`);
  }
  const p = rawShell('"$p"');
  L.push(sh`p=$(dpkg-deb -f "$deb" Package 2>&1) || { ${say('baddeb', p)}; exit 0; }`);
  L.push(sh`v=$(dpkg-deb -f "$deb" Version)`);
  L.push(say('package', p), say('version', rawShell('"$v"')));
  L.push(sh`if [ ${INSTALLED} ] && [ ${VERSION} = "$v" ]; then ${say('same')}; exit 0; fi`);
  if (!force && !opts.allowDowngrade) L.push(sh`if [ ${INSTALLED} ] && dpkg --compare-versions "$v" lt ${VERSION}; then ${say('later')}; exit 0; fi`);
  const dpkgOpts = (opts.dpkgOptions ?? 'force-confdef,force-confold').split(',').filter(Boolean).map((o) => `--${o}`);
  if (check) L.push(say('changed'));
  else L.push(sh`if dpkg ${dpkgOpts} ${force ? ['--force-all'] : []} -i -- "$deb"; then ${say('changed')}; else ${say('fail', 'dpkg -i')}; fi`);
  return joinShell([...L, sh``]);
}

/** Present/absent of named packages through dpkg alone (no repositories on air-gapped hosts). Names go after `--`. */
export function namesScript(names: string[], state: 'present' | 'absent', check: boolean, purge = false): ShellText {
  const p = rawShell('"$p"');
  const L: ShellText[] = [];
  for (const spec of names) {
    const [name, version] = spec.split('=', 2);
    L.push(sh`p=${name}`);
    if (state === 'present') {
      const verOk = version === undefined ? sh`` : sh` && [ ${VERSION} = ${version} ]`;
      L.push(sh`[ ${INSTALLED} ]${verOk} || ${say('missing', p)}`);
    } else {
      const rm = check ? say('changed', p) : sh`{ dpkg ${purge ? '-P' : '-r'} -- "$p" && ${say('changed', p)} || ${say('fail', rawShell('"dpkg -r $p"'))}; }`;
      L.push(sh`if [ ${INSTALLED} ] || { [ ${purge ? '1' : '0'} = 1 ] && dpkg-query -W -- "$p" >/dev/null 2>&1; }; then ${rm}; fi`);
    }
  }
  return joinShell([...L, sh``]);
}

function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean);
}

const argsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    pkg: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    package: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    deb: { type: 'string' },
    state: { enum: ['present', 'absent', 'latest', 'installed', 'removed', 'build-dep', 'fixed'], default: 'present' },
    purge: { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
    update_cache: { type: 'boolean', default: false },
    // Since Ansible 2.4 giving cache_valid_time means update_cache: the same warning.
    cache_valid_time: { type: 'integer' },
    allow_downgrade: { type: 'boolean', default: false },
    // Recommends are installed by apt from a repository; dpkg -i never installs them.
    install_recommends: unsupported({ type: 'boolean' }, 'a .deb is installed with dpkg -i, which never installs recommended packages (no repositories on tsrun targets)', [false]),
    dpkg_options: { type: 'string', default: 'force-confdef,force-confold' },
  },
} as const;

const apt = defineModule({
  name: 'apt',
  aliases: ['ansible.builtin.apt'],
  checkMode: true,
  argsSchema,
  async run(ctx): Promise<ModuleResult> {
    const a = ctx.args;
    const state = a.state === 'installed' ? 'present' : a.state === 'removed' ? 'absent' : a.state ?? 'present';
    if (a.update_cache || a.cache_valid_time !== undefined) ctx.log(0, '[WARNING]: apt: update_cache ignored: tsrun targets are air-gapped (no package repositories)');
    if (a.deb !== undefined) {
      let local: Buffer | undefined;
      try {
        const p = ctx.findFile('files', a.deb);
        if (existsSync(p)) local = readControlFile(p);
      } catch {
        local = undefined; // not on the control side: a path on the target
      }
      const script = debScript(local ? undefined : a.deb, ctx.check, { force: a.force, allowDowngrade: a.allow_downgrade, dpkgOptions: a.dpkg_options });
      const { res, reply } = await request(ctx, script, local ? { stdin: local } : {});
      const lines = new Map(reply.entries());
      const out = reply.other();
      const base = { stdout: out, stderr: res.stderr, stdout_lines: splitLines(out), stderr_lines: splitLines(res.stderr) };
      if (lines.has('nodeb')) return { failed: true, changed: false, msg: `deb file not found on the control host or the target: ${a.deb}` };
      if (lines.has('later')) return { failed: true, changed: false, msg: 'A later version is already installed' };
      if (lines.has('baddeb')) return { failed: true, changed: false, msg: `not a valid .deb file: ${a.deb}: ${lines.get('baddeb')}` };
      if (lines.has('fail')) return { failed: true, changed: true, msg: `dpkg -i failed for ${a.deb}`, ...base };
      if (!lines.has('package')) return { failed: true, changed: false, msg: `apt: unexpected failure: ${res.stderr.trim()}`, rc: res.rc };
      return { changed: lines.has('changed'), cache_updated: false, package: lines.get('package'), version: lines.get('version'), ...base };
    }
    const names = [...asList(a.name), ...asList(a.pkg), ...asList(a.package)];
    if (names.length === 0) {
      if (a.update_cache) return { changed: false, cache_updated: false, msg: 'update_cache ignored: no package repositories on air-gapped targets' };
      return { failed: true, changed: false, msg: 'apt: one of name, pkg, package, deb is required' };
    }
    if (state !== 'present' && state !== 'absent')
      return { failed: true, changed: false, msg: `apt: state=${state} needs a package repository; tsrun targets are air-gapped: install from a .deb file with deb:` };
    const { res, reply } = await request(ctx, namesScript(names, state, ctx.check, a.purge));
    const lines = reply.entries();
    const missing = lines.filter(([k]) => k === 'missing').map(([, v]) => v);
    if (missing.length)
      return {
        failed: true,
        changed: false,
        msg: `No package repository on this air-gapped target: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not installed; install from a local .deb file with deb:`,
      };
    const failed = lines.find(([k]) => k === 'fail');
    const out = reply.other();
    const changed = lines.some(([k]) => k === 'changed');
    if (failed) return { failed: true, changed, msg: `${failed[1]} failed`, stdout: out, stderr: res.stderr };
    return { changed, cache_updated: false, stdout: out, stderr: res.stderr, stdout_lines: splitLines(out), stderr_lines: splitLines(res.stderr) };
  },
});

export default apt;
