import type { SourcePos } from '../util/errors.js';

/**
 * The loaded, validated form of playbooks, roles and task files. Values stay untemplated
 * (strings may hold `{{ }}`); the executor renders them per host at run time.
 */

/** Keywords every task, block, role invocation and play may carry. */
export interface Keywords {
  name?: string;
  /** Raw conditions, each a bare expression string or a boolean; all must hold. */
  when: unknown[];
  tags: string[];
  become?: unknown;
  become_user?: unknown;
  become_method?: unknown;
  vars: Record<string, unknown>;
  /** Raw `environment:` entries, outermost first; each a dict or a template string. */
  environment: unknown[];
  no_log?: unknown;
  ignore_errors?: unknown;
  ignore_unreachable?: unknown;
  delegate_to?: unknown;
  run_once?: unknown;
  any_errors_fatal?: unknown;
  check_mode?: unknown;
  diff?: unknown;
  remote_user?: unknown;
  pos: SourcePos;
}

export interface LoopControl {
  loop_var?: string;
  index_var?: string;
  label?: unknown;
  pause?: unknown;
  extended?: unknown;
  /** With extended: false leaves ansible_loop.allitems out (big lists). */
  extended_allitems?: unknown;
}

export interface Task extends Keywords {
  kind: 'task';
  /** Canonical module name (FQCN stripped: `ansible.builtin.copy` -> `copy`). */
  action: string;
  /** Raw arguments; free-form text of free-form modules is in `_raw_params`. */
  args: Record<string, unknown>;
  /** `loop:` / `with_items:` / `with_dict:` ... value, raw. */
  loop?: unknown;
  /** `loop`, or `with_<lookup name>`. */
  loopKind?: string;
  loop_control?: LoopControl;
  register?: string;
  notify: string[];
  changed_when: unknown[];
  failed_when: unknown[];
  until?: unknown;
  retries?: unknown;
  delay?: unknown;
  /** `async:` seconds and `poll:` interval: the module runs as a background job on the target. */
  async?: unknown;
  poll?: unknown;
  /** Handlers only: extra topics this handler answers to. */
  listen: string[];
  /** The role the task came from, for role vars, defaults and file search paths. */
  role?: RoleRef;
  /** Directory relative paths of this task's file resolve against (its tasks file's dir). */
  baseDir: string;
  /**
   * A legacy `include`'s own `vars:`: include params (Ansible's get_include_params), unlike its
   * `k=v` parameters, which are plain task vars.
   */
  legacyIncludeVars?: Record<string, unknown>;
  /**
   * include_role: where its role's name is written, which the error for a role that is not found
   * points at (as Ansible's does): the `name:` value, or each item of a literal loop list.
   */
  roleNamePos?: { name?: SourcePos; items?: SourcePos[] };
}

export interface Block extends Keywords {
  kind: 'block';
  block: TaskItem[];
  rescue: TaskItem[];
  always: TaskItem[];
  role?: RoleRef;
  /** The block of a static legacy `include`: its `vars:`, include params of what it holds. */
  legacyIncludeVars?: Record<string, unknown>;
}

export type TaskItem = Task | Block;

/** One use of a role in a play (or as a dependency), with its params. */
export interface RoleRef {
  name: string;
  /** `namespace.collection` of a role found in a collection (its name is then the last part, as in Ansible). */
  collection?: string;
  /** Absolute path of roles/NAME. */
  path: string;
  defaults: Record<string, unknown>;
  vars: Record<string, unknown>;
  /** Role params (`- role: x` with extra keys, or `vars:` under it in Ansible's old style). */
  params: Record<string, unknown>;
  /** Roles this one was pulled in by, nearest first (Ansible's dep chain). */
  parents: RoleRef[];
  /** Its meta dependencies, direct ones (set once they are loaded). */
  deps?: RoleRef[];
}

export interface Play extends Keywords {
  /** Host pattern, raw (may be templated). */
  hosts: string;
  vars_files: unknown[];
  /** Role invocations resolved to blocks: meta dependencies first, each role once unless allowed. */
  roles: RoleRef[];
  /** pre_tasks, then role tasks (as blocks tagged with their role), then tasks, then post_tasks. */
  pre_tasks: TaskItem[];
  role_tasks: TaskItem[];
  tasks: TaskItem[];
  post_tasks: TaskItem[];
  /** Play handlers plus every role's handlers. */
  handlers: Task[];
  gather_facts?: unknown;
  serial?: unknown;
  strategy?: string;
  force_handlers?: unknown;
  max_fail_percentage?: unknown;
  /** Directory of the playbook file that holds this play. */
  baseDir: string;
}

export interface Playbook {
  /** Absolute path of the top-level playbook file. */
  path: string;
  /** import_playbook is resolved: every play of every imported file, in order. */
  plays: Play[];
}

/** The arg key under which a task keeps a templated whole-args mapping (`mod: "{{ args }}"`, `args: "{{ args }}"`) until it runs. */
export const VARIABLE_PARAMS = '_variable_params';
