/**
 * A task with `async:` (Ansible's TaskExecutor._poll_async_result): the module's script starts as
 * a background job on the target (src/modules/lib/async-job.ts); `poll: 0` returns at once with
 * the job id, `poll: N` checks every N seconds until it finished or `async` seconds are used up,
 * then removes the job's files.
 */
import { asyncDirOf } from '../modules/async_status.js';
import { cleanupJob, jobStatus, launchJob, newJobId } from '../modules/lib/async-job.js';
import { TimeoutError } from '../connection/shell-session.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../modules/types.js';
import type { ShellText } from '../connection/shell-text.js';
import { callModule } from './module-args.js';

/** ansible.cfg's DEFAULT_POLL_INTERVAL. */
export const DEFAULT_POLL = 15;

/** Action plugins Ansible refuses to run async; the other modules Ansible runs async through its generic wrapper. */
const ACTION_PLUGINS = new Set(['debug', 'set_fact', 'assert', 'fail', 'pause', 'include_vars', 'add_host', 'group_by', 'copy', 'template', 'fetch', 'unarchive', 'script', 'raw', 'async_status']);

export interface AsyncEvents {
  status(kind: 'poll' | 'ok' | 'failed', result: ModuleResult): void;
  modules: ReadonlyMap<string, ModuleDef>;
  signal: AbortSignal;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * A module that is more than one script, with `poll:` > 0: the task waits for its result anyway,
 * so it runs in the foreground within the time limit, and the result carries the job keys
 * (no job file exists, so there is no results_file).
 */
async function foreground(def: ModuleDef, ctx: ModuleContext, limitSec: number, events: AsyncEvents): Promise<ModuleResult> {
  const deadline = Date.now() + limitSec * 1000;
  const limited: ModuleContext = { ...ctx, exec: (script, opts) => ctx.exec(script, { ...opts, timeoutMs: Math.max(1, deadline - Date.now()) }) };
  const jid = newJobId();
  let result: ModuleResult;
  try {
    result = await callModule(def, def.name, limited);
  } catch (err) {
    if (!(err instanceof TimeoutError)) throw err;
    result = { failed: true, changed: false, msg: `async task did not complete within the requested time - ${limitSec}s`, async_result: { ansible_job_id: jid, started: 1, finished: 0 } };
    events.status('failed', result);
    return result;
  }
  result = { ...result, ansible_job_id: jid, started: 1, finished: 1 };
  events.status(result.failed ? 'failed' : 'ok', result);
  return result;
}

export function runAsync(def: ModuleDef, ctx: ModuleContext, limitSec: number, poll: number, events: AsyncEvents): Promise<ModuleResult> {
  if (ACTION_PLUGINS.has(def.name) || (!def.asyncJob && poll <= 0)) {
    const why = ACTION_PLUGINS.has(def.name) ? '' : ' (with poll: 0 tsrun runs only command and shell as background jobs)';
    return Promise.resolve({ failed: true, changed: false, msg: `async is not supported for this task.${why}` });
  }
  if (ctx.check) return Promise.resolve({ failed: true, changed: false, msg: 'check mode and async cannot be used on same task.' });
  if (!def.asyncJob) return foreground(def, ctx, limitSec, events);
  const job = def.asyncJob;
  return callModule(def, def.name, ctx, async (prepared) => {
    const started = job.start(prepared);
    if ('result' in started) return started.result;
    const exec = (script: ShellText, opts?: { stdin?: string }) => prepared.exec(script, opts);
    const dir = asyncDirOf(prepared.vars);
    // Ansible's async_wrapper waits 5 s, then checks its time limit every 5 s after the next 5 s:
    // the job dies 5 s after the first multiple of 5 at or past the limit.
    const fire = await launchJob(exec, def.name, dir, (Math.ceil(limitSec / 5) + 1) * 5, started.launch);
    if (fire.failed || poll <= 0) return fire;
    const jid = String(fire.ansible_job_id);
    let status: ModuleResult = fire;
    for (let left = limitSec; left > 0 && !events.signal.aborted; left -= poll) {
      await sleep(poll * 1000, events.signal);
      status = await jobStatus(exec, dir, jid, events.modules);
      if (Number(status.finished) === 1 || status.failed) break;
      events.status('poll', status);
    }
    if (Number(status.finished) !== 1) {
      const timedOut: ModuleResult = { failed: true, changed: false, msg: `async task did not complete within the requested time - ${limitSec}s`, async_result: status };
      events.status('failed', timedOut);
      return timedOut;
    }
    await cleanupJob(exec, dir, jid);
    events.status(status.failed ? 'failed' : 'ok', status);
    return status;
  });
}
