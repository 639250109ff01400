import type { BecomeOptions, Connection, ExecOptions, ExecResult } from '../connection/types.js';
import type { VarSource } from '../vars/types.js';
import type { TemplateFileOptions } from '../template/index.js';

/** A unified diff entry as Ansible modules return it under `diff`. */
export interface FileDiff {
  before: string;
  after: string;
  before_header?: string;
  after_header?: string;
}

/**
 * What a module returns; the same keys Ansible modules return, so `register` and the JSON
 * output look alike. Extra module-specific keys (stat, path, mode...) go alongside.
 */
export interface ModuleResult {
  changed?: boolean;
  failed?: boolean;
  skipped?: boolean;
  msg?: string;
  rc?: number;
  stdout?: string;
  stderr?: string;
  stdout_lines?: string[];
  stderr_lines?: string[];
  diff?: FileDiff | FileDiff[];
  /** set_fact, include_vars and setup hand variables back to the executor here. */
  ansible_facts?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ModuleContext {
  /** inventory_hostname of the host the task runs for. */
  host: string;
  /** Arguments after templating, with `omit` values removed. */
  args: Record<string, unknown>;
  check: boolean;
  diff: boolean;
  /** Connection to the target (the delegate's connection under delegate_to). */
  conn: Connection;
  become?: BecomeOptions;
  /** The task's `environment:`, already rendered. */
  env: Record<string, string>;
  /** conn.exec with this task's become and environment applied. */
  exec(script: string, opts?: Omit<ExecOptions, 'become' | 'env'>): Promise<ExecResult>;
  /** Control-side path of a role/playbook file (`files/`, `templates/`...), Ansible's search order. Throws if absent. */
  findFile(kind: 'files' | 'templates' | 'vars' | 'tasks', relPath: string): string;
  /** Renders a template file (.ejs: EJS, otherwise Jinja2) with every variable visible to the task. */
  renderTemplateFile(path: string, opts?: TemplateFileOptions): Promise<string>;
  /** Evaluates a bare Jinja expression (`that:`, `var:`) with the task's variables. */
  evaluate(expr: string): unknown;
  /** Renders `{{ }}` inside a value with the task's variables. */
  render(value: unknown): unknown;
  vars: VarSource;
  noLog: boolean;
  /** Verbosity-gated logging (-v .. -vvvv). Never pass secrets. */
  log(level: number, message: string): void;
  signal: AbortSignal;
}

/** One module: a name, its arguments' JSON Schema and a run function. */
export interface ModuleDef {
  name: string;
  aliases?: string[];
  /**
   * Modules whose free-form text (`command: ls -l`) is an argument. The loader puts the text
   * that is not `key=value` into `_raw_params`.
   */
  freeForm?: boolean;
  /** JSON Schema (draft-07) for `args`, checked by the loader before any host is touched. */
  argsSchema: Record<string, unknown>;
  /** Runs entirely on the control side: no connection needed (debug, set_fact, assert...). */
  controlOnly?: boolean;
  run(ctx: ModuleContext): Promise<ModuleResult>;
}
