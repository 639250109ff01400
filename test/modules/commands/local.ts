import { spawn } from 'node:child_process';
import type { Connection, ExecOptions, ExecResult } from '../../../src/connection/types.js';
import type { ModuleContext } from '../../../src/modules/types.js';
import { localContext } from '../../support/local-exec.js';

/**
 * Like test/support's localShell, but a script that exits before reading its stdin does not
 * raise EPIPE in the test process (the shared helper leaves that error unhandled).
 */
export function quietLocalShell(name = 'localhost'): Connection {
  const run = (script: string, opts: ExecOptions = {}): Promise<ExecResult> =>
    new Promise((resolve, reject) => {
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
    name,
    connect: async () => {},
    exec: run,
    readFile: async () => {
      throw new Error('readFile not needed here');
    },
    close: async () => {},
  };
}

export function ctxFor(args: Record<string, unknown>, overrides: Partial<ModuleContext> = {}): ModuleContext {
  return localContext(args, { conn: quietLocalShell(), ...overrides });
}
