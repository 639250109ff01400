import { jsType } from './ajv.js';
import { basename, dirname, resolve } from 'node:path';
import { ConfigError, type SourcePos } from '../util/errors.js';
import type { Block, Keywords, RoleRef, Task, TaskItem } from './types.js';
import type { LoadContext } from './context.js';
import { commonKeywords, inheritInto, stringList, type KeywordExtras } from './keywords.js';
import { displayPath, keyPos, posOf, readYamlWithPositions, valuePos } from './source.js';
import { buildTask } from './task.js';
import { findTaskFile } from './task-files.js';
import { staticText } from './template-text.js';
import { expectMapping, validateKeywords } from './validate.js';
import { blockSchema, taskFileSchema } from './schema/task.js';
import { expandRole } from './roles.js';
import { toBool } from '../util/ansible-bool.js';

export function isBlock(ds: Record<string, unknown>): boolean {
  return 'block' in ds || 'rescue' in ds || 'always' in ds;
}

/** Block-level notify has nowhere to live in the contract: give it to tasks without their own. */
function pushNotify(items: TaskItem[], notify: string[]): void {
  for (const item of items) {
    if (item.kind === 'task') {
      if (item.notify.length === 0) item.notify = [...notify];
    } else {
      pushNotify(item.block, notify);
      pushNotify(item.rescue, notify);
      pushNotify(item.always, notify);
    }
  }
}

function buildBlock(ds: Record<string, unknown>, ctx: LoadContext, pos: SourcePos): Block {
  if (ctx.handlers) throw new ConfigError('Using a block as a handler is not supported.', keyPos(ds, ['block', 'rescue', 'always'].find((k) => k in ds)!, pos));
  validateKeywords(blockSchema, ds, 'a Block', pos);
  const block: Block = {
    kind: 'block',
    ...commonKeywords(ds, 'Block', pos),
    block: loadTaskList(ds.block, ctx, valuePos(ds, 'block', pos)),
    rescue: loadTaskList(ds.rescue, ctx, valuePos(ds, 'rescue', pos)),
    always: loadTaskList(ds.always, ctx, valuePos(ds, 'always', pos)),
  };
  if (ctx.role) block.role = ctx.role;
  const notify = stringList(ds.notify);
  if (notify.length > 0) {
    pushNotify(block.block, notify);
    pushNotify(block.rescue, notify);
    pushNotify(block.always, notify);
  }
  return block;
}

/** The keyword part of a task (what a static import hands down to what it imports). */
function keywordsOf(task: Task): Keywords & KeywordExtras {
  const { kind: _k, action: _a, args: _ar, loop: _l, loopKind: _lk, notify: _n, changed_when: _c, failed_when: _f, listen: _li, baseDir: _b, register: _r, loop_control: _lc, until: _u, retries: _re, delay: _d, async: _as, poll: _po, role: _ro, ...keywords } = task;
  return keywords;
}

/** A Block carrying a static import's keywords around what it imported. */
function wrapImport(task: Task, children: TaskItem[], role?: RoleRef): Block {
  const block: Block = { ...keywordsOf(task), kind: 'block', block: children, rescue: [], always: [] };
  if (role ?? task.role) block.role = role ?? task.role;
  if (task.notify.length > 0) pushNotify(children, task.notify);
  return block;
}

function flattenForHandlers(block: Block): Task[] {
  const out: Task[] = [];
  for (const item of block.block) {
    if (item.kind === 'task') out.push(inheritInto(block, item));
    else out.push(...flattenForHandlers(item).map((t) => inheritInto(block, t)));
  }
  return out;
}

function importTasks(task: Task, ctx: LoadContext): TaskItem[] {
  if (task.loop !== undefined) {
    throw new ConfigError("You cannot use loops on 'import_tasks' statements. You should use 'include_tasks' instead.", task.pos);
  }
  const target = staticText(String(task.args.file), ctx, 'import_tasks file', task.pos);
  const { found, searched } = findTaskFile(target, { baseDir: ctx.baseDir, role: ctx.role, playbookDir: ctx.playbookDir, handlers: ctx.handlers });
  if (!found) throw new ConfigError(`could not find task file '${target}' (searched: ${searched.map(displayPath).join(', ')})`, task.pos);
  const children = loadTaskFileItems(found, ctx, task.pos);
  const block = wrapImport(task, children);
  return ctx.handlers ? flattenForHandlers(block) : [block];
}

function importRole(task: Task, ctx: LoadContext): TaskItem[] {
  if (ctx.handlers) throw new ConfigError("Using 'import_role' as a handler is not supported.", task.pos);
  if (task.loop !== undefined) {
    throw new ConfigError("You cannot use loops on 'import_role' statements. You should use 'include_role' instead.", task.pos);
  }
  const a = task.args;
  const name = staticText(String(a.name), ctx, 'import_role name', task.pos);
  const fromFiles: Record<string, string> = {};
  // import_role keeps only the base name of tasks_from / vars_from / ... (IncludeRole.load); include_role keeps the path
  for (const k of ['tasks', 'vars', 'defaults', 'handlers']) if (a[`${k}_from`] !== undefined) fromFiles[k] = basename(staticText(String(a[`${k}_from`]), ctx, `${k}_from`, task.pos));
  const loaded = expandRole(
    { name, params: {}, fromFiles, fromInclude: true, keywords: keywordsOf(task), allowDuplicates: a.allow_duplicates, pos: task.pos, validate: a.rolespec_validate === undefined || toBool(a.rolespec_validate) },
    ctx,
    loadTaskFileItems,
  );
  if (!loaded) return [];
  if (ctx.play) {
    ctx.play.roleHandlers.push(...loaded.handlers);
  }
  return [wrapImport(task, [...loaded.dependencies, ...loaded.tasks], loaded.role)];
}

/** A list of task/block mappings (a tasks: section or a task file's content). */
export function loadTaskList(list: unknown, ctx: LoadContext, pos: SourcePos): TaskItem[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new ConfigError('a list of tasks was expected', pos);
  const out: TaskItem[] = [];
  list.forEach((entry, i) => {
    const at = valuePos(list, i, pos);
    const ds = expectMapping(entry, ctx.handlers ? 'a handler' : 'a task', at);
    if (isBlock(ds)) {
      out.push(buildBlock(ds, ctx, posOf(ds, at)));
      return;
    }
    const task = buildTask(ds, ctx);
    if (task.action === 'import_tasks') out.push(...importTasks(task, ctx));
    else if (task.action === 'import_role') out.push(...importRole(task, ctx));
    else if (ctx.handlers && task.action === 'include_role') throw new ConfigError("Using 'include_role' as a handler is not supported.", task.pos);
    else out.push(task);
  });
  return out;
}

/** Reads and loads a task file; `from` is where it was named (for errors). */
export function loadTaskFileItems(file: string, ctx: LoadContext, from?: SourcePos): TaskItem[] {
  const abs = resolve(file);
  if (ctx.fileStack.includes(abs)) {
    throw new ConfigError(`task file ${displayPath(abs)} imports itself (via ${ctx.fileStack.map(displayPath).join(' -> ')})`, from);
  }
  const data = readYamlWithPositions(abs, from);
  const filePos: SourcePos = { file: displayPath(abs) };
  // Ansible's wording, pointing at the file's first line so the excerpt shows what is there instead
  if (data !== null && data !== undefined && !Array.isArray(data)) {
    throw new ConfigError(`included task files must contain a list of tasks, got ${jsType(data)}`, { ...filePos, line: 1, column: 1 });
  }
  validateKeywords(taskFileSchema, data, 'a task file', filePos);
  const inner: LoadContext = { ...ctx, baseDir: dirname(abs), fileStack: [...ctx.fileStack, abs] };
  return loadTaskList(data, inner, filePos);
}
