import { toBool } from '../util/ansible-bool.js';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { loadRoleTasks, loadTaskFile } from '../playbook/index.js';
import type { Task, TaskItem } from '../playbook/types.js';
import { TsrunError } from '../util/errors.js';
import type { Frame } from './frame.js';
import { enter } from './frame.js';
import type { PlayContext } from './run-context.js';

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

/** Loads what an include names, from its rendered args; `loopVars` hold the item for looped includes. */
export function resolveInclude(pc: PlayContext, task: Task, frame: Frame, args: Record<string, unknown>, loopVars: Record<string, unknown>): IncludeInstance {
  const includeVars = (args.vars as Record<string, unknown> | undefined) ?? {};
  const blockVars = [...frame.blockVars, task.vars, includeVars, loopVars];
  const childFrame: Frame = { ...enter(frame, task), blockVars };
  const varsKey = JSON.stringify([includeVars, loopVars]);
  const role = task.role ?? frame.role;
  if (task.action === 'include_role') {
    const name = String(args.name ?? args._raw_params);
    const from = (k: string) => (args[k] === undefined || args[k] === null ? undefined : String(args[k]));
    const loaded = loadRoleTasks(name, {
      baseDir: task.baseDir, params: includeVars, tasksFrom: from('tasks_from'), varsFrom: from('vars_from'), defaultsFrom: from('defaults_from'), handlersFrom: from('handlers_from'),
      opts: pc.run.loader, parents: role ? [role] : [],
    });
    // public: the role's defaults and vars become the play's, for the tasks after the include
    if (args.public !== undefined && toBool(args.public) && !pc.playVars.roles.some((r) => r.path === loaded.role.path && r.name === loaded.role.name)) pc.playVars.roles.push(loaded.role);
    return {
      key: `role:${name}:${JSON.stringify([from('tasks_from'), from('vars_from'), from('defaults_from')])}:${varsKey}`, items: loaded.tasks, handlers: loaded.handlers,
      frame: { ...childFrame, role: loaded.role }, shown: name, includeVars,
    };
  }
  const file = String(args.file ?? args._raw_params);
  const candidates = isAbsolute(file)
    ? [file]
    : [...new Set([...(role ? [join(role.path, 'tasks', file)] : []), join(task.baseDir, file), join(pc.playVars.playbookDir, file)])];
  const path = candidates.find((c) => existsSync(c));
  if (!path) throw new TsrunError(`Could not find or access '${file}' (searched: ${candidates.join(', ')})`);
  return { key: `file:${path}:${varsKey}`, items: loadTaskFile(path, { role, opts: pc.run.loader }), handlers: [], frame: childFrame, shown: file, includeVars, path };
}
