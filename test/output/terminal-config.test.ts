/**
 * What the terminal shows, set the ways operators set it, side by side with ansible-playbook:
 * the width of a real terminal (tmux) for the banners, and ansible.cfg's nocolor, force_color
 * and `callbacks_enabled = profile_tasks`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIf, programMissing } from '../support/needs.js';
import { ansibleEnv, run, TSRUN } from '../support/runners.js';
import { Tmux } from '../support/tmux.js';

const missing = programMissing('tmux', 'tmux', ['-V']) ?? programMissing('ansible-playbook', 'ansible');
const terms: Tmux[] = [];
let dir: string;

/** The colour and config variables a test sets itself, unset for every run. */
const UNSET = ['NO_COLOR', 'ANSIBLE_NOCOLOR', 'ANSIBLE_FORCE_COLOR', 'ANSIBLE_CONFIG', 'ANSIBLE_CALLBACKS_ENABLED', 'ANSIBLE_STDOUT_CALLBACK', 'TSRUN_PROGRESS'];

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = ansibleEnv();
  for (const k of UNSET) delete base[k];
  return { ...base, ...extra };
}

/** `cmd` in a terminal `width` columns wide; resolves with the screen once it has exited. */
async function onScreen(cmd: string, width: number, extra: Record<string, string> = {}): Promise<string> {
  const vars = Object.entries(env(extra)).map(([k, v]) => `${k}='${v}'`).join(' ');
  const t = new Tmux(`env ${UNSET.map((k) => `-u ${k}`).join(' ')} ${vars} ${cmd}; echo EXIT=$?; sleep 600`, { cwd: dir, width, height: 60 });
  terms.push(t);
  const screen = await t.waitFor((s) => /^EXIT=\d+$/m.test(s), 120_000);
  expect(screen, t.screen()).toBeDefined();
  return t.screen(true);
}

const ansible = 'ansible-playbook -i hosts.ini pb.yml';
const tsrun = `${process.execPath} ${TSRUN} -i hosts.ini pb.yml`;
const banners = (screen: string) => screen.split('\n').filter((l) => /^(PLAY|TASK) .*\*{3,}$/.test(l));
const lines = (text: string) => text.replace(/\r/g, '').split('\n').filter((l) => !/^Elapsed: /.test(l)).join('\n').trimEnd();

describeIf(missing, 'terminal width and ansible.cfg output settings, against ansible-playbook', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsrun-term-'));
    writeFileSync(join(dir, 'hosts.ini'), 'h1 ansible_connection=local\n');
    writeFileSync(
      join(dir, 'pb.yml'),
      [
        '- name: a play with a name',
        '  hosts: all',
        '  gather_facts: false',
        '  tasks:',
        '    - name: quick',
        '      command: "true"',
        '    - name: the slow one',
        '      command: sleep 1',
        '    - name: skipped',
        '      debug: msg=x',
        '      when: false',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'nocolor.cfg'), '[defaults]\nnocolor = True\n');
    writeFileSync(join(dir, 'force.cfg'), '[defaults]\nforce_color = True\n');
    writeFileSync(join(dir, 'profile.cfg'), '[defaults]\ncallbacks_enabled = profile_tasks\n');
  });

  afterAll(() => {
    for (const t of terms) t.close();
  });

  it.each([100, 140])('banners fill a %i-column terminal as ansible-playbook draws them', async (width) => {
    const [theirs, ours] = await Promise.all([onScreen(ansible, width, { ANSIBLE_NOCOLOR: '1' }), onScreen(tsrun, width, { ANSIBLE_NOCOLOR: '1' })]);
    expect(banners(ours)).toHaveLength(5);
    expect(banners(ours)).toEqual(banners(theirs));
    for (const b of banners(ours)) expect(b.length).toBe(width);
  }, 240_000);

  it('ansible.cfg nocolor = True: no colour on a terminal, as ansible-playbook', async () => {
    const cfg = { ANSIBLE_CONFIG: join(dir, 'nocolor.cfg') };
    const [theirs, ours] = await Promise.all([onScreen(ansible, 100, cfg), onScreen(tsrun, 100, cfg)]);
    expect(theirs).not.toContain('\x1b[');
    expect(ours).not.toContain('\x1b[');
    // Without the setting the same terminal is coloured.
    expect(await onScreen(tsrun, 100)).toContain('\x1b[');
  }, 240_000);

  it('ansible.cfg force_color = True: colour into a pipe, byte for byte as ansible-playbook', async () => {
    const cfg = { ANSIBLE_CONFIG: join(dir, 'force.cfg') };
    const [theirs, ours] = await Promise.all([
      run('ansible-playbook', ['-i', 'hosts.ini', 'pb.yml'], { cwd: dir, env: env(cfg) }),
      run(process.execPath, [TSRUN, '-i', 'hosts.ini', 'pb.yml'], { cwd: dir, env: env(cfg) }),
    ]);
    expect(ours.stdout).toContain('\x1b[0;33mchanged: [h1]');
    expect(lines(ours.stdout)).toBe(lines(theirs.stdout));
  }, 120_000);

  it('ansible.cfg callbacks_enabled = profile_tasks: the slowest tasks after the recap, as ansible-playbook lists them', async () => {
    const cfg = { ANSIBLE_CONFIG: join(dir, 'profile.cfg') };
    const [theirs, ours] = await Promise.all([
      run('ansible-playbook', ['-i', 'hosts.ini', 'pb.yml'], { cwd: dir, env: env(cfg) }),
      run(process.execPath, [TSRUN, '-i', 'hosts.ini', 'pb.yml'], { cwd: dir, env: env(cfg) }),
    ]);
    expect(ours.code).toBe(0);
    const summary = (out: string) => {
      const tail = out.slice(out.indexOf('PLAY RECAP'));
      return tail.split('\n').filter((l) => / -+ \d+\.\d\ds$/.test(l));
    };
    const mine = summary(ours.stdout);
    // Every task that ran, slowest first, `name ---- 1.23s` 79 columns wide, as profile_tasks.
    expect(mine.map((l) => l.replace(/ -+ \d+\.\d\ds$/, '')).sort()).toEqual(summary(theirs.stdout).map((l) => l.replace(/ -+ \d+\.\d\ds$/, '')).sort());
    expect(mine[0]).toMatch(/^the slow one -+ [1-9]\.\d\ds$/);
    const secs = mine.map((l) => Number(/(\d+\.\d\d)s$/.exec(l)![1]));
    expect(secs).toEqual([...secs].sort((a, b) => b - a));
    for (const l of mine) expect(l).toHaveLength(79);
    expect(ours.stdout.indexOf('PLAY RECAP')).toBeLessThan(ours.stdout.indexOf(mine[0]));
  }, 120_000);
});
