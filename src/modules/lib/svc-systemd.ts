import type { ModuleContext, ModuleResult } from '../types.js';
import { type Reply, request } from '../../connection/shell-protocol.js';
import { say } from '../../connection/shell-text.js';
import { joinShell, rawShell, sh, type ShellText } from '../../connection/shell-text.js';

export interface SystemdArgs {
  name?: string;
  state?: 'started' | 'stopped' | 'restarted' | 'reloaded';
  enabled?: boolean;
  masked?: boolean;
  daemon_reload?: boolean;
  daemon_reexec?: boolean;
  scope?: 'system' | 'user' | 'global';
  no_block?: boolean;
  force?: boolean;
}

export interface SystemdScriptOptions {
  check: boolean;
  /** Where systemd's runtime marker lives; tests point it at a scratch dir. */
  systemdDir?: string;
}

/**
 * One sh script: detect systemd, optionally daemon-reload, read is-active / is-enabled, act
 * only where the wanted state differs, and print `NONCE key value` lines for each finding.
 */
export function systemdScript(a: SystemdArgs, opts: SystemdScriptOptions): ShellText {
  const scope = a.scope === 'user' ? ['--user'] : a.scope === 'global' ? ['--global'] : [];
  const sc = ['systemctl', ...scope];
  const act = [...sc, ...(a.no_block ? ['--no-block'] : []), ...(a.force ? ['--force'] : [])];
  const doit = (cmd: ShellText, what: string) =>
    opts.check ? say('changed', what) : sh`if ${cmd} 2>&1 >/dev/null; then ${say('changed', what)}; else ${say('fail', what)}; exit 0; fi`;
  const L: ShellText[] = [];
  L.push(sh`[ -d ${opts.systemdDir ?? '/run/systemd/system'} ] || { ${say('nosystemd')}; exit 0; }`);
  L.push(sh`command -v systemctl >/dev/null 2>&1 || { ${say('nosystemd', 'systemctl')}; exit 0; }`);
  if (a.daemon_reexec) L.push(doit(sh`${sc} daemon-reexec`, 'daemon-reexec'));
  if (a.daemon_reload) L.push(doit(sh`${sc} daemon-reload`, 'daemon-reload'));
  if (a.name === undefined) return joinShell([...L, sh``]);
  // `--` so a unit name starting with `-` is never read as an option (e.g. --host).
  const n = sh`-- ${a.name}`;
  L.push(sh`load=$(${sc} show -p LoadState ${n} 2>/dev/null)`);
  L.push(sh`active=$(${sc} is-active ${n} 2>/dev/null)`);
  L.push(sh`enabled=$(${sc} is-enabled ${n} 2>/dev/null); enabled_rc=$?`);
  L.push(say('load', rawShell('"${load#LoadState=}"')), say('active', rawShell('"$active"')), say('enabled', rawShell('"$enabled"')), say('enabled_rc', rawShell('"$enabled_rc"')));
  const wantsSomething = a.state !== undefined || a.enabled !== undefined;
  if (wantsSomething && a.masked !== false) L.push(sh`[ "\${load#LoadState=}" = not-found ] && { ${say('notfound')}; exit 0; }`);
  if (a.masked === true) L.push(sh`[ "$enabled" = masked ] || { ${doit(sh`${act} mask ${n}`, 'mask')}; }`);
  if (a.masked === false) L.push(sh`[ "$enabled" != masked ] || { ${doit(sh`${act} unmask ${n}`, 'unmask')}; }`);
  if (a.enabled === true) L.push(sh`[ "$enabled_rc" = 0 ] || { ${doit(sh`${act} enable ${n}`, 'enable')}; }`);
  if (a.enabled === false) L.push(sh`[ "$enabled_rc" != 0 ] || { ${doit(sh`${act} disable ${n}`, 'disable')}; }`);
  const isRunning = sh`case "$active" in active|activating|reloading|deactivating) true ;; *) false ;; esac`;
  if (a.state === 'started') L.push(sh`if ! ${isRunning}; then ${doit(sh`${act} start ${n}`, 'start')}; fi`);
  if (a.state === 'stopped') L.push(sh`if ${isRunning}; then ${doit(sh`${act} stop ${n}`, 'stop')}; fi`);
  if (a.state === 'restarted') L.push(doit(sh`${act} restart ${n}`, 'restart'));
  if (a.state === 'reloaded') L.push(sh`if ${isRunning}; then ${doit(sh`${act} reload ${n}`, 'reload')}; else ${doit(sh`${act} start ${n}`, 'start')}; fi`);
  return joinShell([...L, sh``]);
}

export interface SystemdFindings {
  nosystemd?: boolean;
  notfound?: boolean;
  failedAction?: string;
  actions: string[];
  active?: string;
  enabled?: string;
  enabledRc?: string;
  load?: string;
}

export function parseSystemd(reply: Reply): SystemdFindings {
  const f: SystemdFindings = { actions: [] };
  for (const [key, val] of reply.entries()) {
    if (key === 'nosystemd') f.nosystemd = true;
    else if (key === 'notfound') f.notfound = true;
    else if (key === 'changed') f.actions.push(val);
    else if (key === 'fail') f.failedAction = val;
    else if (key === 'active') f.active = val;
    else if (key === 'enabled') f.enabled = val;
    else if (key === 'enabled_rc') f.enabledRc = val;
    else if (key === 'load') f.load = val;
  }
  return f;
}

function resultFrom(a: SystemdArgs, f: SystemdFindings, host: string, stderr: string): ModuleResult {
  if (f.nosystemd)
    return {
      failed: true,
      changed: false,
      msg: 'systemd is not running on this host (no /run/systemd/system or no systemctl); services here are managed by the install\'s own process mode',
    };
  if (f.notfound) return { failed: true, changed: false, msg: `Could not find the requested service ${a.name}: host` , name: a.name, host };
  if (f.failedAction)
    return {
      failed: true,
      changed: f.actions.length > 0,
      name: a.name,
      msg: `Unable to ${f.failedAction} service ${a.name ?? ''}: ${stderr.trim()}`.trim(),
    };
  const r: ModuleResult = { changed: f.actions.length > 0, name: a.name };
  if (a.state !== undefined) r.state = a.state;
  if (a.enabled !== undefined) r.enabled = a.enabled;
  if (a.name !== undefined) r.status = { ActiveState: f.active, UnitFileState: f.enabled, LoadState: f.load };
  return r;
}

export async function runSystemd(ctx: ModuleContext, a: SystemdArgs, systemdDir?: string): Promise<ModuleResult> {
  if (a.name === undefined && !a.daemon_reload && !a.daemon_reexec)
    return { failed: true, changed: false, msg: 'name is required unless daemon_reload or daemon_reexec is set' };
  const { res, reply } = await request(ctx, systemdScript(a, { check: ctx.check, systemdDir }));
  // systemctl's own error text goes to stdout in doit (2>&1), keep what is not ours
  return resultFrom(a, parseSystemd(reply), ctx.host, `${reply.other()}\n${res.stderr}`);
}
