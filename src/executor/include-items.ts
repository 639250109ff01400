import type { Task } from '../playbook/types.js';
import type { TaskInfo } from '../output/events.js';
import { isTemplated, renderValue } from '../template/index.js';
import { ConfigError, type SourcePos } from '../util/errors.js';
import { pyStr } from '../util/python-repr.js';
import type { Frame } from './frame.js';
import { IncludeDepthError, resolveInclude, type IncludeInstance } from './includes.js';
import { extendedLoopVars, loopItems, loopVarNames } from './loop.js';
import type { HostRun, PlayContext } from './run-context.js';
import { searchPath, type TaskRunner } from './task-runner.js';

/** One include a host's include task asked for (one per loop item that ran): loaded, or why not. */
export interface IncludeOutcome {
  /** Ansible's IncludedFile identity: hosts whose outcomes share it are reported together. */
  key: string;
  label?: string;
  /** What failed to load (a missing task file or role); the host fails, the others go on. */
  error?: unknown;
  inst?: IncludeInstance;
}

export interface HostIncludes {
  isLoop: boolean;
  /** The include task's own result per item (Ansible's task executor loads nothing: all are ok). */
  itemResults: Record<string, unknown>[];
  outcomes: IncludeOutcome[];
}

/**
 * What one host's include_tasks / include_role asks for, item by item: the condition, the
 * arguments, then the file or role itself. A file or role that cannot be loaded fails that item
 * only, as Ansible loads every included file before it fails the hosts; anything else (the loop,
 * a condition or argument that cannot be templated) throws and fails the whole task.
 */
export function expandInclude(pc: PlayContext, runner: TaskRunner, task: Task, frame: Frame, host: HostRun, info: TaskInfo): HostIncludes {
  const scope = runner.scopeFor(host.name);
  const paths = searchPath(task, frame, pc.playVars.playbookDir);
  const isLoop = task.loop !== undefined;
  const itemResults: Record<string, unknown>[] = [];
  const outcomes: IncludeOutcome[] = [];
  const lc = task.loop_control ?? {};
  const { loopVar, indexVar } = loopVarNames(lc, scope);
  const items = isLoop ? loopItems(task, scope, paths).items : [undefined];
  items.forEach((item, i) => {
    const loopVars: Record<string, unknown> = isLoop ? { [loopVar]: item, ansible_loop_var: loopVar, ...(indexVar ? { [indexVar]: i } : {}) } : {};
    // ansible_loop is visible to the include's arguments and its tasks, not part of its result
    const scopeVars = isLoop && lc.extended ? { ...loopVars, ansible_loop: extendedLoopVars(items, i, lc) } : loopVars;
    const itemScope = scope.with({ name: 'loop', values: scopeVars, templated: false });
    const nativeLabel = isLoop ? (lc.label !== undefined ? renderValue(lc.label, { vars: itemScope }) : item) : undefined;
    const label = isLoop ? pyStr(nativeLabel) : undefined;
    if (![...frame.when, ...task.when].every((c) => runner.condition(c, itemScope, host.name))) {
      if (label !== undefined) {
        const skippedItem = { changed: false, skipped: true, skip_reason: 'Conditional result was False', ...loopVars, _ansible_item_label: nativeLabel };
        itemResults.push(skippedItem);
        // Ansible prints skipped items of a looped include (but not included ones).
        pc.run.callback.itemResult({ host: host.name, task: info, status: 'skipped', result: skippedItem, ignored: false, label });
      }
      return;
    }
    // lookups in the include's arguments (first_found...) search like the task's own
    const args = renderValue(task.args, { vars: itemScope, searchPath: paths }) as Record<string, unknown>;
    const target = String(task.action === 'include_role' ? (args.name ?? args._raw_params) : (args.file ?? args._raw_params));
    let inst: IncludeInstance | undefined;
    let error: unknown;
    try {
      inst = { ...resolveInclude(pc, task, frame, args, scopeVars, task.action === 'include_role' ? roleNamePos(task, loopVar, i) : undefined), label };
    } catch (err) {
      // A task file that does not parse ends the run, as Ansible's AnsibleParserError does (exit 4).
      if (err instanceof IncludeDepthError || (err instanceof ConfigError && task.action !== 'include_role')) throw err;
      error = err;
    }
    const includeVars = (args.vars as Record<string, unknown> | undefined) ?? {};
    outcomes.push({ key: JSON.stringify([inst?.path ?? target, args, loopVars]), label, error, inst });
    // Ansible's include_role result echoes the task's arguments as written; include_tasks names the file.
    const what = task.action === 'include_role' ? { include_args: { ...task.args } } : { include: target, include_args: includeVars };
    itemResults.push({ ...what, ...loopVars, ...(isLoop ? { _ansible_item_label: nativeLabel } : {}) });
  });
  return { isLoop, itemResults, outcomes };
}

/**
 * Where the role name an include_role gets was written, as Ansible's error for a role not found
 * shows it: the `name:` text when it is no template, the loop item when it is `{{ <loop var> }}`
 * over a literal list (Ansible's templating hands that very YAML string on). Otherwise Ansible
 * prints the bare message; tsrun names the task.
 */
function roleNamePos(task: Task, loopVar: string, index: number): SourcePos | undefined {
  const raw = task.args.name;
  if (typeof raw !== 'string') return undefined;
  if (!isTemplated(raw)) return task.roleNamePos?.name;
  const m = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(raw);
  return m?.[1] === loopVar ? task.roleNamePos?.items?.[index] : undefined;
}

/** Ansible's included files: one per distinct include, with the hosts that asked for it, in the order they were first asked for. */
export interface IncludedFile {
  key: string;
  label?: string;
  error?: unknown;
  /** The hosts, each with its own instance (its variables) when the include loaded. */
  hosts: { host: HostRun; inst?: IncludeInstance }[];
}

/**
 * Adds a host's outcome to the list: to the first entry with its key that does not hold the host
 * yet (a host that includes the same thing twice gets a second entry), as Ansible's
 * process_include_results does.
 */
export function addIncluded(files: IncludedFile[], host: HostRun, o: IncludeOutcome): void {
  const found = files.find((f) => f.key === o.key && !f.hosts.some((h) => h.host === host));
  if (found) {
    found.hosts.push({ host, inst: o.inst });
    // the same include failing for one host fails it for all, as Ansible loads it once
    found.error ??= o.error;
  }
  else files.push({ key: o.key, label: o.label, error: o.error, hosts: [{ host, inst: o.inst }] });
}
