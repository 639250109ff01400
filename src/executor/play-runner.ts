import { storeRegistered, storeSetFacts } from '../vars/manager.js';
import { combineInto } from '../inventory/combine-vars.js';
import type { Block, Task, TaskItem } from '../playbook/types.js';
import type { KeywordExtras } from '../playbook/index.js';
import { renderValue } from '../template/index.js';
import { ConfigError, formatPos, TsrunError } from '../util/errors.js';
import { letSignalsIn } from '../util/event-loop.js';
import type { Frame } from './frame.js';
import { enter, nearest } from './frame.js';
import type { HostRun, PlayContext } from './run-context.js';
import { isActive } from './run-context.js';
import { tagsSelect } from './tags.js';
import { INCLUDE_ACTIONS, IncludeDepthError, type IncludeInstance } from './includes.js';
import { addIncluded, expandInclude, type HostIncludes, type IncludedFile } from './include-items.js';
import { searchPath, taskInfo, TaskRunner, type TaskOutcome } from './task-runner.js';
import { runMeta } from './meta.js';
import { toBool } from '../util/ansible-bool.js';
import { plainVars } from '../vars/types.js';


/**
 * Ansible's linear strategy: every task runs on all active hosts (in parallel, up to forks)
 * before the next task starts; blocks send failed hosts to rescue and everyone through always.
 */
export class PlayRunner {
  constructor(private readonly pc: PlayContext) {}

  /** Counts meta: clear_host_errors, so an `always` that ran one does not restore the block's failures. */

  private get run() {
    return this.pc.run;
  }

  active(hosts: HostRun[]): HostRun[] {
    return hosts.filter(isActive);
  }

  async runList(items: TaskItem[], hosts: HostRun[], frame: Frame): Promise<void> {
    for (const item of items) {
      // Control-side tasks (debug, set_fact) never wait on I/O: without a turn of the event loop
      // here, a long run of them would not even see Ctrl-C.
      await letSignalsIn();
      if (this.run.signal.aborted) return;
      const active = this.active(hosts);
      if (active.length === 0) return;
      if (item.kind === 'block') await this.runBlock(item, active, frame);
      else await this.runTask(item, active, frame);
    }
  }

  private async runBlock(block: Block, hosts: HostRun[], frame: Frame): Promise<void> {
    const alwaysPending = block.always.length > 0 || frame.alwaysPending;
    const inner = enter(frame, block, { role: block.role, rescuable: block.rescue.length > 0 || frame.rescuable, alwaysPending });
    await this.runList(block.block, hosts, inner);
    if (block.rescue.length > 0) {
      const toRescue = hosts.filter((h) => h.failed && !h.unreachable && !h.ended);
      for (const h of toRescue) h.failed = false;
      if (toRescue.length) await this.runList(block.rescue, toRescue, enter(frame, block, { role: block.role, alwaysPending }));
    }
    if (block.always.length > 0) {
      const failedBefore = new Set(hosts.filter((h) => h.failed).map((h) => h.name));
      const everyone = hosts.filter((h) => !h.unreachable && !h.ended);
      for (const h of everyone) h.failed = false;
      const cleared = this.pc.errorsCleared;
      await this.runList(block.always, everyone, enter(frame, block, { role: block.role }));
      // meta: clear_host_errors inside always forgives the failure that led there
      if (this.pc.errorsCleared === cleared) for (const h of everyone) if (failedBefore.has(h.name)) h.failed = true;
    }
  }

  private selected(task: Task, frame: Frame): boolean {
    const tags = [...frame.tags, ...task.tags];
    return tagsSelect(tags, { only: this.run.opts.tags, skip: this.run.opts.skipTags });
  }

  async runTask(task: Task, hosts: HostRun[], frame: Frame): Promise<void> {
    if (!frame.isHandler && !this.selected(task, frame)) return;
    // the name is made (and the await taken) only under --start-at-task / --step
    if (!frame.isHandler && !this.run.startAt.open && !this.run.startAt.admits(task.name, taskInfo(this.pc, task, frame).name)) return;
    if (!frame.isHandler && task.action !== 'meta' && this.run.stepper.asks && !(await this.run.stepper.admits(taskInfo(this.pc, task, frame).name))) return;
    if (task.action === 'meta') return this.runMeta(task, hosts, frame);
    if (INCLUDE_ACTIONS.has(task.action)) return this.runInclude(task, hosts, frame);
    const runner = new TaskRunner(this.pc, task, frame);
    const info = runner.info(hosts[0]?.name);
    this.run.callback.taskStart(info);
    const runOnce = nearest(frame, task, 'run_once');
    const first = hosts[0];
    // pause and add_host run once for the whole play, as Ansible's bypass-host-loop actions do.
    const bypass = this.run.modules.get(task.action)?.bypassHostLoop === true;
    const isRunOnce = bypass || (runOnce !== undefined && toBool(renderValue(runOnce, { vars: runner.scopeFor(first.name) })));
    const targets = isRunOnce ? [first] : hosts;
    const cb = this.run.callback;
    // Actions that bypass the host loop (pause) may prompt on the terminal: no live line over them.
    cb.taskTargets?.(info, targets.map((h) => h.name), bypass);
    const throttled = throttle(nearest(frame, task, 'throttle' as never), () => runner.scopeFor(first.name));
    const timed = async (host: string): Promise<TaskOutcome> => {
      cb.hostTaskStart?.(host, info);
      const o = await runner.runFor(host);
      cb.hostTaskEnd?.(host, info, o.status);
      return o;
    };
    const outcomes = await Promise.all(targets.map((h) => this.run.limit(() => throttled(() => timed(h.name))).then((o) => [h, o] as const)));
    // Results of a task cut short by Ctrl-C are not results; Ansible does not report them either.
    if (this.run.signal.aborted) return;
    let anyFatal = false;
    for (const [host, outcome] of outcomes) {
      // run_once shares its result with every host; a bypass-host-loop action's stays with the host that ran it
      const applyTo = isRunOnce && !bypass ? hosts : [host];
      if (outcome.status === 'ok' || outcome.status === 'changed') {
        const failedBefore = outcome.result.failed;
        this.applyInventoryChanges(host.name, outcome.result, (item) => runner.resultRules(item, itemScope(runner.scopeFor(host.name), item, task), host.name));
        outcome.status = outcome.result.changed === true ? 'changed' : 'ok';
        // A failed_when that now holds reaches the registered result only: Ansible has already
        // decided the task's status and shows it as it was.
        if (outcome.shown === outcome.result) outcome.shown = { ...outcome.result, failed: failedBefore };
        else outcome.shown.changed = outcome.result.changed;
      }
      for (const h of applyTo) this.record(task, h, outcome);
      this.report(info, host, outcome);
      this.count(task, frame, host, outcome);
      if (outcome.status === 'failed' && !outcome.ignored) anyFatal = true;
    }
    if (anyFatal) this.anyErrorsFatal(task, frame);
    this.checkMaxFailPercentage(first);
  }

  /** A host failed `task`: under any_errors_fatal (outside a rescuable block) the play stops. */
  private anyErrorsFatal(task: Task, frame: Frame): void {
    const aef = nearest(frame, task, 'any_errors_fatal');
    if (aef === undefined || !toBool(aef) || frame.rescuable || frame.alwaysPending) return;
    // Ansible fails every host still running (stats untouched), says so, and the playbook stops.
    for (const h of this.pc.hosts.values()) {
      if (!h.failed && !h.unreachable) {
        h.ended = true;
        h.failed = true;
      }
    }
    this.run.callback.noHostsRemaining();
  }

  /**
   * max_fail_percentage: once more than that share of the batch has failed, every host still
   * running is failed too (stats untouched) and the playbook stops, as Ansible's linear strategy does.
   */
  private checkMaxFailPercentage(first: HostRun | undefined): void {
    const mfp = this.pc.play.max_fail_percentage;
    if (mfp === undefined || mfp === null || !first) return;
    // templated like serial: with the extra vars
    const pct = Number(renderValue(mfp, { vars: plainVars(this.run.opts.extraVars) }));
    const batch = [...this.pc.hosts.values()];
    const failed = batch.filter((h) => h.failed).length;
    if (!(failed / batch.length > pct / 100)) return;
    for (const h of batch) {
      if (!h.failed && !h.unreachable && !h.ended) {
        h.failed = true;
        h.ended = true;
      }
    }
    this.run.callback.noHostsRemaining();
  }

  private report(info: ReturnType<TaskRunner['info']>, host: HostRun, o: TaskOutcome): void {
    const warnings = o.shown.warnings;
    if (Array.isArray(warnings)) for (const w of warnings) this.run.callback.warning(String(w));
    this.run.callback.hostResult({ host: host.name, delegatedTo: o.delegatedTo, delegatedHost: o.delegatedHost, task: info, status: o.status, result: o.shown, ignored: o.ignored });
  }

  /** Register, facts and handler notification for one host. */
  private record(task: Task, host: HostRun, o: TaskOutcome): void {
    const hf = this.run.vars.factsOf(host.name);
    const r = o.result;
    if (task.register) storeRegistered(hf, task.register, r);
    if (o.status === 'failed' || o.status === 'unreachable' || o.status === 'skipped') return;
    // delegate_facts: facts (gathered or set_fact) belong to the delegated host, not this one
    const delegateFacts = (task as KeywordExtras).delegate_facts;
    const factsOwner = o.delegatedTo && delegateFacts !== undefined && toBool(delegateFacts) ? o.delegatedTo : host.name;
    const factsHost = this.run.vars.factsOf(factsOwner);
    // debug of `ansible_facts` shows facts; it does not set them (Ansible's _ACTION_DEBUG)
    const def = this.run.modules.get(task.action);
    const items = def?.resultIsMessage ? [] : Array.isArray(r.results) ? (r.results as Record<string, unknown>[]) : [r];
    let cached = false;
    for (const item of items) {
      const facts = item.ansible_facts as Record<string, unknown> | undefined;
      if (!facts || item.failed || item.skipped) continue;
      const layer = def?.factsLayer ?? 'facts';
      if (layer === 'includeVars') combineInto(factsHost[layer], facts);
      else if (layer === 'setFacts') storeSetFacts(factsHost, facts);
      // set_fact cacheable: the facts are host facts too (the fact cache, `ansible_facts`), as Ansible sets both
      if (layer === 'facts' || (layer === 'setFacts' && item._ansible_facts_cacheable === true)) {
        Object.assign(factsHost.facts, facts);
        cached = true;
      }
    }
    if (cached) this.run.vars.factsCached(factsOwner);
    if (r.changed === true) for (const n of task.notify) host.notified.add(String(n));
  }

  /** add_host / group_by results change the inventory; `changed` says whether they did. */
  private applyInventoryChanges(host: string, r: TaskOutcome['result'], rules: (item: Record<string, unknown>) => Record<string, unknown>): void {
    const looped = Array.isArray(r.results);
    const items = looped ? (r.results as Record<string, unknown>[]) : [r];
    let touched = false;
    for (const item of items) {
      const add = item.add_host as { host_name: string; groups: string[]; host_vars: Record<string, unknown> } | undefined;
      if (add && !item.failed && !item.skipped) item.changed = this.run.inventory.addDynamicHost(add.host_name, add.groups, add.host_vars);
      else if (typeof item.add_group === 'string' && !item.failed && !item.skipped) {
        item.changed = this.run.inventory.addDynamicGroup(host, item.add_group, (item.parent_groups as string[] | undefined) ?? []);
      } else continue;
      touched = true;
      // Ansible's strategy evaluates changed_when/failed_when again on what the inventory did
      Object.assign(item, rules(item));
    }
    if (!touched) return;
    if (looped) r.changed = items.some((i) => i.changed === true);
    this.run.vars.inventoryChanged();
  }

  private count(task: Task, frame: Frame, host: HostRun, o: TaskOutcome): void {
    const stats = this.run.stats;
    switch (o.status) {
      case 'unreachable':
        if (o.ignored) {
          stats.increment(host.name, 'ok');
          stats.increment(host.name, 'ignored');
          return;
        }
        stats.increment(host.name, 'unreachable');
        host.unreachable = true;
        this.pc.playVars.removed?.add(host.name);
        return;
      case 'failed':
        if (o.ignored) {
          stats.increment(host.name, 'ok');
          stats.increment(host.name, 'ignored');
          if (o.result.changed === true) stats.increment(host.name, 'changed');
          return;
        }
        host.failed = true;
        host.failedFinal = !frame.rescuable && !frame.alwaysPending;
        if (!frame.rescuable) this.pc.playVars.removed?.add(host.name);
        if (frame.rescuable) {
          stats.increment(host.name, 'rescued');
          const hf = this.run.vars.factsOf(host.name);
          storeRegistered(hf, 'ansible_failed_result', o.result);
          storeRegistered(hf, 'ansible_failed_task', { name: task.name ?? task.action, action: task.action, path: formatPos(task.pos) });
        } else stats.increment(host.name, 'failures');
        return;
      case 'skipped':
        stats.increment(host.name, 'skipped');
        return;
      default:
        if (o.status === 'changed') stats.increment(host.name, 'changed');
        stats.increment(host.name, 'ok');
    }
  }

  private runMeta(task: Task, hosts: HostRun[], frame: Frame): Promise<void> {
    return runMeta(this.pc, task, hosts, frame, {
      flushHandlers: (only) => this.flushHandlers(only),
      // Ansible clears the facts of every host of the play, not only of those still running
      clearFacts: () => {
        for (const h of this.pc.hosts.values()) this.run.vars.clearFacts(h.name);
      },
      clearHostErrors: () => {
        for (const h of this.pc.hosts.values()) {
          if (h.failed && h.failedFinal) h.ended = true;
          // Ansible forgets unreachable hosts too: the rest of this play and the next try them again
          h.unreachable = false;
          h.failed = false;
          h.failedFinal = false;
          h.includeFailed = false;
          this.run.stats.failedHosts.delete(h.name);
        }
        this.pc.errorsCleared = (this.pc.errorsCleared ?? 0) + 1;
      },
      endHosts: (what, acting) => {
        for (const h of what === 'end_host' ? acting : this.pc.hosts.values()) h.ended = true;
        if (what === 'end_host') for (const h of acting) this.pc.playVars.removed?.add(h.name);
        // end_play under serial ends the whole play, not only this batch (end_batch does that)
        if (what === 'end_play') this.pc.playEnded = true;
      },
      refreshInventory: () => {
        this.run.inventory.refresh?.();
        this.run.vars.inventoryChanged();
        // hosts the sources no longer have leave the play (Ansible's hosts left come from the inventory)
        for (const h of this.pc.hosts.values()) if (!this.run.inventory.hostNames.includes(h.name)) h.ended = true;
      },
    });
  }

  /**
   * include_tasks / include_role: decided per host (and per loop item) at run time. Once every
   * host has reported, the includes are loaded in the order they were first asked for (Ansible's
   * included files); one that cannot be loaded fails its hosts, the others go on. The n-th
   * include of every host runs in one round; hosts that include the same file run it together.
   */
  private async runInclude(task: Task, hosts: HostRun[], frame: Frame): Promise<void> {
    const runner = new TaskRunner(this.pc, task, frame);
    const info = runner.info(hosts[0]?.name);
    this.run.callback.taskStart(info);
    const files: IncludedFile[] = [];
    let failedAny = false;
    for (const host of hosts) {
      let expanded: HostIncludes;
      try {
        expanded = expandInclude(this.pc, runner, task, frame, host, info);
      } catch (err) {
        if (err instanceof IncludeDepthError) throw err;
        // A task file that does not parse ends the run, as Ansible's AnsibleParserError does (exit 4).
        if (err instanceof ConfigError && task.action !== 'include_role') throw err;
        if (task.action === 'include_role') this.roleNotLoaded(info, task, frame, host, err);
        else this.fail(info, task, frame, host, err);
        failedAny = true;
        continue;
      }
      const { isLoop, itemResults, outcomes } = expanded;
      if (outcomes.length === 0) {
        const skipped = !isLoop
          ? { changed: false, skipped: true, skip_reason: 'Conditional result was False' }
          : itemResults.length
            ? { changed: false, skipped: true, msg: 'All items skipped', results: itemResults }
            : { changed: false, skipped: true, skipped_reason: 'No items in the list', results: itemResults };
        this.report(info, host, { result: skipped, shown: skipped, status: 'skipped', ignored: false });
        this.run.stats.increment(host.name, 'skipped');
        continue;
      }
      const included = isLoop ? { changed: false, msg: 'All items completed', results: itemResults } : { changed: false, ...itemResults[0] };
      this.report(info, host, { result: included, shown: included, status: 'ok', ignored: false });
      for (const o of outcomes) addIncluded(files, host, o);
    }
    const perHost = new Map<HostRun, IncludeInstance[]>();
    const failed = new Set<HostRun>();
    for (const f of files) {
      if (f.error === undefined) {
        for (const { host, inst } of f.hosts) if (inst) perHost.set(host, [...(perHost.get(host) ?? []), inst]);
        // ansible-core 2.14 counts "ok" once per file an include_tasks loads, and never for include_role.
        if (task.action === 'include_role') continue;
        for (const { host } of f.hosts) this.run.stats.increment(host.name, 'ok');
        const path = f.hosts[0].inst?.path;
        if (path !== undefined) this.run.callback.included?.(path, f.hosts.map((h) => h.host.name), f.label);
        continue;
      }
      failedAny = true;
      for (const { host } of f.hosts) failed.add(host);
      // Ansible prints a role it cannot load once, whichever hosts asked for it; a task file fails each host
      if (task.action === 'include_role') this.run.callback.error(errorText(f.error), (f.error instanceof TsrunError ? f.error.pos : undefined) ?? task.pos);
      else for (const { host } of f.hosts) this.includeNotLoaded(info, task, host, f.error);
    }
    for (const host of failed) this.failIncluding(host, frame, perHost);
    if (failedAny) this.anyErrorsFatal(task, frame);
    const rounds = Math.max(0, ...[...perHost.values()].map((l) => l.length));
    for (let r = 0; r < rounds; r++) {
      const groups = new Map<string, { inst: IncludeInstance; hosts: HostRun[] }>();
      for (const [host, list] of perHost) {
        const inst = list[r];
        if (!inst) continue;
        const g = groups.get(inst.key) ?? { inst, hosts: [] };
        g.hosts.push(host);
        groups.set(inst.key, g);
      }
      for (const { inst, hosts: groupHosts } of groups.values()) {
        for (const h of inst.handlers) if (!this.pc.handlers.includes(h)) this.pc.handlers.push(h);
        await this.runList(inst.items, groupHosts, inst.frame);
      }
    }
    // hosts with a rescue or always to go to fail only now, after what did load ran: it runs first there in Ansible
    for (const host of failed) this.markFailed(host, frame);
  }

  /** A task file of include_tasks that is not there: that host fails, counted, as Ansible's _load_included_file does. */
  private includeNotLoaded(info: ReturnType<TaskRunner['info']>, task: Task, host: HostRun, err: unknown): void {
    const result = { failed: true, changed: false, msg: withTaskPos(errorText(err), task) };
    this.report(info, host, { result, shown: result, status: 'failed', ignored: false });
    this.run.stats.increment(host.name, 'failures');
  }

  /**
   * A host an include failed for. Ansible inserts what did load into the rescue or always section
   * the host goes to (so it runs first there), and never into the task list of a host with
   * neither; it sets no ansible_failed_result, and a rescue clears a counted failure's exit status.
   */
  private failIncluding(host: HostRun, frame: Frame, perHost: Map<HostRun, IncludeInstance[]>): void {
    if (frame.rescuable) this.run.stats.failedHosts.delete(host.name);
    else this.run.stats.failedHosts.add(host.name);
    host.includeFailed = true;
    if (frame.rescuable || frame.alwaysPending) return;
    perHost.delete(host);
    this.markFailed(host, frame);
  }

  private markFailed(host: HostRun, frame: Frame): void {
    host.failed = true;
    host.failedFinal = !frame.rescuable && !frame.alwaysPending;
    if (!frame.rescuable) this.pc.playVars.removed?.add(host.name);
  }

  private fail(info: ReturnType<TaskRunner['info']>, task: Task, frame: Frame, host: HostRun, err: unknown): void {
    const result = { failed: true, changed: false, msg: withTaskPos(errorText(err), task) };
    const outcome: TaskOutcome = { result, shown: result, status: 'failed', ignored: false };
    this.report(info, host, outcome);
    this.count(task, frame, host, outcome);
  }

  /**
   * include_role whose role cannot be loaded: Ansible has already reported the include as ok,
   * then prints the error and fails the host without counting a failure (the recap may not
   * even list it), and the run exits 2 unless a rescue section catches it.
   */
  private roleNotLoaded(info: ReturnType<TaskRunner['info']>, task: Task, frame: Frame, host: HostRun, err: unknown): void {
    // Ansible's include_role result echoes the task's arguments as written
    const result = { changed: false, include_args: { ...task.args } };
    this.report(info, host, { result, shown: result, status: 'ok', ignored: false });
    // Ansible prints the bare message here; the position (the role file's, or the include's) is tsrun's addition.
    this.run.callback.error(errorText(err), (err instanceof TsrunError ? err.pos : undefined) ?? task.pos);
    this.markFailed(host, frame);
    // a rescue block catches this as any failure (the run exits 0); otherwise the host is out
    if (!frame.rescuable) this.run.stats.failedHosts.add(host.name);
  }

  /** Runs notified handlers once per host, in the order they are defined. */
  async flushHandlers(only?: HostRun[]): Promise<void> {
    const hostList = only ?? [...this.pc.hosts.values()];
    const force = this.pc.play.force_handlers !== undefined && toBool(this.pc.play.force_handlers);
    const ran: [HostRun, Set<string>][] = [];
    const byName = handlerByName(this.pc.handlers);
    for (const handler of this.pc.handlers) {
      // a name notifies one handler (handlerByName); a listen topic every handler listening to it
      const names = new Set<string>([...nameCandidates(handler).filter((n) => byName.get(n) === handler), ...handler.listen]);
      const hosts = hostList.filter((h) => (force ? !h.unreachable : isActive(h)) && [...names].some((n) => h.notified.has(n)));
      if (hosts.length === 0) continue;
      const frame: Frame = { chain: [this.pc.play], role: handler.role, blockVars: [], tags: [], when: [], isHandler: true, rescuable: false };
      // --step: a handler declined stays notified, so the next flush asks again (as Ansible does).
      if (this.run.stepper.asks && !(await this.run.stepper.admits(taskInfo(this.pc, handler, frame).name, true))) continue;
      // every handler listening to a topic runs, so notifications are cleared only after the pass
      for (const h of hosts) ran.push([h, names]);
      await this.runTask(handler, hosts, frame);
    }
    for (const [h, names] of ran) for (const n of names) h.notified.delete(n);
  }
}

function nameCandidates(handler: Task): string[] {
  if (!handler.name) return [];
  return handler.role ? [handler.name, `${handler.role.name} : ${handler.name}`] : [handler.name];
}

/**
 * Which handler a notification by name reaches (Ansible 2.14's search_handler_blocks_by_name):
 * the handler blocks are searched last first (the play's own handlers after the roles', each
 * role's handlers one block), and within a block the first handler with that name wins.
 */
function handlerByName(handlers: readonly Task[]): Map<string, Task> {
  const blocks = new Map<string, Task[]>();
  for (const h of handlers) {
    const key = h.role ? `role\u0000${h.role.path}\u0000${h.role.name}` : 'play';
    blocks.set(key, [...(blocks.get(key) ?? []), h]);
  }
  const out = new Map<string, Task>();
  for (const block of [...blocks.values()].reverse()) {
    for (const h of block) for (const n of nameCandidates(h)) if (!out.has(n)) out.set(n, h);
  }
  return out;
}

/** `throttle: N` lets at most N hosts run the task at once (within forks); 0 or unset: no limit. */
/** `scope` is asked for only when the task has a throttle: building one costs as much as a small task's own work. */
function throttle(value: unknown, scope: () => Parameters<typeof renderValue>[1]['vars']): <T>(fn: () => Promise<T>) => Promise<T> {
  const n = value === undefined ? 0 : Number(renderValue(value, { vars: scope() }));
  if (!(n > 0)) return (fn) => fn();
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    while (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await fn();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/** A host's scope with a loop item's variables (loop_var, index_var, ansible_loop) from its result. */
function itemScope(scope: ReturnType<TaskRunner['scopeFor']>, item: Record<string, unknown>, task: Task): ReturnType<TaskRunner['scopeFor']> {
  const loopVar = item.ansible_loop_var;
  if (typeof loopVar !== 'string') return scope;
  const values: Record<string, unknown> = { [loopVar]: item[loopVar] };
  const indexVar = task.loop_control?.index_var;
  if (indexVar && indexVar in item) values[indexVar] = item[indexVar];
  if ('ansible_loop' in item) values.ansible_loop = item.ansible_loop;
  return scope.with({ name: 'loop', values, templated: false });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** tsrun's task failures name the task's file:line, where Ansible's message has no position. */
function withTaskPos(text: string, task: Task): string {
  const where = formatPos(task.pos);
  return where && !text.includes(where) ? `${text}. The error appears to be in task '${task.name ?? task.action}' at '${where}'` : text;
}

export function rootFrame(pc: PlayContext): Frame {
  return { chain: [pc.play], blockVars: [], tags: [...pc.play.tags], when: [...pc.play.when], isHandler: false, rescuable: false };
}

export { searchPath, taskInfo };
