/** ansible_connection=local: the same long-lived-shell protocol over local `sh` children. */
import { spawn } from 'node:child_process';
import { TsrunError } from '../util/errors.js';
import { ShellPool } from './shell-pool.js';
import type { ShellTransport } from './shell-session.js';
import type { BecomeOptions, Connection, ConnectionOptions, ConnectionSpec, ExecOptions, ExecResult } from './types.js';
import { quoteForShell, toBuffer } from './exec-helpers.js';

/** Local shells cost no server sessions; this only bounds runaway parallelism. */
const MAX_LOCAL_SHELLS = 16;

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

function openLocal(command: string): Promise<ShellTransport> {
  // Own process group: closing the shell (end of run, Ctrl-C) must also end the commands it started.
  const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const closers: Array<(reason?: Error) => void> = [];
  let ended = false;
  let reason: Error | undefined;
  const end = (r?: Error): void => {
    if (ended) return;
    ended = true;
    reason = r;
    for (const cb of closers) cb(r);
  };
  child.on('error', (e) => end(e));
  child.on('close', (code, signal) => end(code === 0 ? undefined : new Error(signal ? `killed by ${signal}` : `exited with ${code}`)));
  return Promise.resolve({
    stdin: child.stdin,
    stdout: child.stdout,
    stderr: child.stderr,
    close: () => {
      child.stdin.end();
      if (child.exitCode === null && child.signalCode === null) killGroup(child.pid);
    },
    onClose: (cb) => {
      if (ended) queueMicrotask(() => cb(reason));
      else closers.push(cb);
    },
  });
}

export class LocalConnection implements Connection {
  readonly name: string;
  readonly pipelines = true;
  private readonly pool: ShellPool;

  constructor(spec: Pick<ConnectionSpec, 'name'> & Partial<Pick<ConnectionSpec, 'host'>>, opts: ConnectionOptions = {}) {
    this.name = spec.name;
    const open = (command: string) => {
      opts.debug?.(`<${spec.host ?? spec.name}> EXEC /bin/sh -c ${quoteForShell(command)}`);
      return openLocal(command);
    };
    this.pool = new ShellPool(spec.name, open, MAX_LOCAL_SHELLS);
  }

  async connect(): Promise<void> {}

  async exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const r = await this.pool.run({ script, stdin: toBuffer(opts.stdin), env: opts.env, timeoutMs: opts.timeoutMs, become: opts.become, lane: opts.lane, onTransfer: opts.onTransfer, around: opts.around });
    return { rc: r.rc, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
  }

  async readFile(path: string, opts: { become?: BecomeOptions } = {}): Promise<Buffer> {
    const r = await this.pool.run({ script: `cat -- ${quoteForShell(path)}`, become: opts.become });
    if (r.rc !== 0) throw new TsrunError(`${this.name}: cannot read ${path}: ${r.stderr.toString('utf8').trim()}`);
    return r.stdout;
  }

  async close(): Promise<void> {
    this.pool.close();
  }
}
