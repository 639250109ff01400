/**
 * What one task costs on the target and on the wire, counted (not timed): processes the
 * target spawns for a `command: true` task, round trips, and bytes sent per request once the
 * shell's session preludes are defined. The target shell runs in its own PID namespace, so
 * the namespace's last PID counts every process it started.
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBuffer } from '../../src/connection/exec-helpers.js';
import { ShellSession, shellTraffic, type ShellTransport } from '../../src/connection/shell-session.js';
import type { Connection } from '../../src/connection/types.js';
import command from '../../src/modules/command.js';
import copy from '../../src/modules/copy.js';
import file from '../../src/modules/file.js';
import stat from '../../src/modules/stat.js';
import type { ModuleDef } from '../../src/modules/types.js';
import { invoke, localContext } from '../support/local-exec.js';

const probe = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']);
const why = probe.error ? probe.error.message : probe.status !== 0 ? `unshare --pid failed: ${String(probe.stderr).trim()}` : undefined;
if (why) {
  if (process.env.CI === 'true') throw new Error(`per-task cost test cannot run: ${why}`);
  console.warn(`skipping per-task cost counts: ${why} (needs root or user namespaces)`);
}

function pidNamespaceShell(command: string): Promise<ShellTransport> {
  const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', '/bin/sh', '-c', command], { stdio: 'pipe' });
  const closers: Array<(r?: Error) => void> = [];
  child.on('close', () => closers.forEach((cb) => cb()));
  return Promise.resolve({
    stdin: child.stdin,
    stdout: child.stdout,
    stderr: child.stderr,
    close: () => child.kill(),
    onClose: (cb) => closers.push(cb),
  });
}

describe.skipIf(why !== undefined)('per-task cost on the target', () => {
  let session: ShellSession;
  let conn: Connection;

  beforeAll(async () => {
    session = await ShellSession.start(pidNamespaceShell, { label: 'pidns' });
    const exec: Connection['exec'] = async (script, opts = {}) => {
      const r = await session.run({ script, stdin: toBuffer(opts.stdin), env: opts.env, timeoutMs: opts.timeoutMs, around: opts.around });
      return { rc: r.rc, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
    };
    conn = { name: 'pidns', connect: async () => {}, exec, readFile: async () => Buffer.alloc(0), close: async () => session.close() };
  });

  afterAll(() => session?.close());

  /** Last PID the namespace handed out (/proc/loadavg, per PID namespace); reading it costs the request's one subshell. */
  async function lastPid(): Promise<number> {
    const r = await session.run({ script: 'read a b c d p </proc/loadavg; echo $p' });
    return Number(r.stdout.toString().trim());
  }

  // The program replaces the request's subshell: `command: true` runs /usr/bin/true as Ansible
  // does (not the shell's builtin, whose `echo` differs from /usr/bin/echo), and nothing else.
  it('spawns one process and makes one round trip per `command: true` task', async () => {
    const N = 20;
    const run = () => command.run(localContext({ _raw_params: 'true' }, { conn }));
    const first = await run(); // defines the clock prelude in the shell (one `date`)
    expect(first).toMatchObject({ rc: 0, changed: true });
    expect(first.delta).toMatch(/^0:00:00(\.\d{6})?$/);
    const before = await lastPid();
    const requests = shellTraffic.requests;
    const sent = shellTraffic.bytesSent;
    const writes = shellTraffic.writes;
    const reads = shellTraffic.reads;
    for (let i = 0; i < N; i++) expect((await run()).rc).toBe(0);
    const roundTrips = shellTraffic.requests - requests;
    const bytesPerTask = (shellTraffic.bytesSent - sent) / N;
    const writesPerTask = (shellTraffic.writes - writes) / N;
    const readsPerTask = (shellTraffic.reads - reads) / N;
    const spawned = (await lastPid()) - before - 1; // minus the probe's own subshell
    console.log(`per command: true task: ${spawned / N} processes, ${roundTrips / N} round trips, ${writesPerTask} writes of ${bytesPerTask} bytes, ${readsPerTask} reads`);
    expect(writesPerTask).toBe(1);
    expect(spawned / N).toBeLessThanOrEqual(1);
    expect(roundTrips).toBe(N);
    expect(bytesPerTask).toBeLessThan(500);
  });

  it('sends the file modules\' shell functions once per shell', async () => {
    const run = () => stat.run(localContext({ path: '/etc/hostname' }, { conn }));
    const sent0 = shellTraffic.bytesSent;
    expect((await run()).stat).toMatchObject({ exists: true });
    const firstBytes = shellTraffic.bytesSent - sent0;
    const sent1 = shellTraffic.bytesSent;
    expect((await run()).stat).toMatchObject({ exists: true });
    const secondBytes = shellTraffic.bytesSent - sent1;
    console.log(`stat: first request ${firstBytes} bytes, later ${secondBytes}`);
    expect(firstBytes - secondBytes).toBeGreaterThan(1500);
    // What is left is this call's own script: the path, get_mime's `file` call (Ansible's default)
    // and the per-request nonce its reply records carry (881 bytes when this bound was set).
    expect(secondBytes).toBeLessThan(1000);
  });

  /**
   * A second run is mostly modules that find nothing to do; on a busy target each process they
   * start is time every host waits for. The bounds are today's counts: a digest with no `| cut`,
   * the stat line the mode check read printed again as the final one, no `cat` in a guard that
   * has no stdin to drain (they were 5, 4 and 2).
   */
  it('starts few processes for a module that finds nothing to do', async () => {
    const dir = (await session.run({ script: 'mktemp -d' })).stdout.toString().trim();
    const cases: [string, ModuleDef, Record<string, unknown>, number][] = [
      ['copy of an unchanged file, with mode', copy, { content: 'same\n', dest: `${dir}/f`, mode: '0644' }, 3],
      ['file state=directory, with mode', file, { path: `${dir}/d`, state: 'directory', mode: '0755' }, 2],
      ['command whose creates exists', command, { _raw_params: 'touch never', creates: `${dir}/f` }, 1],
    ];
    for (const [what, mod, args, bound] of cases) {
      const run = () => invoke(mod, localContext(args, { conn }));
      await run(); // makes the state; defines the shell functions
      const before = await lastPid();
      const r = await run();
      const spawned = (await lastPid()) - before - 1;
      console.log(`${what}: ${spawned} processes`);
      expect(r.changed, what).toBe(false);
      expect(r.failed, what).toBeFalsy();
      expect(spawned, what).toBeLessThanOrEqual(bound);
    }
  });
});
