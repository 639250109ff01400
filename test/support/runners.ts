import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');
export const TSRUN = join(REPO, 'bin/tsrun.js');

export interface RunOutput {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<RunOutput> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? REPO, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 300_000);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? (signal ? 128 : 255), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    // A child that exits before reading its input (quick on an idle machine, or simply not
    // reading it) closes the pipe: EPIPE is then no error of the test's, and unhandled it would
    // crash the whole test process.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/** tsrun as operators run it: the built CLI in a child process. */
export function tsrun(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunOutput> {
  return run(process.execPath, [TSRUN, ...args], opts);
}

let ansibleHome: string | undefined;

/** An isolated environment for ansible-core so runs do not share state with the user's ~/.ansible. */
export function ansibleEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  ansibleHome ??= mkdtempSync(join(tmpdir(), 'ansible-home-'));
  return {
    HOME: ansibleHome,
    ANSIBLE_LOCAL_TEMP: join(ansibleHome, 'tmp'),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
    ANSIBLE_DEPRECATION_WARNINGS: 'False',
    ANSIBLE_LOCALHOST_WARNING: 'False',
    ANSIBLE_INVENTORY_UNPARSED_WARNING: 'False',
    ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    LC_ALL: 'C.UTF-8',
    ...extra,
  };
}

export function ansiblePlaybook(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; json?: boolean; timeoutMs?: number } = {}): Promise<RunOutput> {
  const env = ansibleEnv({ ...(opts.json !== false ? { ANSIBLE_STDOUT_CALLBACK: 'json' } : {}), ...opts.env });
  return run('ansible-playbook', args, { cwd: opts.cwd, env, timeoutMs: opts.timeoutMs });
}

/** Oracle tests need ansible-core: in CI its absence is a failure, elsewhere a printed skip. */
export function ansibleAvailable(): boolean {
  const ok = spawnSync('ansible-playbook', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!ok) {
    if (process.env.CI) throw new Error('ansible-playbook is not installed, and CI must run the oracle tests (apt-get install ansible-core)');
    console.warn('SKIP oracle tests: ansible-playbook is not installed (apt-get install ansible-core)');
  }
  return ok;
}
