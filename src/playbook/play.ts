import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, type SourcePos } from '../util/errors.js';
import type { Block, Play, Task, TaskItem } from './types.js';
import type { LoadContext, LoaderOptions, PlayState } from './context.js';
import { commonKeywords, toList } from './keywords.js';
import { posOf, readYamlWithPositions, valuePos, keyPos } from './source.js';
import { isTemplate } from './template-text.js';
import { expandRole, parseRoleEntry, roleBlock } from './roles.js';
import { loadTaskFileItems, loadTaskList } from './task-list.js';
import { staticText } from './template-text.js';
import { validateKeywords } from './validate.js';
import { playSchema } from './schema/play.js';

const PLAY_EXTRAS = ['gather_subset', 'gather_timeout', 'fact_path', 'order'] as const;

function hostsOf(ds: Record<string, unknown>, pos: SourcePos): string {
  const hosts = ds.hosts;
  const text = Array.isArray(hosts) ? hosts.map(String).join(',') : hosts === null || hosts === undefined ? '' : String(hosts);
  if (text.trim() === '') throw new ConfigError('Hosts list cannot be empty. Please check your playbook', valuePos(ds, 'hosts', pos));
  return text;
}

/**
 * The vars_files a static name (`roles:` entries, import_role, import_tasks) may use, as Ansible
 * templates those at load: files named without a template, first existing candidate of a list.
 * A missing or templated file is left to the run, which reports it per host.
 */
function staticVarsFiles(entries: unknown, baseDir: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of toList(entries)) {
    for (const c of (Array.isArray(entry) ? entry : [entry]).map(String)) {
      if (isTemplate(c)) break;
      const path = resolve(baseDir, c);
      if (!existsSync(path)) continue;
      const data = readYamlWithPositions(path);
      if (data !== null && typeof data === 'object' && !Array.isArray(data)) Object.assign(out, data);
      break;
    }
  }
  return out;
}

/** One play mapping to a Play: keywords validated, roles expanded, every task list loaded. */
export function buildPlay(ds: Record<string, unknown>, file: string, baseDir: string, opts: LoaderOptions, fallback: SourcePos): Play {
  const pos = posOf(ds, fallback);
  validateKeywords(playSchema, ds, 'a Play', pos);
  if (ds.user !== undefined && ds.remote_user !== undefined) {
    throw new ConfigError("both 'user' and 'remote_user' are set for this play. The use of 'user' is deprecated, and should be removed", keyPos(ds, 'user'));
  }
  const keywords = commonKeywords(ds, 'Play', pos);
  if (ds.user !== undefined) keywords.remote_user = ds.user;

  const state: PlayState = { seenRoles: new Map(), roles: [], roleHandlers: [], vars: { ...keywords.vars, ...staticVarsFiles(ds.vars_files, baseDir) } };
  const ctx: LoadContext = { opts, playbookDir: baseDir, baseDir, handlers: false, play: state, fileStack: [file] };

  // roles load first, as in Ansible (priority 90), so a later import_role of the same role is seen as such.
  const roleTasks: TaskItem[] = [];
  const roleEntries = (ds.roles as unknown[] | null | undefined) ?? [];
  roleEntries.forEach((entry, i) => {
    const r = parseRoleEntry(entry, roleEntries, i, valuePos(ds, 'roles', pos));
    const name = staticText(r.name, ctx, 'role name', r.pos);
    const loaded = expandRole({ name, params: r.params, fromFiles: {}, fromInclude: false, keywords: r.keywords, pos: r.pos, parents: [] }, ctx, loadTaskFileItems);
    if (!loaded) return;
    state.roleHandlers.push(...loaded.handlers);
    roleTasks.push(roleBlock(loaded, r.keywords) as Block);
  });

  const fromRolesSection = state.roleHandlers.length;
  const section = (key: string): TaskItem[] => loadTaskList(ds[key], ctx, valuePos(ds, key, pos));
  const pre_tasks = section('pre_tasks');
  const tasks = section('tasks');
  const post_tasks = section('post_tasks');
  const playHandlers = loadTaskList(ds.handlers, { ...ctx, handlers: true }, valuePos(ds, 'handlers', pos)) as Task[];

  const play: Play = {
    ...keywords,
    hosts: hostsOf(ds, pos),
    vars_files: toList(ds.vars_files),
    roles: state.roles,
    pre_tasks,
    role_tasks: roleTasks,
    tasks,
    post_tasks,
    // Ansible: the `roles:` handlers, the play's own, then those of roles imported by import_role
    handlers: [...state.roleHandlers.slice(0, fromRolesSection), ...playHandlers, ...state.roleHandlers.slice(fromRolesSection)],
    baseDir,
  };
  for (const k of ['gather_facts', 'serial', 'force_handlers', 'max_fail_percentage'] as const) if (ds[k] !== undefined) play[k] = ds[k];
  if (ds.strategy !== undefined) play.strategy = String(ds.strategy);
  for (const k of PLAY_EXTRAS) if (ds[k] !== undefined) (play as unknown as Record<string, unknown>)[k] = ds[k];
  return play;
}
