import { describe, expect, it } from 'vitest';
import type { TaskInfo } from '../../src/output/events.js';
import { ProgressLine } from '../../src/output/progress.js';
import { colorEnabled, formatBytes } from '../../src/output/terminal.js';

const task: TaskInfo = { id: 't1', name: 'push bundle', action: 'copy', path: 'pb.yml:3:7', isHandler: false };
const MiB = 1024 * 1024;

function setup(columns = 200, color = false) {
  let now = 1000;
  const screen: string[] = [];
  const p = new ProgressLine({ write: (t) => screen.push(t), color, columns: () => columns, now: () => now, intervalMs: 0 });
  return { p, screen, tick: (ms: number) => (now += ms) };
}

describe('progress line', () => {
  it('counts hosts done, names the host running longest and the elapsed time', () => {
    const { p, tick } = setup();
    p.taskTargets(task, ['a', 'b', 'c']);
    p.hostTaskStart('a');
    tick(500);
    p.hostTaskStart('b');
    p.hostTaskStart('c');
    tick(1000);
    p.hostTaskEnd('b', task, 'ok');
    expect(p.render()).toBe('[1/3 hosts] · waiting on a +1 1.5s · elapsed 1.5s · push bundle');
    p.hostTaskEnd('a', task, 'ok');
    expect(p.render()).toBe('[2/3 hosts] · waiting on c 1.0s · elapsed 1.5s · push bundle');
    p.hostTaskEnd('c', task, 'changed');
    // Every host reported: the line is gone until the next task.
    expect(p.render()).toBeUndefined();
  });

  it('sums bytes, throughput and ETA of pushes over 1 MiB across hosts', () => {
    const { p, tick } = setup();
    p.taskTargets(task, ['a', 'b', 'c']);
    for (const h of ['a', 'b', 'c']) p.hostTaskStart(h);
    p.transfer('a', task, 0, 8 * MiB);
    p.transfer('b', task, 0, 8 * MiB);
    p.transfer('c', task, 0, 512 * 1024); // small: not counted
    tick(2000);
    p.transfer('a', task, 4 * MiB, 8 * MiB);
    p.transfer('b', task, 2 * MiB, 8 * MiB);
    const st = p.state()!;
    expect(st.transfer).toMatchObject({ sent: 6 * MiB, total: 16 * MiB });
    expect(st.transfer!.rate).toBeCloseTo(3 * MiB); // 2 MiB/s + 1 MiB/s
    expect(st.transfer!.etaMs).toBeCloseTo((10 / 3) * 1000);
    expect(p.render()).toContain('6.0 MiB/16 MiB 3.0 MiB/s ETA 3.3s');
  });

  it('counts a push waiting for its turn in the total, and its rate from when it starts', () => {
    const { p, tick } = setup();
    p.taskTargets(task, ['a', 'b']);
    p.transfer('a', task, 0, 4 * MiB);
    p.transfer('b', task, 0, 4 * MiB); // announced, queued behind a
    tick(4000);
    p.transfer('a', task, 4 * MiB, 4 * MiB);
    p.transfer('b', task, 0, 4 * MiB); // now it starts
    tick(1000);
    p.transfer('b', task, 1 * MiB, 4 * MiB);
    expect(p.state()!.transfer).toMatchObject({ sent: 5 * MiB, total: 8 * MiB, rate: 1 * MiB, etaMs: 3000 });
  });

  it('never wraps: the line is cut to the terminal width minus one column', () => {
    const { p } = setup(40);
    p.taskTargets(task, ['a-very-long-host-name.example.org']);
    p.hostTaskStart('a-very-long-host-name.example.org');
    const line = p.render()!;
    expect([...line]).toHaveLength(39);
    expect(line.endsWith('…')).toBe(true);
  });

  it('clears itself before output is written above it, then redraws', () => {
    const { p, screen } = setup(80);
    const out: string[] = [];
    const write = p.wrap((t) => {
      screen.push(t);
      out.push(t);
    });
    p.taskTargets(task, ['a']);
    p.hostTaskStart('a');
    screen.length = 0;
    write('ok: [a]\n');
    expect(screen[0]).toBe('\r\x1b[K');
    expect(screen[1]).toBe('ok: [a]\n');
    expect(screen[2]).toMatch(/^\r\x1b\[K\[0\/1 hosts\]/);
  });

  it('stays off while an action may prompt on the terminal (pause)', () => {
    const { p, screen } = setup();
    p.taskTargets(task, ['a'], true);
    p.hostTaskStart('a');
    expect(p.render()).toBeUndefined();
    expect(screen).toEqual([]);
  });

  it('is coloured only when colour is on', () => {
    const on = setup(80, true);
    on.p.taskTargets(task, ['a']);
    expect(on.p.render()).toMatch(/^\x1b\[0;36m.*\x1b\[0m$/);
    const off = setup(80, false);
    off.p.taskTargets(task, ['a']);
    expect(off.p.render()).not.toContain('\x1b');
  });
});

describe('colour switches, as Ansible reads them', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ ANSIBLE_NOCOLOR: 'true' }, true, false],
    [{ ANSIBLE_NOCOLOR: '0' }, true, true],
    [{ ANSIBLE_FORCE_COLOR: '1' }, false, true],
    [{ ANSIBLE_FORCE_COLOR: 'yes', NO_COLOR: '1' }, true, true],
  ] as const)('%j on a terminal=%s gives colour=%s', (env, tty, want) => {
    expect(colorEnabled(env as NodeJS.ProcessEnv, tty)).toBe(want);
  });

  it('sizes read in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(64 * MiB)).toBe('64 MiB');
  });
});
