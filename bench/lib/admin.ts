import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './proc.js';
import type { BenchHost } from './inventory.js';

/**
 * The benchmark's own housekeeping connections (never timed): one OpenSSH ControlMaster per
 * lab host, used to reset hosts between repetitions, read back their state, and time a bare
 * exec round trip on an open connection.
 */
export class AdminSsh {
  private readonly ctlDir: string;

  constructor(
    workDir: string,
    private readonly user: string,
    private readonly keyFile: string,
  ) {
    this.ctlDir = join(workDir, 'admin-cp');
    mkdirSync(this.ctlDir, { recursive: true });
  }

  private opts(h: BenchHost): string[] {
    return [
      '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
      '-o', 'LogLevel=ERROR', '-o', `ControlPath=${join(this.ctlDir, h.name)}`,
      '-i', this.keyFile, '-l', this.user, '-p', String(h.port),
    ];
  }

  async open(hosts: readonly BenchHost[]): Promise<void> {
    await forEachLimit(hosts, 8, (h) =>
      run(['ssh', ...this.opts(h), '-o', 'ControlMaster=yes', '-o', 'ControlPersist=yes', '-n', h.address, 'true']).then(() => undefined),
    );
  }

  exec(h: BenchHost, script: string): Promise<string> {
    return run(['ssh', ...this.opts(h), '-o', 'ControlMaster=no', h.address, script]);
  }

  /** Seconds of each of `count` sequential `ssh -S CTL host true` on the already-open master. */
  async roundTrip(h: BenchHost, count: number): Promise<number[]> {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      await run(['ssh', ...this.opts(h), '-o', 'ControlMaster=no', '-S', join(this.ctlDir, h.name), '-n', h.address, 'true']);
      times.push((performance.now() - t0) / 1000);
    }
    return times;
  }

  /**
   * Seconds of each of `count` sequential `true` commands fed to ONE long-lived remote `sh`
   * over the open master: the floor for a task sent through a long-lived shell.
   */
  shellRoundTrip(h: BenchHost, count: number, command = 'true'): Promise<number[]> {
    return new Promise((resolve, reject) => {
      const child = spawn('ssh', [...this.opts(h), '-o', 'ControlMaster=no', '-S', join(this.ctlDir, h.name), h.address, 'exec sh'], { stdio: ['pipe', 'pipe', 'inherit'] });
      const times: number[] = [];
      let buf = '';
      let t0 = 0;
      const next = (): void => {
        if (times.length === count) {
          child.stdin.end();
          return;
        }
        t0 = performance.now();
        child.stdin.write(`${command}; echo __rt\n`);
      };
      child.stdout.on('data', (b: Buffer) => {
        buf += b.toString();
        while (buf.includes('__rt\n')) {
          buf = buf.slice(buf.indexOf('__rt\n') + 5);
          times.push((performance.now() - t0) / 1000);
          next();
        }
      });
      child.on('error', reject);
      child.on('close', () => (times.length === count ? resolve(times) : reject(new Error(`shell round trips to ${h.name} ended after ${times.length}`))));
      // One warm-up exchange is not counted: the shell must be running first.
      child.stdin.write('echo warm\n');
      let warm = false;
      child.stdout.once('data', () => {
        if (!warm) {
          warm = true;
          buf = '';
          next();
        }
      });
    });
  }

  async close(hosts: readonly BenchHost[]): Promise<void> {
    await forEachLimit(hosts, 8, (h) =>
      run(['ssh', ...this.opts(h), '-O', 'exit', h.address]).then(() => undefined, () => undefined),
    );
    rmSync(this.ctlDir, { recursive: true, force: true });
  }
}

export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Closes every ControlMaster socket in `dir` (ansible's ControlPersist masters between runs). */
export async function closeMasters(dir: string, sockets: readonly string[]): Promise<void> {
  await forEachLimit(sockets, 8, (s) =>
    run(['ssh', '-o', `ControlPath=${join(dir, s)}`, '-O', 'exit', 'unused']).then(() => undefined, () => undefined),
  );
}
