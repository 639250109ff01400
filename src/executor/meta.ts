import type { Task } from '../playbook/types.js';
import type { Frame } from './frame.js';
import type { HostRun, PlayContext } from './run-context.js';
import { TaskRunner } from './task-runner.js';
import { TsrunError } from '../util/errors.js';

/**
 * Meta actions Ansible 2.14's linear strategy runs for every host; the others run once, for the
 * first host still running, and act on the whole play (that host's `when` decides for everyone).
 */
const PER_HOST = new Set(['noop', 'flush_handlers', 'end_host', 'reset_connection', 'role_complete']);

/** Meta actions that ignore `when`: Ansible warns, then runs them anyway. */
const WHEN_IGNORED = new Set(['noop', 'refresh_inventory', 'reset_connection']);

/** How Ansible's skip_reason goes on after "<action> conditional evaluated to False, ". */
const SKIP_TAIL: Record<string, (host: string) => string> = {
  flush_handlers: (h) => `not running handlers for ${h}`,
  clear_facts: (h) => `not clearing facts and fact cache for ${h}`,
  clear_host_errors: (h) => `not clearing host error state for ${h}`,
  end_batch: () => 'continuing current batch',
  end_play: () => 'continuing play',
  end_host: (h) => `continuing execution for ${h}`,
};

/** What a meta action reports (-vv `META:` line) for a host whose condition held. */
const DONE: Record<string, (host: string) => string> = {
  noop: () => 'noop',
  flush_handlers: (h) => `triggered running handlers for ${h}`,
  clear_facts: () => 'facts cleared',
  clear_host_errors: () => 'cleared host errors',
  end_batch: () => 'ending batch',
  end_play: () => 'ending play',
  end_host: (h) => `ending play for ${h}`,
  refresh_inventory: () => 'inventory successfully refreshed',
  reset_connection: () => 'reset connection',
  role_complete: () => 'role_complete',
};

/** The play-wide effects a meta action may have; the play runner owns them. */
export interface MetaEffects {
  flushHandlers(only?: HostRun[]): Promise<void>;
  clearFacts(): void;
  clearHostErrors(): void;
  endHosts(what: 'end_host' | 'end_play' | 'end_batch', hosts: HostRun[]): void;
  refreshInventory(): void;
}

/**
 * A meta task as Ansible's strategy runs it (_execute_meta): the task banner for each host it runs
 * for, then either its action or, where `when` is false, a skipped result that no stats count.
 */
export async function runMeta(pc: PlayContext, task: Task, hosts: HostRun[], frame: Frame, effects: MetaEffects): Promise<void> {
  const what = String(task.args._raw_params ?? '').trim();
  const cb = pc.run.callback;
  const runner = new TaskRunner(pc, task, frame);
  const info = runner.info(hosts[0]?.name);
  const conds = [...frame.when, ...task.when];
  const ignoresWhen = WHEN_IGNORED.has(what) || what === 'role_complete';
  const holds = (h: HostRun): boolean => {
    try {
      return conds.every((c) => runner.condition(c, runner.scopeFor(h.name)));
    } catch (err) {
      // Ansible's strategy raises it: the run ends (exit 1), the error naming the task's position
      if (err instanceof TsrunError && !err.pos) throw new TsrunError(err.message, { pos: task.pos, exitCode: err.exitCode, cause: err });
      throw err;
    }
  };
  const acting: HostRun[] = [];
  for (const h of PER_HOST.has(what) ? hosts : hosts.slice(0, 1)) {
    cb.taskStart(info);
    // after the banner, as Ansible warns from within the action (its Display prints a text once)
    if (WHEN_IGNORED.has(what) && conds.length > 0) cb.warning(`${what} task does not support when conditional`);
    if (!ignoresWhen && !holds(h)) {
      const skipReason = `${what} conditional evaluated to False, ${SKIP_TAIL[what](h.name)}`;
      // end_host keeps the message Ansible gave before skip_reason existed
      const msg = what === 'end_host' ? `end_host conditional evaluated to false, continuing execution for ${h.name}` : what;
      cb.meta?.(skipReason);
      cb.hostResult({ host: h.name, task: info, status: 'skipped', result: { msg, skipped: true, skip_reason: skipReason }, ignored: false });
      continue;
    }
    // per host, between the banners, as Ansible resets each host's connection as it comes
    if (what === 'reset_connection' && !(await runner.resetConnection(h.name))) cb.warning('Reset is not implemented for this connection');
    cb.meta?.(DONE[what](h.name));
    acting.push(h);
  }
  if (acting.length === 0) return;
  switch (what) {
    case 'flush_handlers':
      // every host (also those that failed since) unless the condition held for some only
      return effects.flushHandlers(pc.freeStrategy || acting.length < hosts.length ? acting : undefined);
    case 'end_host':
    case 'end_play':
    case 'end_batch':
      return effects.endHosts(what, acting);
    case 'clear_facts':
      return effects.clearFacts();
    case 'clear_host_errors':
      return effects.clearHostErrors();
    case 'refresh_inventory':
      return effects.refreshInventory();
    default:
      // noop, role_complete; reset_connection did its work host by host
      return;
  }
}
