import { toBool } from '../util/ansible-bool.js';
import { existsSync } from 'node:fs';
import { loadRoleTasks, loadTaskFile } from '../playbook/index.js';
import { dynamicTaskFileCandidates } from '../playbook/task-files.js';
import { commonKeywords, stringList } from '../playbook/keywords.js';
import { objectOf, baseKeywords } from '../playbook/schema/common.js';
import { validateKeywords } from '../playbook/validate.js';
import type { Task, TaskItem } from '../playbook/types.js';
import { formatPos, TsrunError, type SourcePos } from '../util/errors.js';
import type { Frame } from './frame.js';
import { enter } from './frame.js';
import type { PlayContext } from './run-context.js';

/** The dynamic includes (Ansible's _ACTION_ALL_INCLUDES, as tsrun names actions). */
export const INCLUDE_ACTIONS = new Set(['include_tasks', 'include_role', 'include']);

/** An include task's vars that are include params: all of them, but a legacy include's `vars:` only. */
export function ownIncludeParams(task: Task): Record<string, unknown> {
  return task.action === 'include' ? (task.legacyIncludeVars ?? {}) : task.vars;
}

/** One include_tasks / include_role for one host (and one loop item). */
export interface IncludeInstance {
  /** Hosts whose instances share a key run the included tasks together. */
  key: string;
  items: TaskItem[];
  handlers: Task[];
  frame: Frame;
  /** What the include reports: `included: FILE`. */
  shown: string;
  includeVars: Record<string, unknown>;
  /** The resolved task file (include_tasks only): what Ansible's "included:" line names. */
  path?: string;
  /** The loop item label, for looped includes. */
  label?: string;
}

/**
 * Ansible has no explicit limit: a recursive include ends in Python's RecursionError after
 * about 250 levels ("Exceeded maximum object depth"). The same depth keeps recursive
 * includes used as loops working, and stops a runaway one in well under a second.
 */
export const MAX_INCLUDE_DEPTH = 250;

/** A runaway recursive include: ends the run, as Ansible's error does (exit 1). */
export class IncludeDepthError extends TsrunError {
  constructor(task: Task, what: string) {
    super(
      `Exceeded maximum include depth (${MAX_INCLUDE_DEPTH}) at ${task.action} '${what}' (${formatPos(task.pos)}). ` +
        'This may have been caused by a file or role that includes itself, directly or through other includes.',
      { exitCode: 1 },
    );
    this.name = 'IncludeDepthError';
  }
}

/** `apply:` keywords (tags, become, when...) given to every task the include brings in: they are the keywords of a block around them. */
function applied(items: TaskItem[], apply: unknown, task: Task): TaskItem[] {
  if (apply === undefined || apply === null) return items;
  // `notify` is a block keyword too (as on a block: for the tasks that name no handler themselves)
  const mapping = typeof apply === 'object' && !Array.isArray(apply);
  const { notify, ...rest } = (mapping ? apply : {}) as Record<string, unknown>;
  validateKeywords(objectOf(baseKeywords), mapping ? rest : apply, 'apply', task.pos);
  const keywords = commonKeywords(rest, 'apply', task.pos);
  const inner = notify === undefined ? items : notifying(items, stringList(notify));
  return [{ ...keywords, kind: 'block', block: inner, rescue: [], always: [] }];
}

/** Copies of `items` whose tasks without a `notify` of their own notify `notify`. */
function notifying(items: TaskItem[], notify: string[]): TaskItem[] {
  return items.map((i) =>
    i.kind === 'task' ? (i.notify.length ? i : { ...i, notify: [...notify] }) : { ...i, block: notifying(i.block, notify), rescue: notifying(i.rescue, notify), always: notifying(i.always, notify) },
  );
}

/** Loads what an include names, from its rendered args; `loopVars` hold the item for looped includes. */
export function resolveInclude(pc: PlayContext, task: Task, frame: Frame, args: Record<string, unknown>, loopVars: Record<string, unknown>, namePos?: SourcePos): IncludeInstance {
  const includeVars = (args.vars as Record<string, unknown> | undefined) ?? {};
  const blockVars = [...frame.blockVars, task.vars, includeVars, loopVars];
  const includeDepth = (frame.includeDepth ?? 0) + 1;
  if (includeDepth > MAX_INCLUDE_DEPTH) throw new IncludeDepthError(task, String(args.name ?? args.file ?? args._raw_params));
  const includeParams = [...(frame.includeParams ?? []), ownIncludeParams(task), includeVars, loopVars];
  // The include's own `when` decided the include; its tasks keep only the conditions around it
  // (Ansible: a set_fact in the file that makes it false does not skip the file's later tasks).
  const childFrame: Frame = { ...enter(frame, task), when: frame.when, blockVars, includeParams, includeDepth };
  const varsKey = JSON.stringify([includeVars, loopVars]);
  const role = task.role ?? frame.role;
  if (task.action === 'include_role') {
    const name = String(args.name ?? args._raw_params);
    const from = (k: string) => (args[`${k}_from`] === undefined || args[`${k}_from`] === null ? undefined : String(args[`${k}_from`]));
    const loaded = loadRoleTasks(name, {
      baseDir: task.baseDir, playbookDir: pc.playVars.playbookDir, params: includeVars, tasksFrom: from('tasks'), varsFrom: from('vars'), defaultsFrom: from('defaults'), handlersFrom: from('handlers'),
      opts: pc.run.loader, parents: role ? [role, ...role.parents] : [], play: pc.includedRoles, validate: args.rolespec_validate === undefined || args.rolespec_validate === null || toBool(args.rolespec_validate), pos: task.pos, namePos,
    });
    // public: the role's defaults and vars become the play's, for the tasks after the include
    if (args.public !== undefined && toBool(args.public) && !pc.playVars.roles.some((r) => r.path === loaded.role.path && r.name === loaded.role.name)) pc.playVars.roles.push(loaded.role);
    return {
      // as with roles: in a play, the role's meta dependencies run first
      key: `role:${name}:${JSON.stringify([from('tasks'), from('vars'), from('defaults')])}:${varsKey}`, items: applied([...loaded.dependencies, ...loaded.tasks], args.apply, task), handlers: loaded.handlers,
      frame: { ...childFrame, role: loaded.role }, shown: name, includeVars,
    };
  }
  const file = String(args.file ?? args._raw_params);
  const candidates = dynamicTaskFileCandidates(file, { baseDir: task.baseDir, role, playbookDir: pc.playVars.playbookDir });
  const path = candidates.find((c) => existsSync(c));
  if (!path) throw new TsrunError(`Could not find or access '${file}' (searched: ${candidates.join(', ')})`);
  return { key: `file:${path}:${varsKey}`, items: applied(loadTaskFile(path, { role, opts: pc.run.loader }), args.apply, task), handlers: [], frame: childFrame, shown: file, includeVars, path };
}
