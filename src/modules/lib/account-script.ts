/**
 * What the user and group modules share: a script that reports each step as a record (connection/shell-protocol.ts Reply)
 * lines, runs a tool only where the account differs (in check mode only says it would), and
 * the control side reading that report back.
 */
import { type Reply, request } from '../../connection/shell-protocol.js';
import type { ModuleContext, ModuleResult } from '../types.js';
import { joinShell, say, sh, type ShellText, type ShellValue } from '../../connection/shell-text.js';

export interface AccountSteps {
  /** sh text printing one report line (a string value literally, shell text expanded). */
  say(key: string, value?: ShellValue): ShellText;
  /**
   * sh text running `cmd`, reporting `changed what` or `fail what` (then stopping the script).
   * `raced`: sh condition true when `cmd` failed only because another process did the same at
   * that moment (the account now is as wanted): then nothing is reported and the script goes on.
   */
  doit(cmd: ShellText, what: string, raced?: ShellText): ShellText;
}

export function accountSteps(check: boolean): AccountSteps {
  const doit = (cmd: ShellText, what: string, raced?: ShellText) => {
    if (check) return say('changed', what);
    const tolerate = raced ? sh` elif ${raced}; then :;` : sh``;
    return sh`if ${cmd} 2>&1; then ${say('changed', what)};${tolerate} else ${say('fail', what)}; exit 0; fi`;
  };
  return { say, doit };
}

export interface AccountOutcome {
  lines: Array<[string, string]>;
  changed: boolean;
  /** The account database entry printed last (`entry` line), '' when none. */
  entry: string;
  /** Ansible's message when a tool failed: `<tool> failed: <its output>`. */
  failure?: string;
}

/** Reads the report; `tools` names the program behind each step (created → useradd, ...). */
export function accountOutcome(reply: Reply, stderr: string, tools: Record<string, string>): AccountOutcome {
  const lines = reply.entries();
  const out: AccountOutcome = {
    lines,
    changed: lines.some(([k]) => k === 'changed'),
    entry: lines.find(([k]) => k === 'entry')?.[1] ?? '',
  };
  const failed = lines.find(([k]) => k === 'fail');
  if (failed) out.failure = `${tools[failed[1]] ?? failed[1]} failed: ${reply.other()} ${stderr}`.trim();
  return out;
}

interface LibuserSpec {
  /** sh condition: the account is in the local file (/etc/passwd, /etc/group), as Ansible reads it with local: true. */
  exists: ShellText;
  /** The libuser tool Ansible looks up first when the account is there / is not (none: nothing to do). */
  ifExists?: string;
  ifMissing?: string;
  /** Which case creates or removes the account: in check mode Ansible reports it changed without looking a tool up. */
  changes: 'exists' | 'missing';
  check: boolean;
}

/**
 * `local: true` (user, group): Ansible manages the account with libuser's tools and looks the
 * tool up first; where it is missing the task fails naming the paths searched (PATH, then
 * /sbin, /usr/sbin, /usr/local/sbin). Where it is there, tsrun refuses the task: driving
 * libuser is not implemented.
 */
export function libuserScript(l: LibuserSpec): ShellText {
  const branch = (tool: string | undefined, changes: boolean) =>
    tool === undefined ? sh`exit 0` : l.check && changes ? sh`${say('changed', 'libuser')}; exit 0` : sh`_t=${tool}`;
  return joinShell([
    sh`if ${l.exists}; then ${branch(l.ifExists, l.changes === 'exists')}; else ${branch(l.ifMissing, l.changes === 'missing')}; fi`,
    sh`_lp=$PATH; for d in /sbin /usr/sbin /usr/local/sbin; do case ":$_lp:" in *":$d:"*) ;; *) [ -e "$d" ] && _lp="$_lp:$d" ;; esac; done`,
    sh`if PATH=$_lp command -v "$_t" >/dev/null 2>&1; then ${say('libuser', sh`"$_t"`)}; else ${say('nobin', sh`"$_t"`)}; ${say('paths', sh`"$_lp"`)}; fi`,
  ]);
}

/** Where Ansible looks an account up with local: true, and the tool it needs first: to change or create it, to remove it. */
const LIBUSER = {
  user: { file: '/etc/passwd', present: { ifExists: 'lgroupmod', ifMissing: 'lgroupmod' }, absent: { ifExists: 'luserdel' } },
  group: { file: '/etc/group', present: { ifExists: 'lgroupmod', ifMissing: 'lgroupadd' }, absent: { ifExists: 'lgroupdel' } },
} as const;

/** A user or group task with local: true: failed (tool missing, or refused), changed in check mode, or nothing to do. */
export async function runLibuser(ctx: ModuleContext, kind: 'user' | 'group', name: string, state: 'present' | 'absent'): Promise<ModuleResult> {
  const where = LIBUSER[kind];
  const exists = sh`cut -d: -f1 ${where.file} | grep -Fxq -- ${name}`;
  const spec = state === 'absent' ? { ...where.absent, changes: 'exists' as const } : { ...where.present, changes: 'missing' as const };
  const { reply } = await request(ctx, libuserScript({ exists, check: ctx.check, ...spec }));
  const missing = reply.get('nobin');
  if (missing !== undefined) return { failed: true, changed: false, msg: `Failed to find required executable "${missing}" in paths: ${reply.get('paths') ?? ''}` };
  if (reply.has('libuser')) return { failed: true, changed: false, name, msg: `${kind}: local=true (accounts through libuser's ${reply.get('libuser')}) is not supported by tsrun; leave local out to use the shadow tools` };
  return { changed: reply.has('changed'), name, state };
}
