import { isAbsolute } from 'node:path';
import type { BecomeOptions, Connection, ConnectionSpec, TransferObserver } from '../connection/types.js';
import { UnreachableError } from '../connection/types.js';
import { TimeoutError } from '../connection/shell-session.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../modules/types.js';
import { truthy } from '../template/python.js';
import type { TaskInfo } from '../output/events.js';
import type { Task } from '../playbook/types.js';
import { unimplementedValue } from '../playbook/keywords.js';
import { evaluate, evaluateCondition, isTemplated, LoopLookupError, OMIT_TOKEN, pythonException, renderTemplateFile, renderValue, UndefinedVariableError } from '../template/index.js';
import { formatPos, TsrunError } from '../util/errors.js';
import type { Scope, VarLayer } from '../vars/scope.js';
import { pyStr } from '../util/python-repr.js';
import { callModule, spreadVariableParams } from './module-args.js';
import { stripFqcn } from '../playbook/actions.js';
import { DEFAULT_POLL, runAsync, type AsyncEvents } from './async-task.js';
import { toBool } from '../util/ansible-bool.js';
import { connectionVars } from './connections.js';
import { searchFile } from '../util/file-search.js';
import type { Frame } from './frame.js';
import { nearest, nearestRendered } from './frame.js';
import { combineInto, isPlainObject } from '../inventory/combine-vars.js';
import { holdsUnsafeText, markSafeFacts, trackUnsafe } from '../vars/unsafe.js';
import { storeSetFacts } from '../vars/manager.js';
import { INCLUDE_ACTIONS, ownIncludeParams } from './includes.js';
import { extendedLoopVars, loopItems, loopVarNames } from './loop.js';
import type { PlayContext } from './run-context.js';

export type Outcome = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

export interface TaskOutcome {
  /** What the module returned: registered, and used for facts and handlers. */
  result: ModuleResult;
  /** What is printed: the result, or its censored form under no_log. */
  shown: ModuleResult;
  status: Outcome;
  ignored: boolean;
  delegatedTo?: string;
  /** The delegated host's ansible_host: Ansible's label adds it when it differs, `h1 -> web1(10.0.0.21)`. */
  delegatedHost?: string;
}

interface Delegation {
  conn?: Connection;
  delegatedTo?: string;
  delegatedHost?: string;
}

const CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";


/**
 * Ansible's TaskResult.is_failed: where failed_when gave a verdict (on the result or on any loop
 * item) that verdict decides, not `failed`; an until loop that ran out of retries sets `failed`
 * after failed_when, so both keys can disagree.
 */
function isFailed(r: ModuleResult): boolean {
  const items = Array.isArray(r.results) ? r.results.filter((x): x is ModuleResult => typeof x === 'object' && x !== null) : [];
  const key = 'failed_when_result' in r || items.some((x) => 'failed_when_result' in x) ? 'failed_when_result' : 'failed';
  return items.length > 0 ? items.some((x) => truthy(x[key])) : truthy(r[key]);
}

export function statusOf(r: ModuleResult): Outcome {
  if (r.unreachable === true) return 'unreachable';
  if (isFailed(r)) return 'failed';
  if (r.skipped === true) return 'skipped';
  return r.changed === true ? 'changed' : 'ok';
}

/** The search path for files a task names: its role, its file's dir, the playbook dir (Ansible's order). */
export function searchPath(task: Task, frame: Frame, playbookDir: string): string[] {
  const role = task.role ?? frame.role;
  return [...(role ? [role.path] : []), task.baseDir, playbookDir];
}

function errorMessage(err: unknown, task: Task): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (err instanceof LoopLookupError) return msg;
  const where = formatPos(task.pos);
  // Scope errors already say which task; others get it here, so the operator knows where to look.
  if (where && msg.includes(where)) return msg;
  return `${msg}. The error appears to be in task '${task.name ?? task.action}' at '${where}'`;
}


/** A task that failed before its action ran (templating its args, condition or loop): Ansible's result is only `failed` and `msg`. */
function notRun(err: unknown, task: Task): ModuleResult {
  return { failed: true, msg: errorMessage(err, task) };
}

/** The task's arguments rendered; an undefined variable is reported in Ansible's words (targets match on them). */
function renderArgs(args: unknown, env: Parameters<typeof renderValue>[1]): unknown {
  try {
    return renderValue(args, env);
  } catch (err) {
    if (err instanceof UndefinedVariableError) throw new TsrunError(`The task includes an option with an undefined variable. The error was: ${err.message}`, { cause: err });
    throw err;
  }
}

/**
 * set_fact's arguments, each value rendered on its own (as Ansible templates them), and the
 * names whose value read no unsafe variable: Ansible renders those again when they are read.
 */
function renderFactArgs(args: Record<string, unknown>, scope: Scope, searchPath: string[]): { args: Record<string, unknown>; safe: Set<string> } {
  const out: Record<string, unknown> = {};
  const safe = new Set<string>();
  for (const [k, v] of Object.entries(args)) {
    const key = pyStr(renderArgs(k, { vars: scope, searchPath }));
    const tracker = trackUnsafe(scope);
    out[key] = renderArgs(v, { vars: tracker, searchPath });
    if (!tracker.touched() && !holdsUnsafeText(v)) safe.add(key);
  }
  return { args: out, safe };
}

/**
 * The task's arguments could not be templated: no module ran. Ansible raises this out of the
 * item (post_validate), so in a loop the whole task fails with that message and no results, and
 * failed_when/until never see it. `execute` and `once` return it beside a module's result.
 */
class ArgsFailure {
  constructor(readonly msg: string) {}

  /** The task's result: as for any task that fails before its action runs, only `failed` and `msg`. */
  result(): ModuleResult {
    return { failed: true, msg: this.msg };
  }
}

/** A module's result, or the task's result for arguments that could not be templated. */
function taskResult(r: ModuleResult | ArgsFailure): ModuleResult {
  return r instanceof ArgsFailure ? r.result() : r;
}

/** Runs one task (with its loop, conditions, retries and result rules) for one host. */
export class TaskRunner {
  constructor(
    private readonly pc: PlayContext,
    private readonly task: Task,
    private readonly frame: Frame,
  ) {}

  private get run() {
    return this.pc.run;
  }

  /** Warnings already given per host: Ansible runs a task for a host in one worker process, whose Display prints each once. */
  private readonly warnedFor = new Map<string, Set<string>>();

  /**
   * Ansible's Conditional with the task's variables; a condition holding {{ }} warns, as Ansible's
   * does. With `host`, the task runs for that host (Ansible's worker: a repeat within the task is
   * dropped); without, the play evaluates it (Ansible's main process: once per run).
   */
  condition(cond: unknown, vars: Scope, host?: string, searchPath?: string[]): boolean {
    const warn = (m: string) => {
      if (host === undefined) return this.run.callback.warning(m);
      const seen = this.warnedFor.get(host) ?? new Set<string>();
      this.warnedFor.set(host, seen);
      if (seen.has(m)) return;
      seen.add(m);
      this.run.callback.warning(m, { worker: true });
    };
    return evaluateCondition(cond, { vars, warn, ...(searchPath ? { searchPath } : {}) });
  }

  scopeFor(host: string): Scope {
    const role = this.task.role ?? this.frame.role;
    return this.run.vars
      .scope(host, this.pc.playVars, { role, blockVars: this.frame.blockVars, taskVars: this.task.vars, includeParams: this.includeParams() }, searchPath(this.task, this.frame, this.pc.playVars.playbookDir))
      .withContext(`task '${this.task.name ?? this.task.action}' (${formatPos(this.task.pos)})`);
  }

  /** Ansible's get_include_params: an include's own vars count among them. */
  private includeParams(): Record<string, unknown>[] | undefined {
    const outer = this.frame.includeParams;
    const own = INCLUDE_ACTIONS.has(this.task.action) ? ownIncludeParams(this.task) : {};
    return Object.keys(own).length === 0 ? outer : [...(outer ?? []), own];
  }

  private kw<K extends keyof Task>(key: K): Task[K] | undefined {
    return nearest(this.frame, this.task, key as never) as Task[K] | undefined;
  }

  /** A keyword's value rendered with the host's variables (undefined when unset or `omit` everywhere). */
  private kwValue(key: keyof Task, scope: Scope): unknown {
    return nearestRendered(this.frame, this.task, key as never, (v) => renderValue(v, { vars: scope }), OMIT_TOKEN);
  }

  private kwBool(key: 'no_log' | 'ignore_errors' | 'ignore_unreachable' | 'run_once' | 'any_errors_fatal', scope: Scope): boolean {
    const v = this.kwValue(key, scope);
    return v === undefined ? false : toBool(v);
  }

  noLog(scope: Scope): boolean {
    return this.kwBool('no_log', scope);
  }

  /** Evaluates `when` (inherited conditions first); returns the first false condition, or undefined. */
  private falseCondition(scope: Scope, host: string): unknown {
    for (const cond of [...this.frame.when, ...this.task.when]) {
      if (!this.condition(cond, scope, host)) return cond;
    }
    return undefined;
  }

  private become(scope: Scope): BecomeOptions | undefined {
    const opts = this.run.opts;
    const varBecome = scope.has('ansible_become') ? scope.lookup('ansible_become') : undefined;
    const kwBecome = this.kwValue('become', scope);
    const on = varBecome !== undefined ? toBool(varBecome) : kwBecome !== undefined ? toBool(kwBecome) : opts.become;
    if (!on) return undefined;
    const user =
      (scope.has('ansible_become_user') ? scope.lookup('ansible_become_user') : undefined) ??
      this.kwValue('become_user', scope) ??
      opts.becomeUser ??
      'root';
    const password =
      ['ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass', 'ansible_sudo_password']
        .map((n) => (scope.has(n) ? scope.lookup(n) : undefined))
        .find((v) => v !== undefined && v !== null) ?? opts.becomePassword;
    if (typeof password === 'string') this.run.redactor.add(password);
    // Only sudo is implemented: any other method, exe or flags (variable, or keyword templated to it) fails the task.
    for (const k of ['become_method', 'become_exe', 'become_flags'] as const) {
      const value = scope.has(`ansible_${k}`) ? scope.lookup(`ansible_${k}`) : this.kwValue(k as never, scope);
      const why = unimplementedValue(k, value);
      if (why) throw new TsrunError(why);
    }
    return { user: String(user), password: password === undefined ? undefined : String(password), method: 'sudo' };
  }

  private environment(scope: Scope): Record<string, string> {
    const env: Record<string, string> = {};
    const sources = [...this.frame.chain.flatMap((k) => k.environment), ...this.task.environment];
    const put = (k: string, v: unknown) => {
      if (v !== OMIT_TOKEN && v !== undefined && v !== null) env[k] = String(v);
    };
    for (const src of sources) {
      if (src !== null && typeof src === 'object' && !Array.isArray(src)) {
        // Ansible templates a mapping key by key, and drops a key that needs ansible_env while it is
        // undefined (the play's environment on the fact-gathering task, Task._post_validate_environment)
        for (const [k, v] of Object.entries(src)) {
          try {
            put(k, renderValue(v, { vars: scope }));
          } catch (err) {
            if (err instanceof Error && /ansible_env|ansible_facts\.env/.test(err.message)) continue;
            throw err;
          }
        }
        continue;
      }
      const rendered = renderValue(src, { vars: scope });
      if (rendered && typeof rendered === 'object' && !Array.isArray(rendered)) {
        for (const [k, v] of Object.entries(rendered)) put(k, v);
      }
    }
    return env;
  }

  /** The host whose connection runs the task: delegate_to, or the host itself. */
  private async connectionFor(host: string, scope: Scope): Promise<Delegation & { conn: Connection }> {
    const { spec, delegatedTo, delegatedHost } = this.connectionSpec(host, scope);
    const conn = await this.run.connections.get(spec);
    return { conn, delegatedTo, delegatedHost };
  }

  /**
   * meta: reset_connection for `host`: its connection is closed, so the next task logs in anew
   * (and sees groups the user was added to since), as Ansible's ssh plugin's reset does. False
   * for a local connection, which Ansible cannot reset either (it warns).
   */
  async resetConnection(host: string): Promise<boolean> {
    const { spec } = this.connectionSpec(host, this.scopeFor(host));
    if (spec.kind === 'local') return false;
    await this.run.connections.close(spec);
    return true;
  }

  private connectionSpec(host: string, scope: Scope): Delegation & { spec: ConnectionSpec } {
    const delegate = this.kw('delegate_to');
    const run = this.run;
    let target = host;
    let targetVars: Record<string, unknown>;
    if (delegate !== undefined && delegate !== null && delegate !== '') {
      target = String(renderValue(delegate, { vars: scope }));
      if (run.inventory.hostNames.includes(target)) {
        targetVars = connectionVars(run.vars.scope(target, this.pc.playVars));
      } else if (['localhost', '127.0.0.1', '::1'].includes(target)) {
        targetVars = { ansible_connection: 'local', ansible_host: target };
      } else {
        targetVars = { ansible_host: target };
      }
    } else {
      targetVars = connectionVars(scope);
      // the `connection` keyword (play, block or task) applies where no ansible_connection var says otherwise
      const kwConn = nearest(this.frame, this.task, 'connection' as never) as unknown;
      if (kwConn !== undefined && targetVars.ansible_connection === undefined) targetVars.ansible_connection = renderValue(kwConn, { vars: scope });
      // so does the `port` keyword where no ansible_port / ansible_ssh_port var is set
      const kwPort = nearest(this.frame, this.task, 'port' as never) as unknown;
      if (kwPort !== undefined && targetVars.ansible_port === undefined && targetVars.ansible_ssh_port === undefined) targetVars.ansible_port = renderValue(kwPort, { vars: scope });
      if (targetVars.ansible_connection === undefined && run.opts.connection !== undefined) targetVars.ansible_connection = run.opts.connection;
    }
    for (const k of ['ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password']) run.redactor.add(targetVars[k]);
    const kwUser = this.kwValue('remote_user', scope);
    const remoteUser = kwUser !== undefined ? String(kwUser) : undefined;
    const spec = run.connections.specFor(target, targetVars, remoteUser);
    if (target === host) return { spec };
    const address = targetVars.ansible_host;
    return { spec, delegatedTo: target, delegatedHost: typeof address === 'string' ? address : undefined };
  }

  private checkMode(scope: Scope): boolean {
    const v = this.kwValue('check_mode', scope);
    return v === undefined ? this.run.opts.check : toBool(v);
  }

  private diffMode(scope: Scope): boolean {
    const v = this.kwValue('diff', scope);
    return v === undefined ? this.run.opts.diff : toBool(v);
  }

  /** The task's module; a templated name (`action: {module: "{{ m }}"}`) is rendered with the host's variables. */
  module(scope?: Scope): ModuleDef {
    let name = this.task.action;
    if (isTemplated(name)) name = stripFqcn(String(renderValue(name, { vars: scope ?? this.scopeFor(this.pc.hosts.keys().next().value ?? '') })).trim());
    const def = this.run.modules.get(name);
    if (!def) throw new TsrunError(`couldn't resolve module/action '${name}'`, { pos: this.task.pos });
    return def;
  }

  /** One execution of the module with `scope`, with until/retries, changed_when and failed_when. */
  private async once(host: string, scope: Scope, delegated: Delegation, pipe?: Pipe): Promise<ModuleResult | ArgsFailure> {
    const def = this.module(scope);
    const retriesRaw = this.task.retries;
    const hasUntil = this.task.until !== undefined;
    // Ansible's int keywords: int(value), so `delay: 0.01` is 0.
    const retries = hasUntil ? Math.trunc(Number(retriesRaw === undefined ? 3 : renderValue(retriesRaw, { vars: scope }))) : 0;
    const delay = Math.trunc(Number(this.task.delay === undefined ? 5 : renderValue(this.task.delay, { vars: scope })));
    let attempt = 0;
    for (;;) {
      attempt++;
      const ran = await this.execute(def, host, scope, delegated, pipe);
      if (ran instanceof ArgsFailure || ran.unreachable) return ran;
      let result = ran;
      // Ansible's task executor: a result without `failed` gets one (rc still counts for old
      // modules), and `attempts`, before changed_when/failed_when see the result.
      if (!('failed' in result) && !result.skipped) result.failed = result.rc !== undefined && String(result.rc) !== '0';
      if (hasUntil) result.attempts = attempt;
      if (!result.skipped) result = this.resultRules(result, scope, host);
      if (!hasUntil) return result;
      const checkScope = this.task.register ? scope.with({ name: 'register', values: { [this.task.register]: result }, templated: false }) : scope;
      // Ansible checks only the condition: a failed result that meets it ends the retries, failed.
      const done = this.condition(this.task.until, checkScope.with({ name: 'result', values: result, templated: false }), host);
      if (done) return result;
      if (attempt > retries) {
        // ansible-core 2.14 reports one attempt fewer than it ran once retries are exhausted, and
        // marks the result failed even where failed_when held false; statusOf still lets that
        // failed_when_result decide, as Ansible's TaskResult.is_failed does.
        const failedWhen = typeof result.failed_when_result === 'boolean' ? result.failed_when_result : true;
        return { ...result, attempts: attempt - 1, failed: true, ...(failedWhen ? { msg: result.msg ?? 'Retries exhausted' } : {}) };
      }
      this.run.callback.retrying(host, this.info(), retries - attempt + 1, result);
      await new Promise((r) => setTimeout(r, delay * 1000));
      if (this.run.signal.aborted) return result;
    }
  }

  private cachedInfo?: TaskInfo;

  /** Reports this host's large pushes to the callback's progress line, where it shows one. */
  private transferObserver(host: string): TransferObserver | undefined {
    const cb = this.run.callback;
    if (!cb.transfer) return undefined;
    const info = this.info();
    return (sent, total) => cb.transfer?.(host, info, sent, total);
  }

  /** Banner data; the name is rendered once with the first host's variables, as Ansible does. */
  info(firstHost?: string): TaskInfo {
    if (this.cachedInfo) return this.cachedInfo;
    let name = this.task.name;
    if (name !== undefined && isTemplated(name) && firstHost !== undefined) {
      try {
        name = String(renderValue(name, { vars: this.scopeFor(firstHost) }));
      } catch {
        // An undefined variable leaves the name as written (Ansible's fail_on_undefined=False).
      }
    }
    this.cachedInfo = taskInfo(this.pc, { ...this.task, name }, this.frame);
    if (isTemplated(this.task.action) && firstHost !== undefined) {
      // the banner keeps the name as written; results name the module it rendered to
      try {
        const def = this.module(this.scopeFor(firstHost));
        this.cachedInfo = { ...this.cachedInfo, action: def.name, ...(def.resultIsMessage ? { resultIsMessage: true } : {}) };
      } catch {
        // an unresolvable name fails the task when it runs
      }
    }
    return this.cachedInfo;
  }

  /**
   * changed_when, then failed_when, seeing the result under its register name and the facts it
   * set. A condition that cannot be evaluated fails the task with the error as its
   * `changed_when_result`/`failed_when_result`, as Ansible's task executor does.
   */
  resultRules(result: ModuleResult, scope: Scope, host: string): ModuleResult {
    const out = { ...result };
    if (!this.task.changed_when.length && !this.task.failed_when.length) return out;
    let withReg = this.task.register ? scope.with({ name: 'register', values: { [this.task.register]: out }, templated: false }) : scope;
    const facts = out.ansible_facts;
    if (facts && typeof facts === 'object' && this.module().factsLayer) withReg = withReg.with({ name: 'result facts', values: facts as Record<string, unknown>, templated: false });
    let which = 'changed';
    try {
      if (this.task.changed_when.length) {
        out.changed = this.task.changed_when.every((c) => this.condition(c, withReg, host));
      }
      which = 'failed';
      if (this.task.failed_when.length) {
        const failed = this.task.failed_when.every((c) => this.condition(c, withReg, host));
        out.failed_when_result = failed;
        out.failed = failed;
        if (!failed && out.msg === 'non-zero return code') delete out.msg;
      }
    } catch (err) {
      out.failed = true;
      out[`${which}_when_result`] = err instanceof Error ? err.message : String(err);
    }
    return out;
  }

  /** The `timeout:` keyword in seconds (0: none), templated like Ansible's int field. */
  private timeoutSec(scope: Scope): number {
    const raw = nearest(this.frame, this.task, 'timeout' as never) as unknown;
    if (raw === undefined || raw === null || raw === '') return 0;
    const n = Number(renderValue(raw, { vars: scope }));
    if (!Number.isInteger(n) || n < 0) throw new TsrunError(`timeout must be a whole number of seconds, got ${JSON.stringify(raw)}`, { pos: this.task.pos });
    return n;
  }

  /** An int keyword (async, poll) templated as Ansible's int fields: int(value). */
  private intKeyword(key: 'async' | 'poll', scope: Scope, dflt: number): number {
    const raw = this.task[key];
    if (raw === undefined || raw === null) return dflt;
    const n = Math.trunc(Number(renderValue(raw, { vars: scope })));
    if (!Number.isFinite(n)) throw new TsrunError(`${key} must be a whole number, got ${JSON.stringify(raw)}`, { pos: this.task.pos });
    return n;
  }

  private asyncEvents(host: string): AsyncEvents {
    return {
      status: (kind, result) => this.run.callback.asyncStatus?.(host, this.info(), kind, result),
      modules: this.run.modules,
      signal: this.run.signal,
    };
  }

  /** Ansible's task timeout message (task_executor.py), with the action as written. */
  private timeoutResult(sec: number): ModuleResult {
    return { failed: true, changed: false, msg: `The ${this.task.action} action failed to execute in the expected time frame (${sec}) and was terminated` };
  }

  private async execute(def: ModuleDef, host: string, scope: Scope, delegated: Delegation, pipe?: Pipe): Promise<ModuleResult | ArgsFailure> {
    let deadline: number | undefined;
    let timeoutSec = 0;
    let safeNames: ReadonlySet<string> | undefined;
    try {
      timeoutSec = this.timeoutSec(scope);
      if (timeoutSec > 0) deadline = Date.now() + timeoutSec * 1000;
      const paths = searchPath(this.task, this.frame, this.pc.playVars.playbookDir);
      // lookups in the args (template, file...) search the role's and play's dirs like the module does
      let args: Record<string, unknown>;
      try {
        const factArgs = def.factsLayer === 'setFacts' && isPlainObject(this.task.args) ? renderFactArgs(this.task.args, scope, paths) : undefined;
        args = spreadVariableParams(factArgs ? factArgs.args : renderArgs(this.task.args, { vars: scope, searchPath: paths }));
        safeNames = factArgs?.safe;
      } catch (err) {
        if (err instanceof UnreachableError) throw err;
        // a Python exception fails this task (this item) only, with Ansible's `exception` and no msg
        const py = pythonException(err);
        if (py) return { failed: true, changed: false, exception: `Traceback (most recent call last):\n${py.pyClass}: ${py.message}\n` };
        return new ArgsFailure(errorMessage(err, this.task));
      }
      const noLog = this.noLog(scope);
      const become = def.controlOnly ? undefined : this.become(scope);
      const env = def.controlOnly ? {} : this.environment(scope);
      const conn = delegated.conn;
      const onTransfer = this.transferObserver(host);
      const ctx: ModuleContext = {
        host,
        args,
        check: this.checkMode(scope),
        diff: this.diffMode(scope),
        conn: conn as Connection,
        become,
        env,
        exec: (script, opts) => {
          if (!conn) throw new TsrunError(`module '${def.name}' has no connection`);
          // Under `timeout:` every remote script carries the time left, so the target's watchdog
          // kills its process group when the task's time is up.
          const left = deadline === undefined ? undefined : Math.max(1, deadline - Date.now());
          const timeoutMs = left === undefined ? opts?.timeoutMs : Math.min(opts?.timeoutMs ?? left, left);
          if (!pipe) return conn.exec(String(script), { ...opts, timeoutMs, become, env, onTransfer });
          const sent = conn.exec(String(script), { ...opts, timeoutMs, become, env, onTransfer, lane: pipe.lane });
          pipe.submitted();
          return sent;
        },
        findFile: (kind, rel) => findFile(paths, kind, rel),
        modules: this.run.modules,
        renderTemplateFile: (path, opts) => renderTemplateFile(path, { vars: scope, searchPath: paths }, opts),
        evaluate: (expr) => evaluate(expr, { vars: scope, searchPath: paths }),
        // lookups in assert's conditions find files as the task's own do
        condition: (cond) => this.condition(cond, scope, host, paths),
        rawArgs: this.task.args,
        render: (value) => renderValue(value, { vars: scope, searchPath: paths }),
        vars: scope,
        noLog,
        log: (level, message) => {
          if (this.run.opts.verbosity >= level) process.stderr.write(`${this.run.redactor.text(`<${host}> ${message}`)}\n`);
        },
        signal: this.run.signal,
      };
      const asyncSec = this.intKeyword('async', scope, 0);
      // callModule (module-args.ts): check-mode skip, then ctx.args converted as Ansible does and
      // validated against def.argsSchema; a value that fails is the task's failure, naming the
      // argument, the expected type and the rendered value. The module gets typed arguments.
      const running = asyncSec > 0 ? runAsync(def, ctx, asyncSec, this.intKeyword('poll', scope, DEFAULT_POLL), this.asyncEvents(host)) : callModule(def, this.task.action, ctx);
      if (deadline === undefined) return markSafeFacts({ changed: false, ...(await running) }, safeNames);
      const result = await raceDeadline(running, deadline);
      return result === TIMED_OUT ? this.timeoutResult(timeoutSec) : markSafeFacts({ changed: false, ...result }, safeNames);
    } catch (err) {
      if (err instanceof UnreachableError) return { unreachable: true, changed: false, msg: err.message };
      if (err instanceof TimeoutError && deadline !== undefined && Date.now() >= deadline - 50) {
        return this.timeoutResult(timeoutSec);
      }
      // A module that throws fails its task; the message names the task and its file:line.
      return { failed: true, changed: false, msg: errorMessage(err, this.task) };
    }
  }

  /** Runs the task for `host`: conditions, loop, module, register. Facts go back through the result. */
  async runFor(host: string): Promise<TaskOutcome> {
    const scope = this.scopeFor(host);
    let delegated: Delegation = {};
    try {
      if (!this.task.loop) {
        const falseCond = this.falseCondition(scope, host);
        if (falseCond !== undefined) {
          // ansible-core 2.14 results carry no false_condition; no_log censors skips too.
          return this.finish(host, scope, { changed: false, skipped: true, skip_reason: 'Conditional result was False' }, {});
        }
      }
      const def = this.module(scope);
      const skippedByCheck = !def.checkMode && this.checkMode(scope);
      if (!skippedByCheck && (!def.controlOnly || this.kw('delegate_to') !== undefined)) delegated = await this.connectionFor(host, scope);
    } catch (err) {
      if (err instanceof UnreachableError) {
        return this.finish(host, scope, { unreachable: true, changed: false, msg: this.run.redactor.text(err.message) }, delegated);
      }
      return this.finish(host, scope, notRun(err, this.task), delegated);
    }
    if (!this.task.loop) return this.finish(host, scope, taskResult(await this.once(host, scope, delegated)), delegated);
    return this.finish(host, scope, await this.runLoop(host, scope, delegated), delegated);
  }

  /**
   * A lane (ExecOptions.lane) for this loop's items, when they can go to the target without
   * waiting for each other's answers and nothing about them changes: a module that makes
   * exactly one request and whose result nothing in the loop reads before the next item
   * (`oneRequest`), named as written, on a connection that keeps the order; no until/retries
   * (the next item waits for this one's answer), no timeout or async (their clocks and jobs are per request).
   */
  private pipelineLane(delegated: Delegation): object | undefined {
    if (!delegated.conn?.pipelines || isTemplated(this.task.action)) return undefined;
    if (this.task.until !== undefined || (this.task.async !== undefined && this.task.async !== null)) return undefined;
    const timeout = nearest(this.frame, this.task, 'timeout' as never) as unknown;
    if (timeout !== undefined && timeout !== null && timeout !== '') return undefined;
    return this.run.modules.get(this.task.action)?.oneRequest ? {} : undefined;
  }

  private async runLoop(host: string, scope: Scope, delegated: Delegation): Promise<ModuleResult> {
    let items: unknown[];
    let safeItems: boolean;
    try {
      ({ items, safe: safeItems } = loopItems(this.task, scope, searchPath(this.task, this.frame, this.pc.playVars.playbookDir)));
    } catch (err) {
      // Ansible keeps an undefined variable in the loop for later: a `when` that is false
      // without the item skips the task instead.
      if (err instanceof UndefinedVariableError) {
        try {
          if (this.falseCondition(scope, host) !== undefined) return { changed: false, skipped: true, skip_reason: 'Conditional result was False' };
        } catch {
          // the condition needs the item: the loop's error stands
        }
      }
      return notRun(err, this.task);
    }
    const lc = this.task.loop_control ?? {};
    const { loopVar, indexVar } = loopVarNames(lc, scope);
    const results: ModuleResult[] = [];
    const noLog = this.noLog(scope);
    const pause = lc.pause === undefined ? 0 : Number(renderValue(lc.pause, { vars: scope }));
    const lane = items.length > 1 && pause <= 0 ? this.pipelineLane(delegated) : undefined;
    // Items started and not yet reported, oldest first: one at a time, or with a lane up to
    // PIPELINE_WINDOW whose requests are on their way while the first one runs.
    const started: Array<{ item: unknown; index: number; scope: Scope; result: Promise<ModuleResult | ArgsFailure>; settled: boolean }> = [];
    /** Reports the oldest started item, as the sequential loop did after each: a result to return, 'stop', or undefined. */
    const report = async (): Promise<ModuleResult | 'stop' | undefined> => {
      const s = started.shift()!;
      const r = await s.result;
      // the whole task fails with the item's message, without the results so far
      if (r instanceof ArgsFailure) return r.result();
      // As in Ansible, a looped set_fact / include_vars is visible to the next item.
      const layer = this.module(s.scope).factsLayer;
      if (r.ansible_facts && !r.failed && !r.skipped && (layer === 'setFacts' || layer === 'includeVars')) {
        // include_vars combines as Ansible's set_host_variable does (merging under hash_behaviour=merge); set_fact replaces
        if (layer === 'includeVars') combineInto(this.run.vars.factsOf(host)[layer], r.ansible_facts as Record<string, unknown>);
        else storeSetFacts(this.run.vars.factsOf(host), r.ansible_facts as Record<string, unknown>);
      }
      const label = lc.label !== undefined ? renderValue(lc.label, { vars: s.scope }) : s.item;
      const itemResult: ModuleResult = { ...r, [loopVar]: s.item, ansible_loop_var: loopVar };
      if (indexVar) itemResult[indexVar] = s.index;
      if (lc.label !== undefined) itemResult._ansible_item_label = label;
      results.push(itemResult);
      const shown = noLog ? { censored: CENSORED, changed: r.changed ?? false, failed: r.failed } : itemResult;
      this.run.callback.itemResult({
        host, delegatedTo: delegated.delegatedTo, delegatedHost: delegated.delegatedHost, task: this.info(), status: statusOf(r), result: shown, ignored: false, label: labelText(label),
      });
      if (r.unreachable) return 'stop';
      if (this.run.signal.aborted) return 'stop';
      return undefined;
    };
    /** Reports started items while `more()` holds; stops at a result to return or a stop. */
    const reportWhile = async (more: () => boolean): Promise<ModuleResult | 'stop' | undefined> => {
      while (started.length > 0 && more()) {
        const r = await report();
        if (r !== undefined) return r;
      }
      return undefined;
    };
    let end: ModuleResult | 'stop' | undefined;
    for (let i = 0; i < items.length && end === undefined; i++) {
      // loop_control.pause: seconds between items (Ansible sleeps before every item but the first).
      if (i > 0 && pause > 0) {
        const signal = this.run.signal;
        await new Promise<void>((done) => {
          const t = setTimeout(done, pause * 1000);
          signal.addEventListener('abort', () => (clearTimeout(t), done()), { once: true });
        });
      }
      if (this.run.signal.aborted) break;
      const values: Record<string, unknown> = { [loopVar]: items[i], ansible_loop_var: loopVar };
      if (indexVar) values[indexVar] = i;
      if (lc.extended) values.ansible_loop = extendedLoopVars(items, i, lc);
      const itemScope = scope.with({ name: 'loop', values, templated: false, safe: safeItems } satisfies VarLayer);
      let falseCond: unknown;
      try {
        falseCond = this.falseCondition(itemScope, host);
      } catch (err) {
        // as in Ansible (the item's post_validate raises): the whole task fails, no item results
        // (the items before it have run, and are reported first; one that stopped the loop stops it here)
        end = await reportWhile(() => true);
        if (end === 'stop') break;
        return end ?? { failed: true, changed: false, msg: errorMessage(err, this.task) };
      }
      const slot = { item: items[i], index: i, scope: itemScope, result: Promise.resolve<ModuleResult | ArgsFailure>({ changed: false, skipped: true, skip_reason: 'Conditional result was False' }), settled: true };
      if (falseCond === undefined) {
        let submitted!: () => void;
        const sent = new Promise<void>((resolve) => (submitted = resolve));
        slot.settled = false;
        slot.result = this.once(host, itemScope, delegated, lane && { lane, submitted });
        void slot.result.then(() => (slot.settled = true), () => (slot.settled = true));
        // The next item starts only once this one's request is on its way: an item whose
        // arguments cannot be templated must stop the loop before anything after it runs.
        if (lane) await Promise.race([sent, slot.result.then(() => undefined, () => undefined)]);
      }
      started.push(slot);
      // Sequential: report it now. With a lane: report what has come back, or the oldest once the window is full;
      // an item that came back without sending (skipped, or its arguments failed) is reported with those before it.
      end = await reportWhile(() => !lane || started[0]!.settled || started.length >= PIPELINE_WINDOW || slot.settled);
    }
    if (end === undefined) end = await reportWhile(() => true);
    if (end !== undefined && end !== 'stop') return end;
    const anyFailed = results.some((r) => r.failed === true);
    const out: ModuleResult = { changed: results.some((r) => r.changed === true), results, msg: anyFailed ? 'One or more items failed' : 'All items completed', skipped: false };
    if (anyFailed) out.failed = true;
    if (results.length > 0 && results.every((r) => r.skipped === true)) {
      out.skipped = true;
      out.msg = 'All items skipped';
    }
    if (results.length === 0) {
      delete out.msg;
      out.skipped = true;
      out.skipped_reason = 'No items in the list';
    }
    if (results.some((r) => r.unreachable)) out.unreachable = true;
    return out;
  }

  /** Registers the result, decides ignore_errors, censors no_log. */
  private finish(host: string, scope: Scope, result: ModuleResult, delegated: Delegation): TaskOutcome {
    const { delegatedTo, delegatedHost } = delegated;
    const status = statusOf(result);
    let ignored = false;
    if (status === 'failed' && this.kwBool('ignore_errors', scope)) ignored = true;
    // Ansible still prints the unreachable result, then "...ignoring", and counts it ok + ignored.
    if (status === 'unreachable' && this.kwBool('ignore_unreachable', scope)) ignored = true;
    if (this.noLog(scope)) {
      // Ansible's censored copy keeps `changed` (and attempts/retries) only where the result has them
      const censored: ModuleResult = { censored: CENSORED, ...('changed' in result ? { changed: result.changed } : {}), _ansible_no_log: true };
      for (const k of ['attempts', 'retries']) if (k in result) censored[k] = result[k];
      if (result.failed) censored.failed = true;
      if (result.skipped) censored.skipped = true;
      if (result.unreachable) censored.unreachable = true;
      return { result, shown: censored, status, ignored, delegatedTo, delegatedHost };
    }
    return { result, shown: result, status, ignored, delegatedTo, delegatedHost };
  }
}

/** How far a pipelined loop's requests run ahead of the answers reported (see pipelineLane). */
const PIPELINE_WINDOW = 16;

/** A pipelined item's request goes into `lane`; `submitted` tells the loop it has been handed over. */
interface Pipe {
  lane: object;
  submitted(): void;
}

const TIMED_OUT = Symbol('timed out');
/** After the deadline, time for the target's watchdog (TERM, then KILL 2 s later) to end the command. */
const KILL_GRACE_MS = 3000;

/**
 * The module's result, or TIMED_OUT once `deadline` has passed. At the deadline the target's
 * watchdog kills the remote command; waiting a little for the module to come back means the
 * run never moves on (or exits) with that command still alive.
 */
async function raceDeadline<T>(running: Promise<T>, deadline: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const at = (ms: number) => new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, ms))));
  const settled = running.then(() => undefined, () => undefined);
  try {
    const first = await Promise.race([running, at(deadline - Date.now())]);
    if (first !== TIMED_OUT) return first;
    clearTimeout(timer);
    await Promise.race([settled, at(KILL_GRACE_MS)]);
    return TIMED_OUT;
  } finally {
    clearTimeout(timer);
  }
}

/** Loop labels print as Python's str() of the item, as Ansible shows them. */
function labelText(label: unknown): string {
  return pyStr(label);
}

/** A file a task names (src:, include_vars...): util/file-search.ts's one search, or a clear error naming what was searched. */
export function findFile(paths: string[], kind: string, rel: string): string {
  const { found, searched } = searchFile(paths, rel, kind);
  if (found) return found;
  throw new TsrunError(isAbsolute(rel) ? `Could not find or access '${rel}'` : `Could not find or access '${rel}'. Searched in: ${searched.join(', ')}`);
}

export function taskInfo(pc: PlayContext, task: Task, frame: Frame): TaskInfo {
  const role = task.role ?? frame.role;
  // IncludeRole.get_name(): `include_role : NAME` (the name as written), never prefixed with the role it sits in
  const roleArg = task.args.name;
  const base = task.name ?? (task.action === 'include_role' && roleArg !== undefined ? `include_role : ${String(roleArg)}` : task.action);
  const name = role && task.action !== 'include_role' ? `${role.collection ? `${role.collection}.` : ''}${role.name} : ${base}` : base;
  const resultIsMessage = pc.run.modules.get(task.action)?.resultIsMessage;
  return { id: `${pc.play.pos.file}:${task.pos.line ?? 0}:${task.pos.column ?? 0}`, name, action: task.action, path: formatPos(task.pos), isHandler: frame.isHandler, ...(resultIsMessage ? { resultIsMessage } : {}) };
}
