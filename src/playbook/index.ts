/**
 * Loading and validating playbooks, roles and task files (Ansible 2.14 semantics).
 *
 * What the executor gets, beyond the contract in types.ts:
 * - Task.action is canonical (FQCN stripped). Executor actions (EXECUTOR_ACTIONS) have these args:
 *   include_tasks / import_tasks: { file, apply? }; include_role / import_role: { name, tasks_from?,
 *   vars_from?, defaults_from?, handlers_from?, apply?, public?, allow_duplicates?, rolespec_validate? };
 *   meta: { _raw_params: one of META_ACTIONS }. `include:` loads as include_tasks.
 * - import_tasks / import_role never reach the executor: they are Blocks carrying the import's
 *   keywords (and `role` for import_role) around what they imported.
 * - Role uses in `roles:` are Blocks { role, invocation keywords (when/tags/vars/become...),
 *   block: [dependency Blocks..., role tasks...] }; dependency Blocks nest the same way. Ansible's
 *   run-once-per-play rule is applied here (identity: role, params, when, tags, vars, *_from,
 *   from_include; meta allow_duplicates / import_role allow_duplicates lift it).
 * - Play.handlers: role handlers (dependencies first) then the play's, each a flat Task; keywords of
 *   the role use / handler import_tasks are pushed into them (when and environment prepended, tags
 *   and vars merged, other keywords where unset). Handlers of a role come once per role object.
 * - Block-level `notify` is given to the block's tasks that have none.
 * - Extra keywords kept as extra properties: EXTRA_KEYWORDS on tasks/blocks/plays; on plays also
 *   gather_subset, gather_timeout, fact_path, order. `collections`/`debugger` are accepted and ignored;
 *   module_defaults, vars_prompt are load errors ("not supported by tsrun").
 * - pos.file is the path as shown to the operator (relative to cwd when below it); baseDir,
 *   RoleRef.path and Playbook.path are absolute.
 */
import { dirname, resolve } from 'node:path';
import type { ModuleDef } from '../modules/types.js';
import type { SourcePos } from '../util/errors.js';
import type { RoleRef, TaskItem } from './types.js';
import type { LoadContext, LoadedRole, LoaderOptions, PlayState } from './context.js';
import { commonKeywords } from './keywords.js';
import { expandRole } from './roles.js';
import { loadTaskFileItems } from './task-list.js';

export type { LoaderModule, LoaderOptions, LoadedRole } from './context.js';
export type { KeywordExtras } from './keywords.js';
export { EXECUTOR_ACTIONS } from './actions.js';
export { parseKeyValue } from '../parsing/kv.js';
export { loadPlaybook } from './playbook.js';
export { ReadBudgetExceeded, withLoadBudget, type LoadBudget } from './load-budget.js';

/**
 * A task file named by include_tasks, loaded at run time. `path` is already resolved (see
 * findTaskFile); tasks get `role` and baseDir = the file's directory. `playbookDir` is where
 * roles named by import_role inside it are searched (default: the file's directory); `from` is
 * the include task's position, named in errors about the file.
 */
export function loadTaskFile(
  path: string,
  ctx: { role?: RoleRef; opts: LoaderOptions; playbookDir?: string; handlers?: boolean; from?: SourcePos },
): TaskItem[] {
  const abs = resolve(path);
  const load: LoadContext = {
    opts: ctx.opts,
    playbookDir: ctx.playbookDir ?? dirname(abs),
    baseDir: dirname(abs),
    role: ctx.role,
    handlers: ctx.handlers ?? false,
    fileStack: [],
    insideDynamic: true,
  };
  return loadTaskFileItems(abs, load, ctx.from);
}

/**
 * A role for include_role (or import_role at run time): `baseDir` is the playbook directory
 * (role search starts at <baseDir>/roles). Nothing is de-duplicated here: the executor applies
 * Ansible's run-once rule with `allowDuplicates` (include_role defaults it to true).
 */
export function loadRoleTasks(
  name: string,
  ctx: {
    baseDir: string;
    /** The play's playbook directory (Ansible's loader basedir): role search starts at its roles/. Default: baseDir. */
    playbookDir?: string;
    params?: Record<string, unknown>;
    tasksFrom?: string;
    varsFrom?: string;
    defaultsFrom?: string;
    handlersFrom?: string;
    opts: LoaderOptions;
    parents?: RoleRef[];
    /** Roles already run in this play: meta dependencies run once unless they allow duplicates. */
    play?: PlayState;
    /** The include_role task's position, named by errors (a role that is not found). */
    pos?: SourcePos;
    /** Where the role's name is written, named instead of `pos` by a role that is not found. */
    namePos?: SourcePos;
    /** rolespec_validate: false leaves out the argument validation task. */
    validate?: boolean;
  },
): LoadedRole {
  const load: LoadContext = { opts: ctx.opts, playbookDir: ctx.playbookDir ?? ctx.baseDir, baseDir: ctx.baseDir, handlers: false, fileStack: [], play: ctx.play };
  const fromFiles: Record<string, string> = {};
  if (ctx.tasksFrom !== undefined) fromFiles.tasks = ctx.tasksFrom;
  if (ctx.varsFrom !== undefined) fromFiles.vars = ctx.varsFrom;
  if (ctx.defaultsFrom !== undefined) fromFiles.defaults = ctx.defaultsFrom;
  if (ctx.handlersFrom !== undefined) fromFiles.handlers = ctx.handlersFrom;
  const pos = ctx.pos ?? { file: ctx.baseDir };
  const loaded = expandRole(
    { name, params: ctx.params ?? {}, fromFiles, fromInclude: true, keywords: commonKeywords({}, 'Role', pos), allowDuplicates: true, pos, namePos: ctx.namePos, parents: ctx.parents ?? [], validate: ctx.validate },
    load,
    loadTaskFileItems,
  );
  // Without play state nothing is skipped, so a role always comes back.
  return loaded!;
}

export type { ModuleDef, PlayState };
