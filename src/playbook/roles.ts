import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { SETTINGS } from '../config/settings.js';
import { expandHome, expandVars } from '../config/load.js';
import { ConfigError, type SourcePos } from '../util/errors.js';
import type { Block, Keywords, RoleRef, Task, TaskItem } from './types.js';
import type { LoadContext, LoadedRole } from './context.js';
import { commonKeywords, inheritInto, type KeywordExtras } from './keywords.js';
import { loadRoleVars, roleDirExists, roleYamlFiles } from './role-files.js';
import { loadArgumentSpecs, validationTask } from './role-argspecs.js';
import { copyFloatMarks } from '../yaml/float-marks.js';
import { displayPath, posOf, readYamlWithPositions, valuePos } from './source.js';
import { staticText } from './template-text.js';
import { validateKeywords } from './validate.js';
import { roleEntryKeywords, roleMetaSchema } from './schema/role.js';
import { toBool } from '../util/ansible-bool.js';
import type { Schema } from './schema/common.js';

export interface RoleRequest {
  name: string;
  params: Record<string, unknown>;
  fromFiles: Record<string, string>;
  /** import_role / include_role (Ansible keeps these apart from `roles:` entries when de-duplicating). */
  fromInclude: boolean;
  /** The invocation's keywords: part of the role's identity and inherited by its handlers. */
  keywords: Keywords & KeywordExtras;
  /** include/import_role's allow_duplicates (default true there); undefined: the role's meta decides. */
  allowDuplicates?: unknown;
  pos: SourcePos;
  /** Where the role's name is written, when that is not `pos` (include_role): a role not found names it. */
  namePos?: SourcePos;
  parents?: RoleRef[];
  /** Directory of the role that depends on this one (searched too, like Ansible's role_basedir). */
  ownerDir?: string;
  /** include/import_role's rolespec_validate: false leaves out the argument validation task. */
  validate?: boolean;
}


/** DEFAULT_ROLES_PATH when neither ANSIBLE_ROLES_PATH nor ansible.cfg sets it. */
export function defaultRolesPath(): string[] {
  return SETTINGS.find((s) => s.name === 'DEFAULT_ROLES_PATH')!.default as string[];
}

/**
 * Ansible's role search order (RoleDefinition._load_role_path): <playbook dir>/roles, the
 * configured roles_path (or its default), the depending role's parent dir (meta dependencies
 * only), then the playbook dir itself.
 */
export function roleSearchPath(ctx: LoadContext, ownerDir?: string): string[] {
  const pb = ctx.playbookDir;
  const dirs = [join(pb, 'roles'), ...(ctx.opts.rolesPath ?? defaultRolesPath())];
  if (ownerDir) dirs.push(ownerDir);
  dirs.push(pb);
  return [...new Set(dirs.map((d) => resolve(d)))];
}

/** unfrackpath: $VARS and ~ expanded, symlinks resolved (a role's path is its real path). */
function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}


/** Ansible's collection search: the playbook's adjacent collections/, then COLLECTIONS_PATHS (or its default). */
function collectionDirs(ctx: LoadContext): string[] {
  const env = process.env.ANSIBLE_COLLECTIONS_PATH ?? process.env.ANSIBLE_COLLECTIONS_PATHS;
  const configured = env !== undefined ? env.split(':').filter(Boolean) : ['~/.ansible/collections', '/usr/share/ansible/collections'];
  return [join(ctx.playbookDir, 'collections'), ...configured.map((d) => expandHome(d, process.env))];
}

/** `namespace.collection.role`: the role in that collection's roles/ dir, called by its last part (Ansible's role name). */
function collectionRole(name: string, ctx: LoadContext): { name: string; path: string; collection: string } | undefined {
  const m = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)\.([A-Za-z_]\w*)$/.exec(name);
  if (!m) return undefined;
  for (const dir of collectionDirs(ctx)) {
    const p = join(dir, 'ansible_collections', m[1], m[2], 'roles', m[3]);
    if (roleDirExists(p)) return { name: m[3], path: realPath(p), collection: `${m[1]}.${m[2]}` };
  }
  return undefined;
}

/**
 * A name (a plain name, `sub/dir/name`, a relative or absolute path) is tried under each search
 * dir and keeps the name as written; failing that, it is a path from the current directory and
 * the role is called by its base name.
 */
export function findRole(name: string, ctx: LoadContext, pos: SourcePos, ownerDir?: string): { name: string; path: string; collection?: string } {
  const inCollection = collectionRole(name, ctx);
  if (inCollection) return inCollection;
  const searched = roleSearchPath(ctx, ownerDir);
  for (const dir of searched) {
    const p = resolve(dir, name);
    if (roleDirExists(p)) return { name, path: realPath(p) };
  }
  const p = resolve(process.cwd(), expandHome(expandVars(name, process.env), process.env));
  if (roleDirExists(p)) return { name: basename(name), path: realPath(p) };
  throw new ConfigError(`the role '${name}' was not found in ${searched.join(':')}`, pos);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

const entrySchema: Schema = { type: 'object', properties: roleEntryKeywords };

/** A `roles:` item or a meta dependency: name, keywords and (the other keys) role params. */
export function parseRoleEntry(entry: unknown, container: unknown, index: number, fallback: SourcePos): { name: string; params: Record<string, unknown>; keywords: Keywords & KeywordExtras; pos: SourcePos } {
  const at = valuePos(container, index, fallback);
  if (typeof entry === 'string' || typeof entry === 'number') {
    return { name: String(entry), params: {}, keywords: commonKeywords({}, 'Role', at), pos: at };
  }
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw new ConfigError('role definitions must be a role name or a mapping', at);
  const ds = entry as Record<string, unknown>;
  const pos = posOf(ds, at);
  const name = ds.role ?? ds.name;
  if (typeof name !== 'string' || name === '') throw new ConfigError('role definitions must contain a role name', pos);
  validateKeywords(entrySchema, ds, 'a role', pos);
  const kwDs: Record<string, unknown> = {};
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ds)) {
    if (k in roleEntryKeywords) kwDs[k] = v;
    else params[k] = v;
  }
  copyFloatMarks(ds, params, Object.keys(params));
  delete kwDs.role;
  // `name:` names the role when `role:` is absent; it is not a display name then.
  if (ds.role === undefined) delete kwDs.name;
  const keywords = commonKeywords(kwDs, 'Role', pos);
  return { name, params, keywords, pos };
}

interface RoleMeta {
  dependencies: unknown[];
  allowDuplicates: boolean;
  data: Record<string, unknown> | undefined;
  pos: SourcePos;
}

function loadMeta(path: string): RoleMeta {
  const files = roleYamlFiles(path, 'meta', undefined, false);
  const pos: SourcePos = { file: displayPath(files[0] ?? join(path, 'meta')) };
  if (files.length === 0) return { dependencies: [], allowDuplicates: false, data: undefined, pos };
  const data = readYamlWithPositions(files[0]);
  validateKeywords(roleMetaSchema, data, 'role meta', pos);
  const meta = (data ?? {}) as Record<string, unknown>;
  return { dependencies: (meta.dependencies as unknown[] | null) ?? [], allowDuplicates: toBool(meta.allow_duplicates ?? false), data: meta, pos };
}

/** Loads a task file (task-list.ts's loadTaskFileItems, handed in: task files import roles and roles load task files). */
export type TaskFileLoader = (file: string, ctx: LoadContext, from?: SourcePos) => TaskItem[];

function roleTaskItems(ref: RoleRef, sub: 'tasks' | 'handlers', main: string | undefined, ctx: LoadContext, pos: SourcePos, loadTaskFileItems: TaskFileLoader): TaskItem[] {
  const files = roleYamlFiles(ref.path, sub, main, false, pos, ref.name);
  if (files.length === 0) return [];
  const inner: LoadContext = { ...ctx, role: ref, handlers: sub === 'handlers' };
  return loadTaskFileItems(files[0], inner, pos);
}

/** The Block a role use runs as: its keywords around dependency blocks and the role's tasks. */
export function roleBlock(loaded: LoadedRole, keywords: Keywords & KeywordExtras): Block {
  return { ...keywords, kind: 'block', role: loaded.role, block: [...loaded.dependencies, ...loaded.tasks], rescue: [], always: [] };
}

/**
 * Loads one use of a role: its files, its meta dependencies (first, recursively), and applies
 * Ansible's once-per-play rule. Returns undefined when the play already has this role use.
 */
export function expandRole(req: RoleRequest, ctx: LoadContext, loadTaskFileItems: TaskFileLoader): LoadedRole | undefined {
  const parents = req.parents ?? (ctx.role ? [ctx.role, ...ctx.role.parents] : []);
  const found = findRole(req.name, ctx, req.namePos ?? req.pos, req.ownerDir);
  // A role may include or import itself (other tasks_from); only meta dependencies may not loop.
  if (!req.fromInclude && parents.some((p) => p.path === found.path && p.name === found.name)) {
    throw new ConfigError(`role '${found.name}' depends on itself (${[found.name, ...parents.map((p) => p.name)].reverse().join(' -> ')})`, req.pos);
  }
  const identity = `${found.path}\u0000${stableJson({ p: req.params, w: req.keywords.when, t: req.keywords.tags, v: req.keywords.vars, f: req.fromFiles, i: req.fromInclude })}`;
  const meta = loadMeta(found.path);
  const allowDuplicates = req.allowDuplicates !== undefined ? toBool(req.allowDuplicates) : meta.allowDuplicates;
  const earlier = ctx.play?.seenRoles.get(identity);
  if (earlier && !allowDuplicates) return undefined;

  // A repeated use of the same role (allowed duplicates) is the same role object in Ansible:
  // its tasks run again, its handlers exist once.
  if (parents.length > 64) throw new ConfigError(`role '${found.name}' includes itself without end (${parents.length} levels deep)`, req.pos);
  // ...but an include's parent roles are those of the place it is included from
  const sameParents = (r: RoleRef) => r.parents.length === parents.length && r.parents.every((p, i) => p === parents[i]);
  const reused = earlier && !sameParents(earlier) && req.fromInclude ? { ...earlier, parents } : earlier;
  const ref: RoleRef = reused ?? {
    name: found.name,
    ...(found.collection ? { collection: found.collection } : {}),
    path: found.path,
    defaults: loadRoleVars(found.path, 'defaults', req.fromFiles.defaults, found.name, req.pos),
    // Ansible's Role.vars: the use's own `vars:` (a roles: entry's, import_role's) under vars/main.yml;
    // like the role's other vars they are the play's too (DEFAULT_PRIVATE_ROLE_VARS off)
    vars: { ...req.keywords.vars, ...loadRoleVars(found.path, 'vars', req.fromFiles.vars, found.name, req.pos) },
    params: req.params,
    parents,
  };
  ctx.play?.seenRoles.set(identity, ref);

  const dependencies: Block[] = [];
  const handlers: Task[] = [];
  const depFallback: SourcePos = { file: displayPath(join(found.path, 'meta')) };
  meta.dependencies.forEach((entry, i) => {
    const dep = parseRoleEntry(entry, meta.dependencies, i, depFallback);
    const loaded = expandRole(
      { name: staticText(dep.name, ctx, 'role name', dep.pos), params: dep.params, fromFiles: {}, fromInclude: false, keywords: dep.keywords, pos: dep.pos, parents: [ref, ...parents], ownerDir: dirname(found.path) },
      ctx,
      loadTaskFileItems,
    );
    if (!ref.deps?.includes(loaded?.role ?? ref)) (ref.deps ??= []).push(...(loaded ? [loaded.role] : []));
    if (!loaded) return;
    dependencies.push(roleBlock(loaded, dep.keywords));
    handlers.push(...loaded.handlers);
  });

  if (!earlier) ctx.play?.roles.push(ref);
  const roleCtx: LoadContext = { ...ctx, role: ref, baseDir: join(found.path, 'tasks') };
  const tasks = roleTaskItems(ref, 'tasks', req.fromFiles.tasks, roleCtx, req.pos, loadTaskFileItems);
  if (req.validate !== false) {
    const check = validationTask(ref, loadArgumentSpecs(found.path, meta.data, meta.pos), req.fromFiles.tasks ?? 'main', req.pos);
    if (check) tasks.unshift(check);
  }
  if (!earlier) {
    const own = roleTaskItems(ref, 'handlers', req.fromFiles.handlers, { ...roleCtx, baseDir: join(found.path, 'handlers') }, req.pos, loadTaskFileItems) as Task[];
    handlers.push(...own);
  } else handlers.length = 0;
  return { role: ref, tasks, handlers: handlers.map((h) => inheritInto(req.keywords, h)), dependencies, allowDuplicates };
}
