import { spawn } from 'node:child_process';
import { quote } from '../../src/util/shell-quote.js';
import { moduleRegistry } from '../../src/modules/index.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection, ExecOptions, ExecResult } from '../../src/connection/types.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../../src/modules/types.js';
import { callModule } from '../../src/executor/module-args.js';
import { plainVars } from '../../src/vars/types.js';
import { evaluateCondition } from '../../src/template/index.js';

/**
 * A real local `sh`, for module tests that need no SSH: the scripts modules generate run
 * for real against a scratch directory. Become is not supported here (tests run as root).
 * `counter` counts exec calls, for tests of how many round trips a module makes.
 */
export function localShell(name = 'localhost', counter?: { execs: number }): Connection {
  const run = (script: string, opts: ExecOptions = {}): Promise<ExecResult> =>
    new Promise((resolve, reject) => {
      if (counter) counter.execs++;
      // ExecOptions.around: run by the shell itself around the script's subshell, as a long-lived shell does.
      const text = opts.around ? `${opts.around.before}\n( eval ${quote(script)} )\n__ts_rc=$?\n${opts.around.after}` : script;
      const child = spawn('/bin/sh', ['-c', text], { env: { ...process.env, ...opts.env } });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', reject);
      // A script may exit without reading its stdin; that is not an error of the test.
      child.stdin.on('error', () => {});
      child.on('close', (code) =>
        resolve({ rc: code ?? 255, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
      );
      child.stdin.end(opts.stdin ?? '');
    });
  return {
    name,
    connect: async () => {},
    exec: run,
    readFile: async (path) => {
      const r = await run(`base64 < '${path.replace(/'/g, `'\\''`)}'`);
      if (r.rc !== 0) throw new Error(r.stderr);
      return Buffer.from(r.stdout, 'base64');
    },
    close: async () => {},
  };
}

export function scratchDir(prefix = 'tsrun-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A ModuleContext over a local shell; `overrides` replace any field. */
export function localContext(args: Record<string, unknown>, overrides: Partial<ModuleContext> = {}): ModuleContext {
  const conn = overrides.conn ?? localShell();
  const env = overrides.env ?? {};
  const ctx: ModuleContext = {
    host: 'localhost',
    args,
    check: false,
    diff: false,
    conn,
    env,
    exec: (script, opts) => conn.exec(String(script), { ...opts, env }),
    findFile: (_kind, rel) => rel,
    renderTemplateFile: async () => {
      throw new Error('renderTemplateFile not provided to this test context');
    },
    evaluate: () => {
      throw new Error('evaluate not provided to this test context');
    },
    render: (v) => v,
    // the engine's conditional over the context's variables; the args as given stand for the untemplated ones
    condition: (cond) => evaluateCondition(cond, { vars: overrides.vars ?? plainVars({}) }),
    rawArgs: args,
    vars: plainVars({}),
    noLog: false,
    log: () => {},
    signal: new AbortController().signal,
    ...overrides,
    modules: overrides.modules ?? moduleRegistry(),
  };
  return ctx;
}

/** Runs a module the way the engine does (check-mode skip, argument conversion and validation), with `ctx.args` as rendered. */
export function invoke(def: ModuleDef, ctx: ModuleContext): Promise<ModuleResult> {
  return callModule(def, def.name, ctx);
}
