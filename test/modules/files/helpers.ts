import { spawn } from 'node:child_process';
import type { Connection, ExecOptions, ExecResult } from '../../../src/connection/types.js';
import type { ModuleContext, ModuleResult } from '../../../src/modules/types.js';
import { localContext } from '../../support/local-exec.js';

/**
 * test/support/local-exec.ts's localShell leaves EPIPE on stdin unhandled (a fast-exiting
 * script crashes the worker); this copy ignores it, as real connections do. Counts execs.
 */
export function quietShell(counter?: { execs: number }): Connection {
  const run = (script: string, opts: ExecOptions = {}): Promise<ExecResult> =>
    new Promise((resolve, reject) => {
      if (counter) counter.execs++;
      const child = spawn('/bin/sh', ['-c', script], { env: { ...process.env, ...opts.env } });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.stdin.on('error', () => {});
      child.on('error', reject);
      child.on('close', (code) =>
        resolve({ rc: code ?? 255, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
      );
      child.stdin.end(opts.stdin ?? '');
    });
  return {
    name: 'localhost',
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

export function ctxFor(args: Record<string, unknown>, overrides: Partial<ModuleContext> = {}, counter?: { execs: number }): ModuleContext {
  return localContext(args, { conn: quietShell(counter), ...overrides });
}

/** Runs a module and returns its result; a thrown error fails the test. */
export async function runModule(mod: { run(ctx: ModuleContext): Promise<ModuleResult> }, args: Record<string, unknown>, overrides: Partial<ModuleContext> = {}): Promise<ModuleResult> {
  return mod.run(ctxFor(args, overrides));
}
