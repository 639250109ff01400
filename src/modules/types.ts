import type { BecomeOptions, Connection, ExecOptions, ExecResult } from '../connection/types.js';
import type { VarSource } from '../template/var-source.js';
import type { TemplateFileOptions } from '../template/index.js';
import type { ShellText } from '../connection/shell-text.js';
import type { ArgsSchema, Infer } from './schema-types.js';

/** What an async task starts on the target (lib/async-job.ts runs it in the background). */
export interface AsyncLaunch {
  script: ShellText;
  stdin?: string;
  /** JSON data the module's asyncJob.result needs later (stored on the target with the job). */
  state: unknown;
}

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
  /** Usually text; `fail` and `debug` pass data (a list or dict) through as Ansible does. */
  msg?: unknown;
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

export interface ModuleContext<A = Record<string, unknown>> {
  /** inventory_hostname of the host the task runs for. */
  host: string;
  /**
   * Arguments after templating (`omit` and null removed), converted as Ansible's argument spec
   * converts them and validated against the module's argsSchema: their type is the schema's.
   */
  args: A;
  check: boolean;
  diff: boolean;
  /** Connection to the target (the delegate's connection under delegate_to). */
  conn: Connection;
  become?: BecomeOptions;
  /** The task's `environment:`, already rendered. */
  env: Record<string, string>;
  /** conn.exec with this task's become and environment applied. Build the script with `sh` (connection/shell-text.ts): a plain string is not accepted. */
  exec(script: ShellText, opts?: Omit<ExecOptions, 'become' | 'env'>): Promise<ExecResult>;
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
  /** Every module by name and alias (async_status hands a job's output to the module that started it). */
  modules: ReadonlyMap<string, ModuleDef>;
}

/**
 * One module: a name, its arguments' JSON Schema, what the engine needs to know about it, and a
 * run function. The engine runs every module through one pipeline: render the task's args,
 * convert (Ansible's argument-spec conversions, driven by the schema), validate against the
 * same schema, then call `run` with typed args. Under --check a module without `checkMode` is
 * skipped by the engine and never reaches the host.
 */
export interface ModuleDef<A = Record<string, unknown>> {
  name: string;
  aliases?: string[];
  /**
   * Modules whose free-form text (`command: ls -l`) is an argument. The loader puts the text
   * that is not `key=value` into `_raw_params`.
   */
  freeForm?: boolean;
  /** JSON Schema (draft-07) for `args`, checked after templating; a property may carry `noLog: true` (its value is never shown). */
  argsSchema: ArgsSchema;
  /** Ansible's supports_check_mode: the module itself honours ctx.check. When false, --check skips it. */
  checkMode: boolean;
  /** Ansible's message when it skips the module under --check ('' = none); default `remote module (NAME) does not support check mode`. */
  checkModeSkipMsg?: string;
  /** Runs entirely on the control side: no connection needed (debug, set_fact, assert...). */
  controlOnly?: boolean;
  /** Where the `ansible_facts` it returns go: host facts (default), set_fact's or include_vars' precedence layer. */
  factsLayer?: 'facts' | 'setFacts' | 'includeVars';
  /** Runs once for the whole play, on the first host (Ansible's BYPASS_HOST_LOOP: pause). */
  bypassHostLoop?: boolean;
  /** The module the play's implicit "Gathering Facts" task runs. */
  gathersFacts?: boolean;
  /** Output: a result with `msg` shows only msg and the status keys (debug's callback rule). */
  resultIsMessage?: boolean;
  /**
   * `run` makes exactly one request (ctx.exec) and nothing else that a later loop item could
   * see: a loop's items may then be sent one behind the other without waiting for answers
   * (task-runner.ts pipelineLane); each item's request and result stay what they were alone.
   */
  oneRequest?: boolean;
  /**
   * Under `async:` Ansible runs the module as a background job. tsrun can when the module's work
   * is one script: `start` gives that script (or a result when nothing is to run), `result` turns
   * the job's recorded output into the module's result later (async_status, src/modules/lib/async-job.ts).
   */
  asyncJob?: {
    start(ctx: ModuleContext<A>): { launch: AsyncLaunch } | { result: ModuleResult };
    result(state: unknown, out: ExecResult): ModuleResult;
  };
  run(ctx: ModuleContext<A>): Promise<ModuleResult>;
}

/**
 * The module itself broke (Ansible: its process died without a JSON result). The task fails with
 * Ansible's MODULE FAILURE result, the crash's text in module_stderr.
 */
export class ModuleCrash extends Error {
  constructor(readonly stderr: string, readonly stdout = '') {
    super(stderr);
    this.name = 'ModuleCrash';
  }
}

/** Declares a module whose `run` gets arguments typed from its schema (write the schema `as const`). */
export function defineModule<const S extends ArgsSchema>(def: Omit<ModuleDef<Infer<S>>, 'argsSchema'> & { argsSchema: S }): ModuleDef<Infer<S>> {
  return def;
}
