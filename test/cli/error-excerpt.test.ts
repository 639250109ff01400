/**
 * Errors a person can act on: run as the operator runs tsrun, every load error that names
 * file:line:column is followed by the offending line and a caret under the column.
 */
import { readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { positionInMessage, sourceExcerpt } from '../../src/cli/excerpt.js';
import { REPO, tsrun } from '../support/runners.js';
import { expectNoStackTrace } from './support.js';

const PB_ERRORS = join(REPO, 'test/fixtures/playbook/errors');

/** What the excerpt must look like for `file` at line:column. */
function expectedExcerpt(file: string, line: number, column: number): string {
  const text = readFileSync(file, 'utf8').split('\n')[line - 1];
  const lead = [...text.slice(0, column - 1)].map((c) => (c === '\t' ? '\t' : ' ')).join('');
  const gutter = ' '.repeat(String(line).length);
  return `  ${line} | ${text}\n  ${gutter} | ${lead}^\n`;
}

describe('the offending line and a caret, on the terminal', () => {
  // Every playbook fixture of the loader's error tests (tasks-* files are not playbooks). Those
  // tests use a stand-in module registry, so the position is read from what the CLI printed.
  const cases = readdirSync(PB_ERRORS)
    .filter((n) => n.endsWith('.yml') && !n.startsWith('tasks-'))
    .map((name) => ({ name }));

  it('has cases', () => expect(cases.length).toBeGreaterThan(30));

  it.each(cases)('$name', async ({ name }) => {
    const r = await tsrun(['--syntax-check', join('test/fixtures/playbook/errors', name)], { cwd: REPO });
    expect(r.code).toBe(4);
    expectNoStackTrace(r);
    const first = r.stderr.split('\n')[0];
    const m = /^ERROR! (test\/fixtures\/playbook\/errors\/[^:]+):(\d+):(\d+): /.exec(first);
    expect(m, first).not.toBeNull();
    expect(r.stderr.slice(first.length + 1)).toBe(expectedExcerpt(join(REPO, m![1]), Number(m![2]), Number(m![3])));
  });

  it('suggests the closest module and keyword, with the caret on the typo', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-typo-'));
    writeFileSync(join(dir, 'site.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: set a line\n      lininfile: path=/tmp/x line=y\n      whn: true\n');
    const r = await tsrun(['-i', 'localhost,', 'site.yml'], { cwd: dir });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe("ERROR! site.yml:5:7: unknown module 'lininfile' (did you mean `lineinfile`?)\n  5 |       lininfile: path=/tmp/x line=y\n    |       ^\n");
    writeFileSync(join(dir, 'site.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: set a line\n      lineinfile: path=/tmp/x line=y\n      whn: true\n');
    const k = await tsrun(['-i', 'localhost,', 'site.yml'], { cwd: dir });
    expect(k.stderr).toBe("ERROR! site.yml:6:7: 'whn' is not a valid attribute for a Task (did you mean `when`?)\n  6 |       whn: true\n    |       ^\n");
  });

  it('a task that fails at run time with its position shows that line under the first fatal line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-runtime-pos-'));
    writeFileSync(join(dir, 'hosts.ini'), 'h1 ansible_connection=local\nh2 ansible_connection=local\n');
    writeFileSync(join(dir, 'site.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: use a missing variable\n      debug: msg={{ nope_var }}\n');
    const r = await tsrun(['-i', 'hosts.ini', 'site.yml', '-f', '1'], { cwd: dir });
    expect(r.code).toBe(2);
    expectNoStackTrace(r);
    const out = r.stdout.split('\n');
    const first = out.findIndex((l) => l.startsWith('fatal: [h1]: FAILED! =>'));
    expect(out[first]).toContain("at 'site.yml:4:7'");
    expect(out.slice(first + 1, first + 3)).toEqual(['  4 |     - name: use a missing variable', '    |       ^']);
    // Once per task, not once per host.
    expect(r.stdout.match(/^ {2}4 \| /gm)).toHaveLength(1);
    // The --json document is left as it is.
    const json = await tsrun(['-i', 'hosts.ini', 'site.yml', '--json'], { cwd: dir });
    expect(() => JSON.parse(json.stdout)).not.toThrow();
  });

  it('inventory lines get the same treatment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-inv-'));
    writeFileSync(join(dir, 'hosts.ini'), '[web]\n  web[1:x] ansible_user=a\n');
    writeFileSync(join(dir, 'site.yml'), '- hosts: all\n  tasks: []\n');
    const r = await tsrun(['-i', 'hosts.ini', 'site.yml'], { cwd: dir });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(`ERROR! ${join(dir, 'hosts.ini')}:2:3: invalid host range [1:x] in 'web[1:x]'\n  2 |   web[1:x] ansible_user=a\n    |   ^\n`);
  });
});

describe('excerpt edge cases', () => {
  it('keeps tabs so the caret lines up, and says nothing for unreadable places', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-ex-'));
    writeFileSync(join(dir, 'f.yml'), 'a: 1\n\tb: [\n');
    expect(sourceExcerpt({ file: 'f.yml', line: 2, column: 3 }, dir)).toBe('  2 | \tb: [\n    | \t ^\n');
    expect(sourceExcerpt({ file: 'f.yml', line: 9, column: 1 }, dir)).toBeUndefined();
    expect(sourceExcerpt({ file: 'nope.yml', line: 1 }, dir)).toBeUndefined();
    expect(sourceExcerpt({ file: 'f.yml', line: 1 }, dir)).toBe('  1 | a: 1\n');
  });

  it('reads a position from a message that carries one', () => {
    expect(positionInMessage('site.yml:3:5: bad')).toEqual({ file: 'site.yml', line: 3, column: 5 });
    expect(positionInMessage('/x/hosts.ini:2: bad')).toEqual({ file: '/x/hosts.ini', line: 2, column: undefined });
    expect(positionInMessage('the playbook: x could not be found')).toBeUndefined();
  });
});
