import { isTemplate } from './template-text.js';
import { lookupPlugin } from '../template/index.js';
import { ConfigError, type SourcePos } from '../util/errors.js';
import type { LoopControl, Task } from './types.js';
import type { LoadContext } from './context.js';
import { META_ACTIONS } from './actions.js';
import { commonKeywords, stringList, toList, VARIABLE_NAME } from './keywords.js';
import { keyPos, posOf, valuePos } from './source.js';
import { parseTaskAction, type ParsedAction } from './task-action.js';
import { validateKeywords } from './validate.js';
import { handlerSchema, includeRoleArgsSchema, includeTasksArgsSchema, taskSchema } from './schema/task.js';
import type { Schema } from './schema/common.js';
import { compileSchema } from './ajv.js';

function loopOf(ds: Record<string, unknown>): Pick<Task, 'loop' | 'loopKind'> {
  const loops = Object.keys(ds).filter((k) => k === 'loop' || k.startsWith('with_'));
  if (loops.length > 1) throw new ConfigError(`a task can have only one loop (found ${loops.join(' and ')})`, keyPos(ds, loops[1]));
  if (loops.length === 0) return {};
  const kind = loops[0];
  // with_<name> runs the lookup <name>, as in Ansible
  if (kind !== 'loop' && !lookupPlugin(kind.slice('with_'.length))) {
    throw new ConfigError(`'${kind}': there is no lookup named '${kind.slice('with_'.length)}'`, keyPos(ds, kind));
  }
  return { loop: ds[kind], loopKind: kind };
}

function loopControlOf(ds: Record<string, unknown>): LoopControl | undefined {
  const lc = ds.loop_control as Record<string, unknown> | undefined | null;
  if (lc === undefined || lc === null) return undefined;
  const out: LoopControl = {};
  for (const k of ['loop_var', 'index_var'] as const) if (lc[k] !== undefined) out[k] = String(lc[k]);
  for (const k of ['label', 'pause', 'extended'] as const) if (lc[k] !== undefined) out[k] = lc[k];
  if (lc.extended_allitems !== undefined) (out as Record<string, unknown>).extended_allitems = lc.extended_allitems;
  return out;
}

function checkArgs(schema: Schema, name: string, args: Record<string, unknown>, parsed: ParsedAction): void {
  const fn = compileSchema(schema);
  if (fn(args)) return;
  const err = fn.errors![0];
  const bad = err.keyword === 'additionalProperties' ? (err.params as { additionalProperty: string }).additionalProperty : err.instancePath.slice(1).split('/')[0] || undefined;
  const detail = err.keyword === 'additionalProperties' ? `invalid option '${bad}'` : `'${bad}' ${err.message}`;
  throw new ConfigError(`${name}: ${detail}`, parsed.argPos(bad));
}

const LEGACY_VARS = '\u0000legacy include vars';

function isLegacyInclude(parsed: ParsedAction): boolean {
  return ['include', 'ansible.builtin.include', 'ansible.legacy.include'].includes(parsed.key);
}

/** include_tasks, import_tasks, include_role, import_role and meta: the arguments the executor reads, in one shape. */
function executorArgs(parsed: ParsedAction, ds: Record<string, unknown>, pos: SourcePos): Record<string, unknown> {
  const name = parsed.action.name;
  const args = { ...parsed.args };
  const at = valuePos(ds, parsed.key, pos);
  if (name === 'include_tasks' || name === 'import_tasks') {
    if (isLegacyInclude(parsed)) {
      // legacy `include: f.yml a=1`: the k=v parameters are vars of the include
      const vars: Record<string, unknown> = {};
      for (const k of Object.keys(args)) if (!['_raw_params', 'file', 'apply'].includes(k)) {
        vars[k] = args[k];
        delete args[k];
      }
      if (Object.keys(vars).length > 0) args[LEGACY_VARS] = vars;
    }
    const legacyVars = args[LEGACY_VARS];
    delete args[LEGACY_VARS];
    checkArgs(includeTasksArgsSchema, name, args, parsed);
    if (legacyVars !== undefined) args[LEGACY_VARS] = legacyVars;
    const file = args._raw_params ?? args.file;
    delete args._raw_params;
    if (file === undefined || file === null || file === '') throw new ConfigError(`No file specified for ${name}`, at);
    args.file = String(file);
    if (args.apply !== undefined && name !== 'include_tasks') throw new ConfigError(`Invalid options for ${name}: apply`, parsed.argPos('apply'));
    return args;
  }
  if (name === 'include_role' || name === 'import_role') {
    if (args._raw_params !== undefined) throw new ConfigError(`${name}: free-form text is not allowed; use name=ROLE`, at);
    checkArgs(includeRoleArgsSchema, name, args, parsed);
    const role = args.name ?? args.role;
    delete args.role;
    if (role === undefined || role === null || role === '') throw new ConfigError(`'name' is a required field for ${name}.`, at);
    args.name = String(role);
    for (const k of ['public', 'apply'] as const) {
      if (args[k] !== undefined && name !== 'include_role') throw new ConfigError(`Invalid options for ${name}: ${k}`, parsed.argPos(k));
    }
    return args;
  }
  // meta
  const what = args._raw_params;
  const others = Object.keys(args).filter((k) => k !== '_raw_params');
  if (others.length > 0) throw new ConfigError(`meta: invalid option '${others[0]}'`, parsed.argPos(others[0]));
  if (typeof what !== 'string' || !META_ACTIONS.has(what.trim())) {
    throw new ConfigError(`invalid meta action requested: ${String(what)} (one of ${[...META_ACTIONS].join(', ')})`, at);
  }
  return { _raw_params: what.trim() };
}

/** One task (or handler) mapping to a Task: action, arguments and keywords, all validated. */
export function buildTask(ds: Record<string, unknown>, ctx: LoadContext): Task {
  const pos = posOf(ds, { file: ctx.fileStack[ctx.fileStack.length - 1] ?? '<unknown>' });
  const what = ctx.handlers ? 'a Handler' : 'a Task';
  const parsed = parseTaskAction(ds, ctx.opts, pos);
  validateKeywords(ctx.handlers ? handlerSchema : taskSchema, ds, what, pos, [parsed.key]);

  // A module's arguments are converted and checked after templating, when the task runs
  // (executor/module-args.ts): as in Ansible, a bad one fails that task only.
  const args = parsed.action.def || isTemplate(parsed.action.name) ? parsed.args : executorArgs(parsed, ds, pos);

  if (ds.register !== undefined && !VARIABLE_NAME.test(String(ds.register))) {
    throw new ConfigError(`Invalid variable name in 'register' specified: '${String(ds.register)}'`, valuePos(ds, 'register'));
  }

  let action = parsed.action.name;
  const keywords = commonKeywords(ds, ctx.handlers ? 'Handler' : 'Task', pos);
  let legacyIncludeVars: Record<string, unknown> | undefined;
  if (isLegacyInclude(parsed)) {
    const legacyVars = args[LEGACY_VARS] as Record<string, unknown> | undefined;
    delete args[LEGACY_VARS];
    legacyIncludeVars = keywords.vars;
    if (legacyVars) keywords.vars = { ...legacyVars, ...keywords.vars };
    // Ansible 2.14 makes a legacy include static when its file name is plain text, it has no loop
    // and no dynamic include holds it
    if (!String(args.file).includes('{{') && loopOf(ds).loop === undefined && !ctx.insideDynamic) action = 'import_tasks';
    // a dynamic one keeps its action name: Ansible shows it as the task's name
    else action = 'include';
  }
  const task: Task = {
    kind: 'task',
    ...keywords,
    action,
    args,
    ...loopOf(ds),
    notify: stringList(ds.notify),
    changed_when: toList(ds.changed_when),
    failed_when: toList(ds.failed_when),
    listen: ctx.handlers ? stringList(ds.listen) : [],
    baseDir: ctx.baseDir,
  };
  const lc = loopControlOf(ds);
  if (lc) task.loop_control = lc;
  if (ds.register !== undefined) task.register = String(ds.register);
  for (const k of ['until', 'retries', 'delay', 'async', 'poll'] as const) if (ds[k] !== undefined) task[k] = ds[k];
  if (parsed.delegateToLocalhost) task.delegate_to = 'localhost';
  if (ctx.role) task.role = ctx.role;
  if (legacyIncludeVars && Object.keys(legacyIncludeVars).length > 0) task.legacyIncludeVars = legacyIncludeVars;
  if (action === 'include_role') task.roleNamePos = roleNamePositions(ds[parsed.key], task);
  return task;
}

/** Where an include_role's role name is written as YAML text (Task.roleNamePos). */
function roleNamePositions(argsDs: unknown, task: Task): Task['roleNamePos'] {
  const out: NonNullable<Task['roleNamePos']> = {};
  const key = argsDs !== null && typeof argsDs === 'object' && !Array.isArray(argsDs) ? ['name', 'role'].find((k) => k in argsDs) : undefined;
  const known = (p: SourcePos) => (p.file === '<unknown>' ? undefined : p);
  if (key !== undefined) out.name = known(valuePos(argsDs, key));
  // items of a literal list keep their position (a flattening with_items shifts them: left out)
  const list = task.loop;
  if (Array.isArray(list) && (task.loopKind === 'loop' || !list.some(Array.isArray))) out.items = list.map((_, i) => known(valuePos(list, i)) ?? task.pos);
  return out;
}
