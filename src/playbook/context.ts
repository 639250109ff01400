import type { ModuleDef } from '../modules/types.js';
import type { Block, RoleRef, Task } from './types.js';

/** What the loader reads of a module: enough to resolve a task's action and split its free-form text. */
export type LoaderModule = Pick<ModuleDef, 'name' | 'freeForm' | 'argsSchema'>;

export interface LoaderOptions {
  /** Module registry: canonical names and aliases; FQCN ansible.builtin.X / ansible.legacy.X map to X. */
  modules: ReadonlyMap<string, LoaderModule>;
  /**
   * Role search dirs (ANSIBLE_ROLES_PATH / roles_path), tried after <playbook dir>/roles and before the
   * depending role's parent dir and the playbook dir. Default: Ansible's (~/.ansible/roles, /usr/share/ansible/roles, /etc/ansible/roles).
   */
  rolesPath?: string[];
  /**
   * Renders a template in a static import's file or role name (`import_tasks: "{{ x }}.yml"`)
   * with play vars; without it such imports are a load error (Ansible allows play vars / extra vars only).
   */
  renderStatic?: (text: string, vars: Record<string, unknown>) => string;
}

/** State shared while one play loads: roles seen (Ansible runs a role once per play) and role handlers. */
export interface PlayState {
  seenRoles: Map<string, RoleRef>;
  roles: RoleRef[];
  roleHandlers: Task[];
  vars: Record<string, unknown>;
}

export interface LoadContext {
  opts: LoaderOptions;
  /** Directory of the playbook: role search and static import fallback. */
  playbookDir: string;
  /** Directory of the file being loaded: Task.baseDir. */
  baseDir: string;
  role?: RoleRef;
  handlers: boolean;
  play?: PlayState;
  /** Files being loaded, outermost first, to stop import loops. */
  fileStack: string[];
  /** Loaded at run time by include_tasks: a legacy `include:` in it stays dynamic (Ansible's all_parents_static). */
  insideDynamic?: boolean;
}

/** One loaded role use, ready to run: dependency blocks first, then the role's own tasks. */
export interface LoadedRole {
  role: RoleRef;
  tasks: import('./types.js').TaskItem[];
  /** This role's and its dependencies' handlers (dependencies first), role set on each. */
  handlers: Task[];
  /** Direct dependencies in run order, each a Block (its entry's keywords, its RoleRef) holding its own dependencies' blocks then its tasks; already de-duplicated per play. */
  dependencies: Block[];
  allowDuplicates: boolean;
}
