import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

export interface TimedRun {
  /** Wall-clock seconds, measured around the child from this process. */
  seconds: number;
  exitCode: number;
  /** Peak resident set of the child (or its largest descendant), from GNU time, in MiB. */
  peakMiB: number;
  /** User + system CPU seconds of the child and its descendants (control side only). */
  cpuSeconds: number;
  /** The user and system (kernel) parts of cpuSeconds. */
  userSeconds: number;
  systemSeconds: number;
  output: string;
}

export interface RunSpec {
  argv: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** stdout+stderr go here as well as into `output`. */
  logFile: string;
  timeoutMs?: number;
}

/**
 * Bash's `times` after the command: the CPU its descendants used, in milliseconds (GNU time
 * prints hundredths of a second, too coarse for a per-task difference of 1 ms over 99 tasks).
 * GNU time itself is counted too, the same small amount in every run.
 */
const WITH_CPU_TIMES = '/usr/bin/time -f "%M %U %S" -o "$0" "$@"; s=$?; times > "$0.cpu"; exit $s';

/** Seconds from a `times` field such as `0m0.123s` (the decimal separator as the locale writes it). */
function timesSeconds(field: string): number {
  const m = /^(\d+)m(\d+)[.,](\d+)s$/.exec(field);
  return m ? Number(m[1]) * 60 + Number(`${m[2]}.${m[3]}`) : Number.NaN;
}

/** The children's user and system seconds from `times` output (its second line), or undefined. */
export function childTimes(text: string): { user: number; sys: number } | undefined {
  const [user, sys] = (text.split('\n')[1] ?? '').trim().split(/\s+/).map(timesSeconds);
  return user !== undefined && sys !== undefined && Number.isFinite(user) && Number.isFinite(sys) ? { user, sys } : undefined;
}

/**
 * Runs one benchmark command under GNU time (for the peak RSS) with stdin closed, from bash
 * (for the CPU time in milliseconds). The child's output is kept whole: the recap at its end is
 * parsed afterwards.
 */
export function timedRun(spec: RunSpec): Promise<TimedRun> {
  const timeFile = `${spec.logFile}.time`;
  const argv = ['bash', '-c', WITH_CPU_TIMES, timeFile, ...spec.argv];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => chunks.push(b));
    const timer = spec.timeoutMs
      ? setTimeout(() => child.kill('SIGKILL'), spec.timeoutMs)
      : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      if (timer) clearTimeout(timer);
      const output = Buffer.concat(chunks).toString('utf8');
      writeFileSync(spec.logFile, `$ ${spec.argv.join(' ')}\n${output}\n[exit ${code ?? signal}, ${seconds.toFixed(3)} s]\n`);
      let fields = [Number.NaN, Number.NaN, Number.NaN];
      try {
        const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
        fields = lines[lines.length - 1]!.split(' ').map(Number);
      } catch {
        // killed before GNU time wrote its report
      }
      let [peakKiB = Number.NaN, user = Number.NaN, sys = Number.NaN] = fields;
      try {
        const precise = childTimes(readFileSync(`${timeFile}.cpu`, 'utf8'));
        if (precise) ({ user, sys } = precise);
      } catch {
        // killed before bash wrote them: GNU time's figures, if any
      }
      resolve({ seconds, exitCode: code ?? 128, peakMiB: peakKiB / 1024, cpuSeconds: user + sys, userSeconds: user, systemSeconds: sys, output });
    });
  });
}

/** Runs a helper command (not timed) and returns its stdout; rejects on a non-zero exit. */
export function run(argv: string[], opts: { input?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      if (code === 0) resolve(stdout);
      else reject(new Error(`${argv.join(' ')} exited ${code}: ${Buffer.concat(err).toString('utf8').trim()}`));
    });
    child.stdin.on('error', () => undefined); // a child that exits without reading its input
    child.stdin.end(opts.input ?? '');
  });
}
