/**
 * --step as a person uses it (issue 11): tsrun and ansible-playbook each run in a real terminal
 * (tmux), the test reads the screen, waits for each "Perform task: ..." question and types the
 * answer. What ran (files the tasks touch), the exit status and the whole screen must be the
 * same for both; Ctrl-C and Ctrl-D at the question end the run as ansible-playbook's does.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeIf, programMissing } from '../support/needs.js';
import { ansibleEnv, run, TSRUN } from '../support/runners.js';
import { Tmux } from '../support/tmux.js';

const missing = programMissing('tmux', 'tmux', ['-V']) ?? programMissing('ansible-playbook', 'ansible');
const terms: Tmux[] = [];

const PLAYBOOK = [
  '- hosts: all',
  '  gather_facts: true',
  '  tasks:',
  ...['first', 'second', 'third', 'fourth'].flatMap((n) => [`    - name: ${n}`, `      command: touch ${n}.ran`, ...(n === 'third' ? ['      notify: the handler'] : [])]),
  '  handlers:',
  '    - name: the handler',
  '      command: touch handler.ran',
  '',
].join('\n');

type Engine = 'ansible' | 'tsrun';
const QUESTION = /\(N\)o\/\(y\)es\/\(c\)ontinue:$/;
/** An answered question (not the banner that repeats it: `... (c)ontinue: ****`). */
const ANSWERED = /\(N\)o\/\(y\)es\/\(c\)ontinue: (?!\*+$).+$/;

/** Starts `engine --step` in a terminal of its own, in a fresh directory. */
function start(engine: Engine): { t: Tmux; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), `tsrun-step-${engine}-`));
  writeFileSync(join(dir, 'hosts.ini'), 'h1 ansible_connection=local\n');
  writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
  const env: NodeJS.ProcessEnv = { ...ansibleEnv(), ANSIBLE_NOCOLOR: '1' };
  delete env.ANSIBLE_FORCE_COLOR;
  const vars = Object.entries(env).map(([k, v]) => `${k}='${v}'`).join(' ');
  const cmd = engine === 'ansible' ? 'ansible-playbook' : `${process.execPath} ${TSRUN}`;
  const t = new Tmux(`env -u NO_COLOR ${vars} ${cmd} -i hosts.ini pb.yml --step; echo EXIT=$?; sleep 600`, { cwd: dir, width: 120, height: 80 });
  terms.push(t);
  return { t, dir };
}

const lines = (screen: string) => screen.split('\n').map((l) => l.trimEnd());

/** Answers each question as it appears (the n-th answer once n questions were answered), then waits for the exit. */
async function answer(t: Tmux, answers: string[]): Promise<string> {
  for (const [i, a] of answers.entries()) {
    const asked = await t.waitFor((s) => lines(s).filter((l) => ANSWERED.test(l)).length === i && lines(s).some((l) => QUESTION.test(l)), 120_000);
    expect(asked, `question ${i + 1} never came:\n${t.screen()}`).toBeDefined();
    if (a.startsWith('C-')) t.key(a);
    else t.type(`${a}\n`);
  }
  const done = await t.waitFor((s) => /^EXIT=\d+$/m.test(s), 120_000);
  expect(done, t.screen()).toBeDefined();
  return done!;
}

/** The screen as both programs draw it; tsrun's extra `Elapsed:` line after the recap aside. */
const comparable = (screen: string) =>
  lines(screen)
    .filter((l) => !/^Elapsed: /.test(l))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

const ran = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.ran')).sort();

async function both(answers: string[]) {
  const runs = (['ansible', 'tsrun'] as const).map((e) => ({ e, ...start(e) }));
  const screens = await Promise.all(runs.map((r) => answer(r.t, answers)));
  const [a, t] = runs.map((r, i) => ({ screen: screens[i], ran: ran(r.dir), exit: Number(/^EXIT=(\d+)$/m.exec(screens[i])![1]) }));
  return { ansible: a, tsrun: t };
}

describeIf(missing, '--step in a terminal (tmux), against ansible-playbook', () => {
  afterAll(() => {
    for (const t of terms) t.close();
  });

  it('n, y, n, y, y and y for the handler: the same tasks run and the screens are the same', async () => {
    const r = await both(['n', 'y', 'n', 'y', 'y', 'y']);
    expect(r.tsrun.ran).toEqual(['first.ran', 'fourth.ran', 'handler.ran', 'third.ran']);
    expect(r.tsrun.ran).toEqual(r.ansible.ran);
    expect(r.tsrun.exit).toBe(0);
    expect(r.tsrun.exit).toBe(r.ansible.exit);
    // The question for the handler, and each question shown again as a banner once answered.
    expect(r.tsrun.screen).toContain('Perform task: HANDLER: the handler (N)o/(y)es/(c)ontinue: y\n');
    expect(r.tsrun.screen).toMatch(/^Perform task: TASK: second \(N\)o\/\(y\)es\/\(c\)ontinue: \*{3,}$/m);
    expect(comparable(r.tsrun.screen)).toBe(comparable(r.ansible.screen));
  }, 300_000);

  it('c runs the task and every later one without asking again (handlers too)', async () => {
    const r = await both(['y', 'n', 'c']);
    expect(r.tsrun.ran).toEqual(['fourth.ran', 'handler.ran', 'second.ran', 'third.ran']);
    expect(r.tsrun.ran).toEqual(r.ansible.ran);
    expect(lines(r.tsrun.screen).filter((l) => ANSWERED.test(l))).toHaveLength(3);
    expect(comparable(r.tsrun.screen)).toBe(comparable(r.ansible.screen));
  }, 300_000);

  it('anything but y/yes/c/continue (in any case) skips: "Y" runs, " y" and "sure" do not; a declined handler is asked again', async () => {
    // Gathering Facts, first, second, third, fourth, the handler after the tasks, and again at the play's last flush.
    const r = await both(['Y', ' y', 'sure', 'YES', 'n', 'No', 'n']);
    expect(r.tsrun.ran).toEqual(['third.ran']);
    expect(r.tsrun.screen.match(/^Perform task: HANDLER: the handler \(N\)o\/\(y\)es\/\(c\)ontinue: (No|n)$/gm)).toHaveLength(2);
    expect(r.tsrun.ran).toEqual(r.ansible.ran);
    expect(comparable(r.tsrun.screen)).toBe(comparable(r.ansible.screen));
  }, 300_000);

  it('Ctrl-C at the question: nothing more runs, exit 99', async () => {
    const r = await both(['y', 'C-c']);
    expect(r.ansible.exit).toBe(99);
    expect(r.tsrun.exit).toBe(99);
    expect(r.tsrun.ran).toEqual([]);
    expect(r.tsrun.ran).toEqual(r.ansible.ran);
    expect(r.tsrun.screen).toMatch(/User interrupted execution/);
    expect(r.tsrun.screen).not.toContain('PLAY RECAP');
  }, 300_000);

  it('Ctrl-D at the question: nothing more runs, exit 2, and tsrun says why', async () => {
    const r = await both(['C-d']);
    expect(r.ansible.exit).toBe(2);
    expect(r.tsrun.exit).toBe(2);
    expect(r.tsrun.ran).toEqual([]);
    expect(r.tsrun.ran).toEqual(r.ansible.ran);
    expect(r.tsrun.screen).toContain('ERROR! --step: no answer (end of input at the prompt); the run stops');
  }, 300_000);

  it('without a terminal, --step refuses to start rather than hang or guess', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-step-pipe-'));
    writeFileSync(join(dir, 'hosts.ini'), 'h1 ansible_connection=local\n');
    writeFileSync(join(dir, 'pb.yml'), PLAYBOOK);
    const r = await run(process.execPath, [TSRUN, '-i', 'hosts.ini', 'pb.yml', '--step'], { cwd: dir, input: '' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--step asks before every task, but stdin is not a terminal');
    expect(existsSync(join(dir, 'first.ran'))).toBe(false);
  });
});
