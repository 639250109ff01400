import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RunResult {
  rc: number;
  stdout: string;
  stderr: string;
}

/** Runs a program without a shell; never rejects, the caller decides what a failure means. */
export function run(file: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    // A program that exits without reading its input must not crash the caller.
    child.stdin?.on('error', () => {});
    child.stdin?.end(opts.input);
    const finish = (rc: number, extra = ''): void => {
      clearTimeout(timer);
      resolve({ rc, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') + extra });
    };
    child.on('error', (e) => finish(127, e.message));
    child.on('close', (code, signal) => finish(code ?? (signal ? 128 : 1)));
  });
}

/** Like run, but a non-zero exit is an error naming the command. */
export async function must(file: string, args: string[], opts: { input?: string } = {}): Promise<string> {
  const r = await run(file, args, opts);
  if (r.rc !== 0) throw new Error(`lab: \`${file} ${args.join(' ')}\` failed (rc ${r.rc}): ${r.stderr.trim()}`);
  return r.stdout;
}

export function haveProgram(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Runs `fn` over items with at most `limit` in flight (the machine has 2 cores). */
export async function inParallel<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export function pidAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A killed process whose parent has not reaped it yet is a zombie: it holds nothing.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A cross-process lock (labs are created by parallel vitest workers): a directory made with
 * mkdir, holding the owner's pid so a lock left by a crashed process is taken over.
 */
export async function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const pidFile = join(dir, 'pid');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(pidFile, String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = 0;
      try {
        owner = Number(readFileSync(pidFile, 'utf8'));
      } catch {
        // The owner has made the directory but not yet written its pid.
      }
      if (owner && !pidAlive(owner)) rmSync(dir, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`lab: lock ${dir} held too long by pid ${owner}`);
      else await sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** POSIX single-quoting for text pasted into a `sh -c` script. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Unmounts every mount at or below `dir`, deepest first (lazily: a dying process may still hold one). */
export async function unmountUnder(dir: string): Promise<void> {
  const points = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1]?.replace(/\\040/g, ' '))
    .filter((m): m is string => !!m && (m === dir || m.startsWith(dir + '/')))
    .sort((a, b) => b.length - a.length);
  for (const m of points) await run('umount', ['-l', m]);
}
