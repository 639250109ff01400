import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ChannelRefusedError, ShellPool } from '../../src/connection/shell-pool.js';
import type { ShellTransport } from '../../src/connection/shell-session.js';

/** Local `sh` transports that count how many are open at once, like an SSH server would. */
function countingOpener(opts: { refuseAbove?: number } = {}) {
  const state = { open: 0, max: 0, refused: 0, commands: [] as string[] };
  const opener = async (command: string): Promise<ShellTransport> => {
    if (opts.refuseAbove !== undefined && state.open >= opts.refuseAbove) {
      state.refused++;
      throw new ChannelRefusedError('open failed: administratively prohibited');
    }
    state.commands.push(command);
    const child = spawn('/bin/sh', ['-c', command], { stdio: 'pipe' });
    state.open++;
    state.max = Math.max(state.max, state.open);
    const closers: Array<(r?: Error) => void> = [];
    child.on('close', () => {
      state.open--;
      for (const cb of closers) cb();
    });
    return {
      stdin: child.stdin,
      stdout: child.stdout,
      stderr: child.stderr,
      close: () => child.kill(),
      onClose: (cb) => closers.push(cb),
    };
  };
  return { state, opener };
}

describe('ShellPool', () => {
  it('never opens more shells than allowed, and queues the rest', async () => {
    const { state, opener } = countingOpener();
    const pool = new ShellPool('h', opener, 3);
    const rs = await Promise.all(Array.from({ length: 12 }, (_, i) => pool.run({ script: `sleep 0.1; echo ${i}` })));
    expect(rs.map((r) => r.stdout.toString())).toEqual(Array.from({ length: 12 }, (_, i) => `${i}\n`));
    expect(state.max).toBe(3);
    pool.close();
  });

  it('reuses one shell for sequential calls', async () => {
    const { state, opener } = countingOpener();
    const pool = new ShellPool('h', opener, 10);
    for (let i = 0; i < 10; i++) await pool.run({ script: 'true' });
    expect(state.commands.length).toBe(1);
    pool.close();
  });

  it('lowers its limit when the server refuses a channel', async () => {
    const { state, opener } = countingOpener({ refuseAbove: 2 });
    const pool = new ShellPool('h', opener, 10);
    const rs = await Promise.all(Array.from({ length: 8 }, () => pool.run({ script: 'sleep 0.05; echo x' })));
    expect(rs.every((r) => r.rc === 0)).toBe(true);
    expect(state.max).toBe(2);
    expect(state.refused).toBeGreaterThan(0);
    pool.close();
  });

  it('keeps separate shells per become user and password, within the same limit', async () => {
    const { state, opener } = countingOpener();
    const pool = new ShellPool('h', opener, 2);
    // sudo is not exercised here: the start command is only recorded.
    await pool.run({ script: 'true' });
    await pool.run({ script: 'true' });
    expect(state.commands.length).toBe(1);
    const become = pool.run({ script: 'true', become: { user: 'nobody', password: 'x' } }).catch(() => 'failed');
    await become;
    expect(state.commands.some((c) => c.startsWith('sudo -H -S -p '))).toBe(true);
    expect(state.commands.every((c) => !c.includes("'x'"))).toBe(true);
    expect(state.max).toBeLessThanOrEqual(2);
    pool.close();
  });

  it('fails queued calls when closed', async () => {
    const { opener } = countingOpener();
    const pool = new ShellPool('h', opener, 1);
    const first = pool.run({ script: 'sleep 0.3' });
    const second = pool.run({ script: 'echo queued' });
    const settled = Promise.allSettled([first, second]);
    pool.close();
    const [a, b] = await settled;
    expect(a.status).toBe('rejected');
    expect(b).toMatchObject({ status: 'rejected', reason: { message: 'h: connection closed' } });
  });
});
