import { dirname, resolve } from 'node:path';
import type { ModuleDef } from '../modules/types.js';
import type { SourcePos } from '../util/errors.js';
import type { RoleRef, TaskItem } from './types.js';
import type { LoadContext, LoadedRole, LoaderOptions } from './context.js';
import { commonKeywords } from './keywords.js';
import { expandRole } from './roles.js';
import { loadTaskFileItems } from './task-list.js';

export type { LoaderOptions, LoadedRole } from './context.js';
export type { KeywordExtras } from './keywords.js';
export { EXTRA_KEYWORDS } from './keywords.js';
export { EXECUTOR_ACTIONS, META_ACTIONS, resolveAction } from './actions.js';
export { parseKeyValue } from './kv.js';
export { loadPlaybook } from './playbook.js';
export { taskFileCandidates, findTaskFile } from './task-files.js';
export { roleSearchPath } from './roles.js';
export { isTemplate } from './template-text.js';

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
    params?: Record<string, unknown>;
    tasksFrom?: string;
    varsFrom?: string;
    defaultsFrom?: string;
    handlersFrom?: string;
    opts: LoaderOptions;
    parents?: RoleRef[];
  },
): LoadedRole {
  const load: LoadContext = { opts: ctx.opts, playbookDir: ctx.baseDir, baseDir: ctx.baseDir, handlers: false, fileStack: [] };
  const fromFiles: Record<string, string> = {};
  if (ctx.tasksFrom !== undefined) fromFiles.tasks = ctx.tasksFrom;
  if (ctx.varsFrom !== undefined) fromFiles.vars = ctx.varsFrom;
  if (ctx.defaultsFrom !== undefined) fromFiles.defaults = ctx.defaultsFrom;
  if (ctx.handlersFrom !== undefined) fromFiles.handlers = ctx.handlersFrom;
  const pos = { file: ctx.baseDir };
  const loaded = expandRole(
    { name, params: ctx.params ?? {}, fromFiles, fromInclude: true, keywords: commonKeywords({}, 'Role', pos), allowDuplicates: true, pos, parents: ctx.parents ?? [] },
    load,
  );
  // Without play state nothing is skipped, so a role always comes back.
  return loaded!;
}

export type { ModuleDef };
