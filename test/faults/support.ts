/**
 * Fault injection on lab hosts: tsrun as a child process that a test can signal, and the
 * faults themselves (sshd killed with its sessions, link down, bytes seen on a host's link).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ansibleEnv, TSRUN, type RunOutput } from '../support/runners.js';
import type { Lab, LabHost } from '../lab/lab.js';
import { run } from '../lab/sys.js';

export interface LiveRun {
  child: ChildProcess;
  /** Resolves when tsrun has exited; `ms` counts from spawn to exit. */
  done: Promise<RunOutput & { ms: number }>;
  /** Output so far (stdout then stderr). */
  output(): string;
  /** Resolves once the output matches `re`. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  /** Ctrl-C as a terminal sends it: to the whole process group (children, e.g. ansible's ssh, too). */
  interrupt(): void;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts tsrun (or `command`, e.g. ansible-playbook) and lets the test watch its output and signal it. */
export function startTsrun(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; command?: string } = {}): LiveRun {
  const started = Date.now();
  const [file, argv] = opts.command ? [opts.command, args] : [process.execPath, [TSRUN, ...args]];
  // Its own process group, as a foreground job has, so interrupt() reaches what it started.
  const child = spawn(file, argv, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString('utf8')));
  child.stderr!.on('data', (b: Buffer) => (err += b.toString('utf8')));
  // A run that never ends would hang the file; 5 minutes is far beyond any case here.
  const guard = setTimeout(() => child.kill('SIGKILL'), 300_000);
  const done = new Promise<RunOutput & { ms: number }>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code: code ?? (signal === 'SIGINT' ? 130 : 128), stdout: out, stderr: err, ms: Date.now() - started });
    });
  });
  return {
    child,
    done,
    output: () => out + err,
    interrupt() {
      try {
        process.kill(-child.pid!, 'SIGINT');
      } catch {
        // already gone
      }
    },
    async waitFor(re, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      let exited = false;
      void done.then(() => (exited = true));
      while (!re.test(out + err)) {
        if (exited || Date.now() > deadline) throw new Error(`tsrun output never matched ${re}:\n${out}\n${err}`);
        await sleep(20);
      }
    },
  };
}

/**
 * ansible-playbook started like startTsrun, with a control-socket directory of its own: a
 * ControlPersist master left by an earlier run would otherwise carry this run's commands past
 * the fault under test (a changed password, a dead sshd, a changed host key).
 */
export function startAnsible(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): LiveRun {
  const cp = mkdtempSync(join(tmpdir(), 'tsrun-fault-cp-'));
  return startTsrun(args, { cwd: opts.cwd, command: 'ansible-playbook', env: { ...ansibleEnv({ ANSIBLE_SSH_CONTROL_PATH_DIR: cp }), ...opts.env } });
}

/** Bytes the host has received on its link so far. */
export async function rxBytes(h: LabHost): Promise<number> {
  const r = await run('ip', ['-j', '-s', '-n', h.netns, 'link', 'show', 'eth0']);
  const [link] = JSON.parse(r.stdout) as Array<{ stats64: { rx: { bytes: number } } }>;
  return link.stats64.rx.bytes;
}

/** Waits until the host has received `bytes` more than it had at `base`. */
export async function waitForRx(h: LabHost, base: number, bytes: number, live?: LiveRun): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await rxBytes(h)) - base < bytes) {
    if (Date.now() > deadline) throw new Error(`host ${h.name} never received ${bytes} bytes${live ? `:\n${live.output()}` : ''}`);
    await sleep(10);
  }
}

/** Process ids in the host's network namespace whose /proc file `what` (comm, cmdline) is `text`. */
async function pidsWhere(h: LabHost, what: 'comm' | 'cmdline', text: string): Promise<number[]> {
  const r = await run('ip', ['netns', 'pids', h.netns]);
  return r.stdout.split(/\s+/).filter(Boolean).map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/${what}`, 'utf8').replace(/\0/g, ' ').trim() === text;
    } catch {
      return false;
    }
  });
}

/** Processes of the host whose command name is `comm`. */
export const pidsNamed = (h: LabHost, comm: string): Promise<number[]> => pidsWhere(h, 'comm', comm);

/** Processes of the host running exactly `argv` (words joined by spaces). */
export const pidsRunning = (h: LabHost, argv: string): Promise<number[]> => pidsWhere(h, 'cmdline', argv);

/**
 * SIGKILLs every sshd of the host (listener and per-session processes). The login shells they
 * started are left to see their input end, as under a dying server; with `sessionsToo`, every
 * process of the host's sessions (shells, commands) is killed as well.
 */
export async function killSshd(lab: Lab, h: LabHost, opts: { sessionsToo?: boolean; victims?: number[] } = {}): Promise<void> {
  // Listing the host's processes takes a while on a busy machine; a caller racing a transfer
  // lists them beforehand (`victims`), so the kill itself is instant.
  const victims = opts.victims ?? (await pidsNamed(h, 'sshd'));
  if (opts.sessionsToo) {
    const r = await run('ip', ['netns', 'pids', h.netns]);
    victims.push(...r.stdout.split(/\s+/).filter(Boolean).map(Number));
  }
  for (const pid of victims) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  // Let the lab forget the listener so startSshd() brings it back.
  await lab.stopSshd(h.name);
}

/** Files tsrun leaves only while a write is in flight (`.NAME.tsrun.XXXXXX`) under `dir` on the control side. */
export function tempLeftovers(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => n.includes('.tsrun.'));
  } catch {
    return [];
  }
}

export const hostPath = (h: LabHost, remote: string): string => join(h.root, remote.replace(/^\//, ''));

/** The control side's address on the lab's bridge (every connection comes from it). */
const gatewayOf = (h: LabHost): string => h.ip.replace(/\.\d+$/, '.1');

/** Packets vanish: the host drops everything it would send back (a blackhole route), so nothing ever answers. */
export const silence = (h: LabHost) => run('ip', ['-n', h.netns, 'route', 'replace', 'blackhole', `${gatewayOf(h)}/32`]);
export const unsilence = (h: LabHost) => run('ip', ['-n', h.netns, 'route', 'del', 'blackhole', `${gatewayOf(h)}/32`]);

/**
 * Port 22 accepts connections and never says a word (a wedged sshd, a wrong service): sshd
 * stopped, a listener in its place that keeps every connection open. `stop` undoes it.
 */
export async function mute(lab: Lab, h: LabHost): Promise<{ stop(): Promise<void> }> {
  await lab.stopSshd(h.name);
  const listen = 'import socket;s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);s.bind(("",22));s.listen(64);held=[s.accept() for _ in iter(int,1)]';
  await lab.runAsRoot(h.name, `setsid /usr/bin/python3 -c '${listen}' </dev/null >/dev/null 2>&1 &`);
  const deadline = Date.now() + 30_000;
  while (!(await lab.runAsRoot(h.name, 'cat /proc/net/tcp')).stdout.match(/^\s*\d+: 00000000:0016 00000000:0000 0A /m)) {
    if (Date.now() > deadline) throw new Error(`${h.name}: the mute listener never listened`);
    await sleep(50);
  }
  return {
    async stop() {
      for (const pid of await pidsNamed(h, 'python3')) process.kill(pid, 'SIGKILL');
      await lab.startSshd(h.name);
    },
  };
}
