import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { loadRoleTasks, loadTaskFile } from '../playbook/index.js';
import type { Block, Task, TaskItem } from '../playbook/types.js';
import { evaluateCondition, renderValue } from '../template/index.js';
import { formatPos } from '../util/errors.js';
import type { Frame } from './frame.js';
import { enter, nearest } from './frame.js';
import type { HostRun, PlayContext } from './run-context.js';
import { isActive } from './run-context.js';
import { tagsSelect } from './tags.js';
import { searchPath, taskInfo, TaskRunner, toBool, type TaskOutcome } from './task-runner.js';

const INCLUDE_ACTIONS = new Set(['include_tasks', 'include_role', 'include']);

/**
 * Ansible's linear strategy: every task runs on all active hosts (in parallel, up to forks)
 * before the next task starts; blocks send failed hosts to rescue and everyone through always.
 */
export class PlayRunner {
  constructor(private readonly pc: PlayContext) {}

  private get run() {
    return this.pc.run;
  }

  active(hosts: HostRun[]): HostRun[] {
    return hosts.filter(isActive);
  }

  async runList(items: TaskItem[], hosts: HostRun[], frame: Frame): Promise<void> {
    for (const item of items) {
      if (this.run.signal.aborted) return;
      const active = this.active(hosts);
      if (active.length === 0) return;
      if (item.kind === 'block') await this.runBlock(item, active, frame);
      else await this.runTask(item, active, frame);
    }
  }

  private async runBlock(block: Block, hosts: HostRun[], frame: Frame): Promise<void> {
    const inner = enter(frame, block, { role: block.role, rescuable: block.rescue.length > 0 || frame.rescuable });
    await this.runList(block.block, hosts, inner);
    if (block.rescue.length > 0) {
      const toRescue = hosts.filter((h) => h.failed && !h.unreachable && !h.ended);
      for (const h of toRescue) h.failed = false;
      if (toRescue.length) await this.runList(block.rescue, toRescue, enter(frame, block, { role: block.role }));
    }
    if (block.always.length > 0) {
      const failedBefore = new Set(hosts.filter((h) => h.failed).map((h) => h.name));
      const everyone = hosts.filter((h) => !h.unreachable && !h.ended);
      for (const h of everyone) h.failed = false;
      await this.runList(block.always, everyone, enter(frame, block, { role: block.role }));
      for (const h of everyone) if (failedBefore.has(h.name)) h.failed = true;
    }
  }

  private selected(task: Task, frame: Frame): boolean {
    const tags = [...frame.tags, ...task.tags];
    return tagsSelect(tags, { only: this.run.opts.tags, skip: this.run.opts.skipTags });
  }

  async runTask(task: Task, hosts: HostRun[], frame: Frame): Promise<void> {
    if (!frame.isHandler && !this.selected(task, frame)) return;
    if (task.action === 'meta') return this.runMeta(task, hosts, frame);
    if (INCLUDE_ACTIONS.has(task.action)) return this.runInclude(task, hosts, frame);
    const runner = new TaskRunner(this.pc, task, frame);
    const info = runner.info();
    this.run.callback.taskStart(info);
    const runOnce = nearest(frame, task, 'run_once');
    const first = hosts[0];
    const isRunOnce = runOnce !== undefined && toBool(renderValue(runOnce, { vars: runner.scopeFor(first.name) }));
    const targets = isRunOnce ? [first] : hosts;
    const outcomes = await Promise.all(targets.map((h) => this.run.limit(() => runner.runFor(h.name)).then((o) => [h, o] as const)));
    let anyFatal = false;
    for (const [host, outcome] of outcomes) {
      const applyTo = isRunOnce ? hosts : [host];
      for (const h of applyTo) this.record(task, h, outcome);
      this.report(info, host, outcome);
      this.count(task, frame, host, outcome);
      if (outcome.status === 'failed' && !outcome.ignored) anyFatal = true;
    }
    if (anyFatal) {
      const aef = nearest(frame, task, 'any_errors_fatal');
      if (aef !== undefined && toBool(aef) && !frame.rescuable) {
        for (const h of this.pc.hosts.values()) if (!h.failed && !h.unreachable) h.ended = true;
      }
    }
  }

  private report(info: ReturnType<TaskRunner['info']>, host: HostRun, o: TaskOutcome): void {
    this.run.callback.hostResult({ host: host.name, delegatedTo: o.delegatedTo, task: info, status: o.status, result: o.shown, ignored: o.ignored });
  }

  /** Register, facts and handler notification for one host. */
  private record(task: Task, host: HostRun, o: TaskOutcome): void {
    const hf = this.run.vars.factsOf(host.name);
    const r = o.result;
    if (task.register) hf.setFacts[task.register] = r;
    if (o.status === 'failed' || o.status === 'unreachable' || o.status === 'skipped') return;
    const items = Array.isArray(r.results) ? (r.results as Record<string, unknown>[]) : [r];
    for (const item of items) {
      const facts = item.ansible_facts as Record<string, unknown> | undefined;
      if (!facts || item.failed || item.skipped) continue;
      if (task.action === 'set_fact') Object.assign(hf.setFacts, facts);
      else if (task.action === 'include_vars') Object.assign(hf.includeVars, facts);
      else Object.assign(hf.facts, facts);
    }
    if (r.changed === true) for (const n of task.notify) host.notified.add(String(n));
  }

  private count(task: Task, frame: Frame, host: HostRun, o: TaskOutcome): void {
    const stats = this.run.stats;
    switch (o.status) {
      case 'unreachable':
        stats.increment(host.name, 'unreachable');
        host.unreachable = true;
        return;
      case 'failed':
        if (o.ignored) {
          stats.increment(host.name, 'ok');
          stats.increment(host.name, 'ignored');
          if (o.result.changed === true) stats.increment(host.name, 'changed');
          return;
        }
        host.failed = true;
        if (frame.rescuable) {
          stats.increment(host.name, 'rescued');
          const hf = this.run.vars.factsOf(host.name);
          hf.setFacts.ansible_failed_result = o.result;
          hf.setFacts.ansible_failed_task = { name: task.name ?? task.action, action: task.action, path: formatPos(task.pos) };
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

  private async runMeta(task: Task, hosts: HostRun[], frame: Frame): Promise<void> {
    const what = String(task.args._raw_params ?? task.args.action ?? '').trim();
    switch (what) {
      case 'flush_handlers':
        return this.flushHandlers();
      case 'end_play':
        for (const h of this.pc.hosts.values()) h.ended = true;
        return;
      case 'end_host': {
        const runner = new TaskRunner(this.pc, task, frame);
        for (const h of hosts) {
          const scope = runner.scopeFor(h.name);
          const conds = [...frame.when, ...task.when];
          if (conds.every((c) => evaluateCondition(c, { vars: scope }))) h.ended = true;
        }
        return;
      }
      case 'clear_facts':
        for (const h of hosts) this.run.vars.factsOf(h.name).facts = {};
        return;
      case 'clear_host_errors':
        for (const h of this.pc.hosts.values()) h.failed = false;
        return;
      case 'noop':
      case 'refresh_inventory':
      case 'reset_connection':
      case 'end_batch':
        return;
      default:
        this.run.callback.warning(`meta: '${what}' is not supported (${formatPos(task.pos)})`);
    }
  }

  /** include_tasks / include_role: decided per host at run time; hosts that include the same file run it together. */
  private async runInclude(task: Task, hosts: HostRun[], frame: Frame): Promise<void> {
    const runner = new TaskRunner(this.pc, task, frame);
    const info = runner.info();
    this.run.callback.taskStart(info);
    const groups = new Map<string, { hosts: HostRun[]; items: TaskItem[]; handlers: Task[]; frame: Frame }>();
    const order: string[] = [];
    for (const host of hosts) {
      const scope = runner.scopeFor(host.name);
      let include: boolean;
      try {
        include = [...frame.when, ...task.when].every((c) => evaluateCondition(c, { vars: scope }));
      } catch (err) {
        this.fail(info, task, frame, host, err);
        continue;
      }
      if (!include) {
        const skipped = { changed: false, skipped: true, skip_reason: 'Conditional result was False' };
        this.report(info, host, { result: skipped, shown: skipped, status: 'skipped', ignored: false });
        this.run.stats.increment(host.name, 'skipped');
        continue;
      }
      try {
        const args = renderValue(task.args, { vars: scope }) as Record<string, unknown>;
        const includeVars = (args.vars as Record<string, unknown> | undefined) ?? {};
        const childFrame: Frame = { ...enter(frame, task), blockVars: [...frame.blockVars, task.vars, includeVars] };
        let key: string;
        let items: TaskItem[];
        let handlers: Task[] = [];
        let f = childFrame;
        if (task.action === 'include_role') {
          const name = String(args.name ?? args._raw_params);
          key = `role:${name}:${String(args.tasks_from ?? 'main')}:${JSON.stringify(includeVars)}`;
          const loaded = loadRoleTasks(name, {
            baseDir: task.baseDir, params: includeVars, tasksFrom: args.tasks_from as string | undefined, opts: this.run.loader,
            parents: (task.role ?? frame.role) ? [(task.role ?? frame.role)!] : [],
          });
          items = loaded.tasks;
          handlers = loaded.handlers;
          f = { ...childFrame, role: loaded.role };
        } else {
          const file = String(args.file ?? args._raw_params);
          const role = task.role ?? frame.role;
          const candidates = isAbsolute(file) ? [file] : [...(role ? [join(role.path, 'tasks', file)] : []), join(task.baseDir, file), join(this.pc.playVars.playbookDir, file)];
          const path = candidates.find((c) => existsSync(c)) ?? candidates[0];
          key = `file:${path}:${JSON.stringify(includeVars)}`;
          items = loadTaskFile(path, { role, opts: this.run.loader });
        }
        const included = { changed: false, include: String(args.file ?? args.name ?? args._raw_params), include_args: includeVars };
        this.report(info, host, { result: included, shown: included, status: 'ok', ignored: false });
        let g = groups.get(key);
        if (!g) {
          g = { hosts: [], items, handlers, frame: f };
          groups.set(key, g);
          order.push(key);
        }
        g.hosts.push(host);
      } catch (err) {
        this.fail(info, task, frame, host, err);
      }
    }
    for (const key of order) {
      const g = groups.get(key)!;
      for (const h of g.handlers) if (!this.pc.handlers.includes(h)) this.pc.handlers.push(h);
      for (const h of g.hosts) this.run.stats.increment(h.name, 'ok');
      await this.runList(g.items, g.hosts, g.frame);
    }
  }

  private fail(info: ReturnType<TaskRunner['info']>, task: Task, frame: Frame, host: HostRun, err: unknown): void {
    const msg = `${err instanceof Error ? err.message : String(err)}`;
    const result = { failed: true, changed: false, msg };
    const outcome: TaskOutcome = { result, shown: result, status: 'failed', ignored: false };
    this.report(info, host, outcome);
    this.count(task, frame, host, outcome);
  }

  /** Runs notified handlers once per host, in the order they are defined. */
  async flushHandlers(): Promise<void> {
    const hostList = [...this.pc.hosts.values()];
    const force = this.pc.play.force_handlers !== undefined && toBool(this.pc.play.force_handlers);
    for (const handler of this.pc.handlers) {
      const names = new Set<string>([...(handler.name ? [handler.name] : []), ...handler.listen]);
      if (handler.role && handler.name) names.add(`${handler.role.name} : ${handler.name}`);
      const hosts = hostList.filter((h) => (force ? !h.unreachable : isActive(h)) && [...names].some((n) => h.notified.has(n)));
      if (hosts.length === 0) continue;
      for (const h of hosts) for (const n of names) h.notified.delete(n);
      const frame: Frame = { chain: [this.pc.play], role: handler.role, blockVars: [], tags: [], when: [], isHandler: true, rescuable: false };
      await this.runTask(handler, hosts, frame);
    }
  }
}

export function rootFrame(pc: PlayContext): Frame {
  return { chain: [pc.play], blockVars: [], tags: [...pc.play.tags], when: [...pc.play.when], isHandler: false, rescuable: false };
}

export { searchPath, taskInfo };
