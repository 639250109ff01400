/**
 * Errors a person can act on: run as the operator runs tsrun, every load error that names
 * file:line:column prints as Ansible prints it: the message, then the file, line and column
 * ("The error appears to be in ..."), the offending line with the one before it, and a caret.
 */
import { readdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorDetails, operatorErrorText, positionInMessage, sourceExcerpt } from '../../src/output/excerpt.js';
import { REPO, tsrun } from '../support/runners.js';
import { compactError, expectNoStackTrace, expectShownLine, printedError } from './support.js';

const PB_ERRORS = join(REPO, 'test/fixtures/playbook/errors');

const details = (file: string, line: number, column: number, shown: string) =>
  `The error appears to be in '${file}': line ${line}, column ${column}, but may\nbe elsewhere in the file depending on the exact syntax problem.\n\nThe offending line appears to be:\n\n${shown}`;

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
    const e = printedError(r.stderr)!;
    expect(r.stderr.startsWith('ERROR! '), r.stderr).toBe(true);
    expect(e.file, r.stderr).toMatch(/^\/.*\/test\/fixtures\/playbook\/errors\/.+$/);
    expect(compactError(e, REPO)).toMatch(/^test\/fixtures\/playbook\/errors\/[^:]+:\d+:\d+: \S/);
    expectShownLine(e);
    expect(r.stderr.endsWith('^ here\n'), r.stderr).toBe(true);
  });

  it('suggests the closest module and keyword, with the caret on the typo', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-typo-'));
    writeFileSync(join(dir, 'site.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: set a line\n      lininfile: path=/tmp/x line=y\n      whn: true\n');
    const r = await tsrun(['-i', 'localhost,', 'site.yml'], { cwd: dir });
    expect(r.code).toBe(4);
    const site = join(dir, 'site.yml');
    expect(r.stderr).toBe(`ERROR! unknown module 'lininfile' (did you mean \`lineinfile\`?)\n\n${details(site, 5, 7, '    - name: set a line\n      lininfile: path=/tmp/x line=y\n      ^ here\n')}`);
    writeFileSync(join(dir, 'site.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: set a line\n      lineinfile: path=/tmp/x line=y\n      whn: true\n');
    const k = await tsrun(['-i', 'localhost,', 'site.yml'], { cwd: dir });
    expect(k.stderr).toBe(`ERROR! 'whn' is not a valid attribute for a Task (did you mean \`when\`?)\n\n${details(site, 6, 7, '      lineinfile: path=/tmp/x line=y\n      whn: true\n      ^ here\n')}`);
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
    expect(r.stderr).toBe(`ERROR! invalid host range [1:x] in 'web[1:x]'\n\n${details(join(dir, 'hosts.ini'), 2, 3, '[web]\n  web[1:x] ansible_user=a\n  ^ here\n')}`);
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

  it("Ansible's block: a line past the end shows the last line, blank lines move up, the first line has an empty line before it", () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-ex-'));
    const f = join(dir, 'f.yml');
    writeFileSync(f, 'a: 1\nb: [1,\n\n   \n');
    expect(errorDetails({ file: 'f.yml', line: 5, column: 1 }, dir)).toBe(details(f, 5, 1, 'a: 1\nb: [1,\n^ here\n'));
    expect(errorDetails({ file: 'f.yml', line: 3, column: 4 }, dir)).toBe(details(f, 3, 4, 'a: 1\nb: [1,\n   ^ here\n'));
    expect(errorDetails({ file: 'f.yml', line: 1, column: 1 }, dir)).toBe(details(f, 1, 1, '\na: 1\n^ here\n'));
    writeFileSync(join(dir, 'empty.yml'), '');
    expect(errorDetails({ file: 'empty.yml', line: 1, column: 1 }, dir)).toMatch(/syntax problem\.\n\n\(specified line no longer in file, maybe it changed\?\)$/);
    expect(errorDetails({ file: 'nope.yml', line: 1, column: 1 }, dir)).toMatch(/syntax problem\.\n\n\(could not open file to display line\)$/);
  });

  it('keeps messages without a line and column as they are, and reads the position from the message when the error has none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-ex-'));
    writeFileSync(join(dir, 'f.yml'), 'a: 1\n');
    expect(operatorErrorText({ message: 'the playbook: x could not be found' }, dir)).toBe('the playbook: x could not be found');
    expect(operatorErrorText({ message: 'f.yml: Empty playbook', pos: { file: 'f.yml' } }, dir)).toBe('f.yml: Empty playbook');
    expect(operatorErrorText({ message: 'hosts:2: bad line' }, dir)).toBe('hosts:2: bad line');
    expect(operatorErrorText({ message: 'f.yml:1:2: bad key' }, dir)).toBe(`bad key\n\n${details(join(dir, 'f.yml'), 1, 2, '\na: 1\n ^ here\n')}`);
    expect(operatorErrorText({ message: 'f.yml:1:1: bad', pos: { file: 'f.yml', line: 1, column: 1 } }, dir)).toBe(`bad\n\n${details(join(dir, 'f.yml'), 1, 1, '\na: 1\n^ here\n')}`);
  });

  it('reads a position from a message that carries one', () => {
    expect(positionInMessage('site.yml:3:5: bad')).toEqual({ file: 'site.yml', line: 3, column: 5 });
    expect(positionInMessage('/x/hosts.ini:2: bad')).toEqual({ file: '/x/hosts.ini', line: 2, column: undefined });
    expect(positionInMessage('the playbook: x could not be found')).toBeUndefined();
  });
});
