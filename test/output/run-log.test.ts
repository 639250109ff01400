/**
 * The run log (log_path) holds its records back for at most LOG_FLUSH_MS and writes them in one
 * append: none may be lost when the run ends normally, fails, or is interrupted, and the order of
 * records stays as printed. (Its format against Ansible's log: test/oracle/run-log.test.ts.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLog } from '../../src/output/run-files.js';
import { tsrun } from '../support/runners.js';
import { startTsrun } from '../faults/support.js';

const dir = mkdtempSync(join(tmpdir(), 'tsrun-runlog-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const messages = (file: string): string[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} p=\d+ u=\S+ n=ansible \| /, ''));

describe('runLog', () => {
  it('writes every record, in order, once flushed', () => {
    const file = join(dir, 'flush.log');
    const log = runLog(file);
    for (const m of ['\nPLAY [all] ***\n', '\x1b[0;32mok: [a]\x1b[0m\n', '\n', 'two\nlines\n']) log.write(m);
    log.flush();
    expect(messages(file)).toEqual(['PLAY [all] ***', 'ok: [a]', 'two', 'lines']);
  });

  it('writes a waiting record on its own shortly after, with no flush', async () => {
    const file = join(dir, 'timer.log');
    runLog(file).write('alone\n');
    await new Promise((r) => setTimeout(r, 400));
    expect(messages(file)).toEqual(['alone']);
  });
});

describe('tsrun with log_path', () => {
  writeFileSync(join(dir, 'hosts.ini'), 'localhost ansible_connection=local\n');
  const tasks = Array.from({ length: 30 }, (_, i) => `    - debug: msg=record-${i}\n`).join('');
  writeFileSync(join(dir, 'ok.yml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n${tasks}`);
  writeFileSync(join(dir, 'fails.yml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n${tasks}    - fail: msg=the-end\n`);
  writeFileSync(join(dir, 'slow.yml'), `- hosts: localhost\n  gather_facts: false\n  tasks:\n${tasks}    - command: sleep 30\n`);
  const env = (name: string) => ({ ANSIBLE_LOG_PATH: join(dir, name), TSRUN_PROGRESS: '0', NO_COLOR: '1' });

  it('logs the whole output of a run that succeeds and of one that fails', async () => {
    for (const [book, code] of [['ok.yml', 0], ['fails.yml', 2]] as const) {
      const r = await tsrun(['-i', join(dir, 'hosts.ini'), join(dir, book)], { cwd: dir, env: env(`${book}.log`) });
      expect(r.code).toBe(code);
      const logged = messages(join(dir, `${book}.log`));
      expect(logged.filter((m) => /^TASK \[debug\]/.test(m))).toHaveLength(30);
      expect(logged.at(-1)).toMatch(/^localhost +: ok=30/);
    }
  });

  it('logs what was printed before a Ctrl-C', async () => {
    const live = startTsrun(['-i', join(dir, 'hosts.ini'), join(dir, 'slow.yml')], { cwd: dir, env: env('slow.log') });
    await live.waitFor(/TASK \[command\]/);
    live.interrupt();
    expect((await live.done).code).toBe(99);
    const logged = messages(join(dir, 'slow.log'));
    expect(logged.filter((m) => /^TASK \[debug\]/.test(m))).toHaveLength(30);
    expect(logged.some((m) => m.startsWith('TASK [command] *'))).toBe(true);
  });
});
