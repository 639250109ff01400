/**
 * The progress line as a person sees it: tsrun runs in a real terminal (tmux) and the test reads
 * the screen. The pushes go to lab hosts whose links are rate-limited (tc tbf), so a push lasts
 * long enough for the screen to be read while it runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, TSRUN } from '../support/runners.js';
import { Tmux } from '../support/tmux.js';
import { createLab, describeLab, type Lab } from '../lab/lab.js';

const PROGRESS = /\[\d+\/\d+ hosts\] · /;
const open: Tmux[] = [];

let gates = 0;

/** tsrun in a terminal; `open()` lets db1's slow task finish. */
function term(cwd: string, args: string, env: Record<string, string> = {}, width = 120): Tmux & { open(): void } {
  const gate = join(cwd, `gate-${++gates}`);
  const t = new Tmux(`node ${TSRUN} ${args} -e gate=${gate}; echo EXIT=$?; sleep 600`, { cwd, env, width });
  open.push(t);
  return Object.assign(t, { open: () => writeFileSync(gate, '') });
}

afterAll(() => {
  for (const t of open) t.close();
});

/** Local hosts: no lab needed for what the terminal does with colour and width. */
function localPlaybook(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsrun-progress-'));
  writeFileSync(join(dir, 'hosts.ini'), '[web]\nweb1 ansible_connection=local\nweb2 ansible_connection=local\n[db]\ndb1 ansible_connection=local\n');
  writeFileSync(
    join(dir, 'pb.yml'),
    [
      '- hosts: all',
      '  gather_facts: false',
      '  tasks:',
      '    - name: quick',
      '      command: "true"',
      // db1 waits until the test opens its gate: the screen is read while it waits, whatever the load.
      '    - name: db1 is slow',
      "      command: \"sh -c 'until [ -e {{ gate }} ]; do sleep 0.1; done'\"",
      "      when: inventory_hostname == 'db1'",
      '',
    ].join('\n'),
  );
  return dir;
}

describe('progress line in a terminal (tmux)', () => {
  let dir: string;
  beforeAll(() => {
    dir = localPlaybook();
  });

  it('shows hosts done/total, the host still running and the elapsed time, then clears', async () => {
    const t = term(dir, '-i hosts.ini pb.yml');
    const during = await t.waitFor((s) => /\[2\/3 hosts\] · waiting on db1 \d+\.\ds · elapsed \d+\.\ds · db1 is slow/.test(s));
    expect(during, t.screen()).toBeDefined();
    // The line sits right under the task banner.
    expect(during!.trimEnd().split('\n').slice(-2)[0]).toMatch(/^TASK \[db1 is slow\] \*+$/);
    t.open();
    const end = await t.waitFor((s) => s.includes('EXIT='));
    expect(end).toContain('PLAY RECAP');
    expect(end).toContain('EXIT=0');
    expect(end).not.toMatch(PROGRESS);
  });

  it('is cut to the terminal width', async () => {
    const t = term(dir, '-i hosts.ini pb.yml', {}, 50);
    const during = await t.waitFor((s) => s.includes('waiting on db1'));
    expect(during, t.screen()).toBeDefined();
    const line = during!.split('\n').find((l) => PROGRESS.test(l))!;
    expect([...line.trimEnd()].length).toBeLessThanOrEqual(49);
    expect(line.trimEnd().endsWith('…')).toBe(true);
    t.open();
    expect(await t.waitFor((s) => s.includes('EXIT=0'))).toBeDefined();
  });

  it.each([
    [{}, true],
    [{ NO_COLOR: '1' }, false],
    [{ ANSIBLE_NOCOLOR: '1' }, false],
    [{ NO_COLOR: '1', ANSIBLE_FORCE_COLOR: '1' }, true],
  ])('colour with %j: %s', async (env, coloured) => {
    const t = term(dir, '-i hosts.ini pb.yml', env as Record<string, string>);
    // The line is redrawn in place: take it from the same capture that shows it, not a later one.
    let line: string | undefined;
    const found = await t.waitFor((s) => s.includes('waiting on db1') && (line = t.screen(true).split('\n').find((l) => PROGRESS.test(l))) !== undefined);
    expect(found, t.screen()).toBeDefined();
    expect(line!.includes('\x1b['), line).toBe(coloured);
    t.open();
    const end = await t.waitFor((s) => s.includes('EXIT='));
    expect(end).toContain('EXIT=0');
    const recap = t.screen(true).split('\n').find((l) => l.startsWith('\x1b') && l.includes('db1') && l.includes('ok='));
    expect(Boolean(recap), t.screen(true)).toBe(coloured);
  });

  it('prints nothing extra without a terminal, or under --json', async () => {
    writeFileSync(join(dir, 'gate-open'), '');
    const piped = await run(process.execPath, [TSRUN, '-i', 'hosts.ini', 'pb.yml', '-e', 'gate=gate-open'], { cwd: dir });
    expect(piped.code).toBe(0);
    expect(piped.stdout).not.toMatch(PROGRESS);
    expect(piped.stdout).not.toContain('\r');
    // --json on a real terminal (script gives the command a pty): one JSON document, no line.
    const tty = await run('script', ['-qec', `node ${TSRUN} -i hosts.ini pb.yml --json -e gate=gate-open`, '/dev/null'], { cwd: dir });
    expect(tty.stdout).not.toMatch(PROGRESS);
    expect(() => JSON.parse(tty.stdout.replace(/\r\n/g, '\n'))).not.toThrow();
  });
});

describeLab('progress of pushes over 1 MiB (tmux, rate-limited lab links)', () => {
  let lab: Lab;
  let dir: string;

  beforeAll(async () => {
    lab = await createLab({ name: 'ux-progress', hosts: 2 });
    dir = mkdtempSync(join(tmpdir(), 'tsrun-push-'));
    writeFileSync(join(dir, 'hosts.ini'), lab.inventory());
    writeFileSync(join(dir, 'blob.bin'), randomBytes(8 * 1024 * 1024));
    writeFileSync(join(dir, 'push.yml'), '- hosts: lab\n  gather_facts: false\n  tasks:\n    - name: push the blob\n      copy: { src: blob.bin, dest: /tmp/blob.bin }\n');
    // Shape the bridge side of each host's link: what the control node sends it.
    for (const h of lab.hosts) {
      const link = execFileSync('ip', ['-n', h.netns, '-o', 'link', 'show', 'eth0'], { encoding: 'utf8' });
      const peer = /eth0@if(\d+)/.exec(link)![1];
      const veth = /^\d+: ([^@:]+)/m.exec(execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).split('\n').find((l) => l.startsWith(`${peer}:`))!)![1];
      execFileSync('tc', ['qdisc', 'replace', 'dev', veth, 'root', 'tbf', 'rate', '16mbit', 'burst', '64kb', 'latency', '400ms']);
    }
  }, 120_000);

  afterAll(async () => {
    await lab?.destroy();
  });

  it('shows bytes sent, throughput and ETA summed over hosts while the push runs', async () => {
    const t = term(dir, '-i hosts.ini push.yml');
    const during = await t.waitFor((s) => /\[0\/2 hosts\] · waiting on host\d \+1 .*· [\d.]+ MiB\/16 MiB [\d.]+ [KM]iB\/s ETA [\d.]+s · push the blob/.test(s));
    expect(during, t.screen()).toBeDefined();
    const end = await t.waitFor((s) => s.includes('EXIT='));
    expect(end).toContain('EXIT=0');
    expect(end).not.toMatch(PROGRESS);
    for (const h of lab.hosts) expect((await lab.runAsRoot(h.name, 'stat -c %s /tmp/blob.bin')).stdout.trim()).toBe(String(8 * 1024 * 1024));
  }, 120_000);
});
