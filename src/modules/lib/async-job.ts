/**
 * `async:` jobs the way Ansible's async_wrapper keeps them, with only sh and coreutils on the
 * target: the module's one script runs in the background, in its own session (setsid when the
 * target has it, nohup otherwise), so it outlives the task, the connection and tsrun itself.
 * Its files sit in the async dir (Ansible's `~/.ansible_async`, or `ansible_async_dir`):
 *   JID       Ansible's "started" marker, {"started": 1, "finished": 0, ...}; its existence = the job is known
 *   JID.meta  which module and what it needs to build the result (never arguments that may be secret)
 *   JID.in    the script's stdin (removed when it ends)
 *   JID.out / JID.err   its output;  JID.rc   its exit code, or `timeout PID` when the time limit killed it
 * The result is built on the control side from those files (async_status), by the module's own
 * parser, so a finished job reads exactly like the module run in the foreground.
 */
import { randomInt } from 'node:crypto';
import type { ExecResult } from '../../connection/types.js';
import type { AsyncLaunch, ModuleDef, ModuleResult } from '../types.js';

export type { AsyncLaunch };
import { rawShell, sh, type ShellText } from '../../connection/shell-text.js';


type Exec = (script: ShellText, opts?: { stdin?: string }) => Promise<ExecResult>;

/** Ansible's job id form: j + up to 12 digits + . + a process id. */
export function newJobId(): string {
  return `j${randomInt(0, 999_999_999_999)}.${process.pid}`;
}

/** The async dir as sh text: a leading ~/ is the remote user's home. */
function dirExpr(asyncDir: string): ShellText {
  if (asyncDir === '~') return rawShell('"$HOME"');
  if (asyncDir.startsWith('~/')) return sh`"$HOME"/${asyncDir.slice(2)}`;
  return sh`${asyncDir}`;
}

/**
 * The job itself, run by `sh -c BODY tsrun-async JOBPATH LIMIT SCRIPT OWNGROUP`: the module script
 * in a subshell (the session's tsrun_now is not inherited, so a plain `date` stands in), a
 * watchdog that records `timeout` and kills the job after LIMIT seconds (its whole process group
 * when setsid gave it one), then the exit code.
 */
const BODY = `j=$1 t=$2 s=$3 g=$4
tsrun_now() { __ts_now=$(date '+%s %N %z'); }
( eval "$s" ) <"$j.in" >"$j.out" 2>"$j.err" &
p=$!
( sleep "$t"; if [ ! -e "$j.rc" ]; then printf 'timeout %s' "$p" >"$j.rc.tmp" && mv -f "$j.rc.tmp" "$j.rc"; if [ "$g" = 1 ]; then kill -KILL 0; else kill -KILL "$p"; fi; fi ) </dev/null >/dev/null 2>&1 &
w=$!
wait "$p"
r=$?
kill "$w" 2>/dev/null
if [ ! -e "$j.rc" ]; then printf '%s' "$r" >"$j.rc.tmp" && mv -f "$j.rc.tmp" "$j.rc"; fi
rm -f "$j.in"
`;

/** Starts the job in one round trip; returns Ansible's fire-and-forget result. */
export async function launchJob(exec: Exec, module: string, asyncDir: string, limitSec: number, launch: AsyncLaunch): Promise<ModuleResult> {
  const jid = newJobId();
  const meta = JSON.stringify({ module, state: launch.state });
  const started = `{"started": 1, "finished": 0, "ansible_job_id": "${jid}"}`;
  const script = sh`umask 077
d=${dirExpr(asyncDir)}
mkdir -p -- "$d" || exit 1
j="$d"/${jid}
printf '%s\\n' ${started} >"$j" && printf '%s' ${meta} >"$j.meta" && cat >"$j.in" || exit 1
if command -v setsid >/dev/null 2>&1; then s=setsid g=1; else s=nohup g=0; fi
$s sh -c ${BODY} tsrun-async "$j" ${String(limitSec)} ${launch.script.text} "$g" </dev/null >/dev/null 2>&1 &
printf '%s\\n' "$d"`;
  const res = await exec(script, { stdin: launch.stdin ?? '' });
  if (res.rc !== 0) return { failed: true, changed: false, msg: `could not start the async job: ${res.stderr.trim() || `rc ${res.rc}`}` };
  const dir = res.stdout.trim();
  return { ansible_job_id: jid, changed: true, failed: false, finished: 0, results_file: `${dir}/${jid}`, started: 1 };
}

const EMPTY_OUTPUT = { stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] };

/** async_status: Ansible's result for the job now (running, finished with the module's result, unknown). */
export async function jobStatus(exec: Exec, asyncDir: string, jid: string, modules: ReadonlyMap<string, ModuleDef>): Promise<ModuleResult> {
  const script = sh`d=${dirExpr(asyncDir)}
j="$d"/${jid}
printf 'dir %s\\n' "$d"
if [ ! -e "$j" ]; then echo nojob; exit 0; fi
if [ ! -e "$j.rc" ]; then echo running; exit 0; fi
printf 'rc %s\\n' "$(cat "$j.rc")"
for f in meta out err; do printf '%s %s\\n' $f "$(base64 <"$j.$f" 2>/dev/null | tr -d '\\n')"; done`;
  const res = await exec(script);
  const lines = new Map(res.stdout.split('\n').map((l) => [l.split(' ')[0], l.slice(l.indexOf(' ') + 1)] as const));
  const file = `${lines.get('dir') ?? asyncDir}/${jid}`;
  const base = { ansible_job_id: jid, results_file: file, started: 1, ...EMPTY_OUTPUT };
  if (res.rc !== 0) return { ...base, failed: true, finished: 0, msg: `could not read the async job: ${res.stderr.trim() || `rc ${res.rc}`}` };
  if (lines.has('nojob')) return { ...base, failed: true, finished: 1, msg: 'could not find job' };
  if (lines.has('running')) return { ...base, finished: 0 };
  const rc = lines.get('rc') ?? '';
  if (rc.startsWith('timeout')) return { ...base, failed: true, changed: false, finished: 1, msg: 'Timeout exceeded', child_pid: Number(rc.split(' ')[1]) };
  const text = (k: string) => Buffer.from(lines.get(k) ?? '', 'base64').toString('utf8');
  let meta: { module?: string; state?: unknown };
  try {
    meta = JSON.parse(text('meta')) as typeof meta;
  } catch {
    return { ...base, failed: true, changed: false, finished: 1, msg: `Could not parse job output: ${text('meta')}` };
  }
  const job = modules.get(meta.module ?? '')?.asyncJob;
  if (!job) return { ...base, failed: true, changed: false, finished: 1, msg: `the job was started by a module tsrun does not know: ${String(meta.module)}` };
  const result = job.result(meta.state, { rc: Number(rc), stdout: text('out'), stderr: text('err') });
  return { ...base, ...result, ansible_job_id: jid, results_file: file, started: 1, finished: 1 };
}

/** async_status mode=cleanup: removes the job's files. */
export async function cleanupJob(exec: Exec, asyncDir: string, jid: string): Promise<ModuleResult> {
  const script = sh`d=${dirExpr(asyncDir)}
j="$d"/${jid}
printf '%s\\n' "$d"
if [ ! -e "$j" ]; then echo nojob; exit 0; fi
rm -f -- "$j" "$j.meta" "$j.in" "$j.out" "$j.err" "$j.rc" "$j.rc.tmp"`;
  const res = await exec(script);
  const [dir, what] = res.stdout.split('\n');
  const file = `${dir}/${jid}`;
  if (what === 'nojob') return { ansible_job_id: jid, results_file: file, started: 1, finished: 1, failed: true, changed: false, msg: 'could not find job', ...EMPTY_OUTPUT };
  return { ansible_job_id: jid, erased: file, started: 0, finished: 0, changed: false, ...EMPTY_OUTPUT };
}
