import { randomInt } from 'node:crypto';
import { StartAt } from './start-at.js';
import { Stepper } from './step.js';
import { activeConfig } from '../config/index.js';
import pLimit from 'p-limit';
import type { Inventory } from '../inventory/index.js';
import type { ModuleDef } from '../modules/types.js';
import type { Callback } from '../output/events.js';
import type { Redactor } from '../output/redact.js';
import type { LoaderOptions } from '../playbook/index.js';
import type { Play, Playbook, Task } from '../playbook/types.js';
import { OMIT_TOKEN, renderValue } from '../template/index.js';
import { ConfigError, formatPos, TsrunError } from '../util/errors.js';
import { readYamlFile } from '../yaml/yaml.js';
import { combineVars, isPlainObject } from '../inventory/combine-vars.js';
import { pyStr } from '../util/python-repr.js';
import { searchFile } from '../util/file-search.js';
import { VariableManager, type PlayVars } from '../vars/manager.js';
import { plainVars } from '../vars/types.js';
import { reservedNames } from '../vars/reserved.js';
import { ConnectionCache } from './connections.js';
import type { RunOptions } from './options.js';
import { PlayRunner, rootFrame } from './play-runner.js';
import type { HostRun, PlayContext, RunContext } from './run-context.js';
import { shardHosts } from './shard.js';
import { RunStats } from '../output/stats.js';
import { toBool } from '../util/ansible-bool.js';

export const VERSION = '0.1.0';

export interface PlaybookRunResult {
  exitCode: number;
  stats: RunStats;
}

/** The play's `order:` of its hosts (inventory order unless asked otherwise). */
export function orderHosts(hosts: string[], order: unknown): string[] {
  switch (order) {
    case undefined:
    case null:
    case 'inventory':
      return hosts;
    case 'reverse_inventory':
      return [...hosts].reverse();
    case 'sorted':
      return [...hosts].sort();
    case 'reverse_sorted':
      return [...hosts].sort().reverse();
    case 'shuffle': {
      const out = [...hosts];
      for (let i = out.length - 1; i > 0; i--) {
        const j = randomInt(i + 1);
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    }
    default:
      throw new TsrunError(`Invalid play strategy specified: ${String(order)}`, { exitCode: 1 });
  }
}

/** Splits hosts into batches for `serial:` (a number, a percentage, or a list of those). */
export function serialBatches(hosts: string[], serial: unknown): string[][] {
  if (serial === undefined || serial === null || serial === 0 || serial === '0') return [hosts];
  const sizes = (Array.isArray(serial) ? serial : [serial]).map((s) => {
    const str = String(s).trim();
    const n = str.endsWith('%') ? Math.floor((hosts.length * Number.parseFloat(str)) / 100) : Number.parseInt(str, 10);
    return Math.max(1, Number.isFinite(n) ? n : hosts.length);
  });
  const out: string[][] = [];
  let i = 0;
  let k = 0;
  while (i < hosts.length) {
    const size = sizes[Math.min(k++, sizes.length - 1)];
    out.push(hosts.slice(i, i + size));
    i += size;
  }
  return out;
}

/** The play's gather_subset, gather_timeout and fact_path keywords become the fact module's arguments, as in Ansible. */
const GATHER_KEYWORDS = ['gather_subset', 'gather_timeout', 'fact_path'] as const;

function gatherFactsTask(play: Play, action: string): Task {
  const kw = play as Play & Partial<Record<(typeof GATHER_KEYWORDS)[number], unknown>>;
  const args = Object.fromEntries(GATHER_KEYWORDS.filter((k) => kw[k] !== undefined).map((k) => [k, kw[k]]));
  return {
    kind: 'task', name: 'Gathering Facts', action, args, when: [], tags: ['always'], vars: {}, environment: [],
    notify: [], changed_when: [], failed_when: [], listen: [], baseDir: play.baseDir, pos: play.pos,
  };
}

/** Runs a loaded playbook against an inventory; the caller owns output and exit. */
export class PlaybookRunner {
  private readonly ctx: RunContext;
  /** Hosts that failed or were unreachable are left out of later plays, as in Ansible. */
  private readonly outOfRun = new Set<string>();

  constructor(
    opts: RunOptions,
    inventory: Inventory,
    modules: ReadonlyMap<string, ModuleDef>,
    loader: LoaderOptions,
    callback: Callback,
    redactor: Redactor,
    signal: AbortSignal,
  ) {
    const limiter = pLimit(Math.max(1, opts.forks));
    this.ctx = {
      opts,
      inventory,
      vars: new VariableManager(inventory, opts.extraVars, {
        checkMode: opts.check, diffMode: opts.diff, verbosity: opts.verbosity, runTags: opts.tags.length ? opts.tags : ['all'], skipTags: opts.skipTags, version: VERSION,
      }),
      modules,
      loader,
      connections: new ConnectionCache(opts, opts.verbosity >= 4 ? (line) => callback.connectionDebug?.(line) : undefined),
      callback,
      stats: new RunStats(),
      redactor,
      signal,
      limit: (fn) => limiter(fn),
      startAt: new StartAt(opts.startAtTask),
      stepper: new Stepper(opts.step, (q) => callback.stepAnswered?.(q)),
    };
  }

  private shardSet?: Set<string>;

  /** Hosts a play targets: its pattern, narrowed by --limit and --shard, minus hosts already out. */
  selectHosts(play: Play, opts: { withOutOfRun?: boolean } = {}): string[] {
    const env = { vars: plainVars(this.ctx.opts.extraVars) };
    const pattern = String(renderValue(play.hosts, env));
    let hosts = this.ctx.inventory.selectHosts(pattern, { cwd: this.ctx.opts.cwd });
    if (this.ctx.opts.limit) {
      const allowed = new Set(this.ctx.inventory.selectHosts(this.ctx.opts.limit, { cwd: this.ctx.opts.cwd }));
      hosts = hosts.filter((h) => allowed.has(h));
    }
    if (this.ctx.opts.shard) {
      // Like a further --limit: the shard's share of the inventory's hosts.
      this.shardSet ??= shardHosts(this.ctx.inventory.hostNames, this.ctx.opts.shard);
      const mine = this.shardSet;
      hosts = hosts.filter((h) => mine.has(h));
    }
    return opts.withOutOfRun ? hosts : hosts.filter((h) => !this.outOfRun.has(h));
  }

  async run(playbook: Playbook): Promise<PlaybookRunResult> {
    // Ctrl-C: closing the connections ends the commands still running on the hosts.
    const onAbort = () => void this.ctx.connections.closeAll();
    this.ctx.signal.addEventListener('abort', onAbort, { once: true });
    this.ctx.callback.playbookStart?.(playbook.path, playbook.plays.length);
    try {
      for (const play of playbook.plays) {
        if (this.ctx.signal.aborted) break;
        // ansible-playbook stops at a play whose batch failed entirely.
        if (await this.runPlay(play, playbook)) break;
      }
    } finally {
      this.ctx.signal.removeEventListener('abort', onAbort);
      await this.ctx.connections.closeAll();
    }
    const interrupted = this.ctx.signal.aborted;
    // The run time (timer callback, run report) counts from process start (performance's time origin), loading included: the
    // operator waited for all of it.
    this.ctx.callback.playbookEnd(this.ctx.stats.toJSON(), performance.now(), interrupted);
    return { exitCode: interrupted ? 99 : this.ctx.stats.exitCode(), stats: this.ctx.stats };
  }

  private loadVarsFiles(play: Play, host: string, pv: PlayVars): Record<string, unknown> {
    let out: Record<string, unknown> = {};
    const scope = this.ctx.vars.scope(host, pv);
    for (const entry of play.vars_files) {
      const candidates = (Array.isArray(entry) ? entry : [entry]).map((e) => String(renderValue(e, { vars: scope })));
      let loaded = false;
      for (const c of candidates) {
        // vars_files are relative to the playbook only (Ansible's path_dwim, no vars/ subdir).
        const path = searchFile([play.baseDir], c).found;
        if (!path) continue;
        const data = readYamlFile(path);
        // Ansible's preprocess_vars: a mapping, or a list of mappings combined in order
        const items = data === null || data === undefined ? [] : Array.isArray(data) ? data : [data];
        if (!items.every(isPlainObject)) {
          throw new ConfigError(`variable files must contain either a dictionary of variables, or a list of dictionaries. Got: ${pyStr(data)}`, { file: path });
        }
        for (const item of items) out = combineVars(out, item);
        loaded = true;
        break;
      }
      if (!loaded) {
        const what = candidates.length === 1 ? `vars file ${candidates[0]} was not found` : `none of the vars files ${candidates.join(', ')} was found`;
        throw new TsrunError(`${what} (vars_files of the play)`, { pos: play.pos, exitCode: 1 });
      }
    }
    return out;
  }

  /** The play's strategy (keyword, else ansible.cfg / ANSIBLE_STRATEGY): linear, free or host_pinned. */
  private strategyOf(play: Play): 'linear' | 'free' | 'host_pinned' {
    const raw = play.strategy === undefined ? activeConfig().get<string>('DEFAULT_STRATEGY') : String(renderValue(play.strategy, { vars: plainVars(this.ctx.opts.extraVars) }));
    const name = raw.replace(/^ansible\.builtin\./, '');
    if (name === 'linear' || name === 'free' || name === 'host_pinned') return name;
    throw new TsrunError(`Invalid play strategy specified: ${raw} (tsrun has linear, free and host_pinned)`, { pos: play.pos, exitCode: 1 });
  }

  /** Runs one play; true when a batch ended with every host failed or unreachable. */
  private async runPlay(play: Play, playbook: Playbook): Promise<boolean> {
    const cb = this.ctx.callback;
    const name = play.name ? String(renderValue(play.name, { vars: plainVars(this.ctx.opts.extraVars) })) : play.hosts;
    const info = { id: `${formatPos(play.pos)}`, name, path: formatPos(play.pos) };
    // Play keywords are templated with the play's vars, extra vars and `omit` (an omitted keyword is unset)
    const playEnv = { vars: plainVars({ ...play.vars, ...this.ctx.opts.extraVars, omit: OMIT_TOKEN }) };
    const keyword = (v: unknown) => {
      const r = v === undefined ? undefined : renderValue(v, playEnv);
      return r === OMIT_TOKEN ? undefined : r;
    };
    const allHosts = this.selectHosts(play);
    // `order` decides the batches and the order hosts run in; ansible_play_hosts_all keeps the pattern's order
    const ordered = orderHosts(allHosts, keyword((play as Play & { order?: unknown }).order));
    // Ansible's warn_if_reserved, on the play's own variables (no host's), before the play starts
    if (allHosts.length > 0) {
      const names = [play.vars, ...play.roles.flatMap((r) => [r.defaults, r.vars]), this.ctx.opts.extraVars].flatMap((v) => Object.keys(v));
      for (const n of reservedNames(names)) cb.warning(`Found variable using reserved name: ${n}`);
    }
    cb.playStart(info);
    if (allHosts.length === 0) {
      cb.noHostsMatched(info);
      return false;
    }
    const serial = keyword(play.serial);
    const strategy = this.strategyOf(play);
    // ansible_play_hosts_all names hosts that failed in earlier plays too; they start out removed
    const removed = new Set(this.selectHosts(play, { withOutOfRun: true }).filter((h) => this.outOfRun.has(h)));
    const playHosts = removed.size ? this.selectHosts(play, { withOutOfRun: true }) : allHosts;
    for (const batch of serialBatches(ordered, serial)) {
      if (this.ctx.signal.aborted) return false;
      const playVars: PlayVars = {
        // Ansible sets the loader basedir per play: an imported playbook's plays see their own directory
        playbookDir: play.baseDir, playName: name, playHosts, batch, roles: play.roles, vars: play.vars, varsFiles: new Map(), removed,
      };
      const hosts = new Map<string, HostRun>(batch.map((h) => [h, { name: h, failed: false, unreachable: false, ended: false, notified: new Set() }]));
      const pc: PlayContext = { run: this.ctx, play, playVars, hosts, handlers: [...play.handlers], taskCounter: { n: 0 },
        includedRoles: { seenRoles: new Map(), roles: [], roleHandlers: [], vars: {} }, freeStrategy: strategy !== 'linear' };
      const runner = new PlayRunner(pc);
      const hostList = [...hosts.values()];
      // A vars file (or group_vars) that cannot be read or parsed ends the run, as in Ansible.
      for (const h of hostList) playVars.varsFiles.set(h.name, this.loadVarsFiles(play, h.name, playVars));
      const frame = rootFrame(pc);
      const gatherKw = keyword(play.gather_facts);
      const gather = gatherKw === undefined ? true : toBool(gatherKw);
      const gatherer = [...this.ctx.modules.values()].find((m) => m.gathersFacts);
      if (gather && gatherer) await runner.runTask(gatherFactsTask(play, gatherer.name), runner.active(hostList), frame);
      const sections = [play.pre_tasks, [...play.role_tasks, ...play.tasks], play.post_tasks];
      if (strategy === 'linear') {
        for (const section of sections) {
          await runner.runList(section, hostList, frame);
          if (this.ctx.signal.aborted) break;
          await runner.flushHandlers();
        }
      } else {
        // free / host_pinned: each host goes through the task list on its own, without waiting for
        // the others; host_pinned keeps at most `forks` hosts going at once
        const hostsAtOnce = pLimit(strategy === 'host_pinned' ? Math.max(1, this.ctx.opts.forks) : Math.max(1, hostList.length));
        await Promise.all(
          hostList.map((h) =>
            hostsAtOnce(async () => {
              for (const section of sections) {
                await runner.runList(section, [h], frame);
                if (this.ctx.signal.aborted) return;
                await runner.flushHandlers([h]);
              }
            }),
          ),
        );
      }
      for (const h of hostList) if (h.failed || h.unreachable || h.includeFailed) this.outOfRun.add(h.name);
      // meta: end_play ends the play for every batch still to come, not just this one
      if (pc.playEnded) break;
      if (hostList.every((h) => h.failed || h.unreachable || h.includeFailed)) return true;
      if (hostList.some((h) => h.ended && !h.failed) && hostList.every((h) => h.ended || h.failed || h.unreachable) && play.any_errors_fatal) break;
    }
    return false;
  }
}
