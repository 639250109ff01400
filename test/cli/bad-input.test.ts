/**
 * Bad input: a clear message naming file, line and what is wrong; the exit status
 * ansible-playbook uses; never a stack trace, a hang or a half-written file.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleAvailable, ansiblePlaybook, run, TSRUN, tsrun } from '../support/runners.js';
import { BAD, expectNoStackTrace, TIME_LIMIT_MS } from './support.js';

interface Case {
  name: string;
  args: string[];
  code: number;
  /** Where the message is: `ERROR!` on stderr before/instead of the run, or a task's `fatal:` result. */
  kind: 'error' | 'fatal';
  message: RegExp;
  /** ansible-playbook's exit status for the same input, when it differs from tsrun's (see why). */
  ansible?: { code: number; why: string } | 'no-oracle';
}

const G = ['-i', 'good.ini'];

const cases: Case[] = [
  // Inventories: ansible-playbook only warns and runs against no hosts (exit 0); tsrun refuses to
  // run with a half-read inventory, which is the brief's rule for bad input.
  { name: 'malformed inventory line', args: ['-i', 'bad-line.ini', '../ok.yml'], code: 4, kind: 'error', message: /bad-line\.ini:3:1: expected key=value host variable assignment, got 'foo'/, ansible: { code: 0, why: 'ansible warns and runs with an empty inventory' } },
  { name: 'unclosed quote in inventory', args: ['-i', 'unclosed.ini', '../ok.yml'], code: 4, kind: 'error', message: /unclosed\.ini:2:1: cannot parse host line .*No closing quotation/, ansible: { code: 0, why: 'ansible warns and runs with an empty inventory' } },
  { name: 'unclosed section header', args: ['-i', 'bad-section.ini', '../ok.yml'], code: 4, kind: 'error', message: /bad-section\.ini:1:1: .*'\[web'/, ansible: { code: 0, why: 'ansible warns and runs with an empty inventory' } },
  { name: 'YAML syntax error in group_vars', args: ['-i', 'gv/hosts.ini', '../ok.yml'], code: 4, kind: 'error', message: /group_vars\/web\.yml:1:4: YAML syntax error/ },
  { name: 'YAML syntax error in a playbook', args: [...G, 'yaml-syntax.yml'], code: 4, kind: 'error', message: /yaml-syntax\.yml:5:6: YAML syntax error: All sequence items must start at the same column/ },
  { name: 'YAML syntax error in a vars file', args: [...G, 'bad-vars-file.yml'], code: 4, kind: 'error', message: /bad-vars\.yml:1:4: YAML syntax error/ },
  { name: 'YAML syntax error in a role file', args: [...G, 'broken-role.yml'], code: 4, kind: 'error', message: /roles\/broken\/tasks\/main\.yml:3:10: YAML syntax error/ },
  { name: 'unknown module', args: [...G, 'unknown-module.yml'], code: 4, kind: 'error', message: /unknown-module\.yml:5:7: unknown module 'not_a_module'/ },
  { name: '--syntax-check reports the same error', args: [...G, 'unknown-module.yml', '--syntax-check'], code: 4, kind: 'error', message: /unknown-module\.yml:5:7: unknown module 'not_a_module'/ },
  { name: 'misspelled keyword', args: [...G, 'misspelled.yml'], code: 4, kind: 'error', message: /misspelled\.yml:6:7: 'whenn' is not a valid attribute for a Task/ },
  { name: 'wrong argument type', args: [...G, 'wrong-type.yml'], code: 4, kind: 'error', message: /wrong-type\.yml:6:9: pause: argument 'seconds' has wrong type \(expected number or string, got list\)/, ansible: { code: 2, why: 'ansible checks argument types when the task runs; tsrun validates before contacting any host' } },
  { name: 'missing role', args: [...G, 'missing-role.yml'], code: 4, kind: 'error', message: /missing-role\.yml:4:7: the role 'no_such_role' was not found in /, ansible: { code: 1, why: 'the playbook loader reports load errors as parse errors (4)' } },
  { name: 'missing import_tasks file', args: [...G, 'missing-import.yml'], code: 4, kind: 'error', message: /missing-import\.yml:4:7: could not find task file 'nowhere\.yml'/, ansible: { code: 1, why: 'the playbook loader reports load errors as parse errors (4)' } },
  { name: 'missing include_tasks file', args: [...G, 'missing-include.yml'], code: 2, kind: 'fatal', message: /Could not find or access 'nowhere\.yml'.*task 'include_tasks' at 'missing-include\.yml:4:7'/ },
  { name: 'missing template', args: [...G, 'missing-template.yml'], code: 2, kind: 'fatal', message: /Could not find or access 'nowhere\.ejs'/ },
  { name: 'EJS template that throws', args: [...G, 'template-throws.yml'], code: 2, kind: 'fatal', message: /throws\.ejs:2: boom/, ansible: 'no-oracle' },
  { name: 'EJS template with an undefined variable', args: [...G, 'template-undef.yml'], code: 2, kind: 'fatal', message: /undef\.ejs:2: 'no_such_var' is undefined/, ansible: 'no-oracle' },
  { name: 'undefined variable in a task', args: [...G, 'undefined-var.yml'], code: 2, kind: 'fatal', message: /'nope_var' is undefined.*task 'use undefined' at 'undefined-var\.yml:4:7'/ },
  { name: 'recursive variable', args: [...G, 'recursive.yml'], code: 2, kind: 'fatal', message: /recursive loop detected in variable 'a' \(a -> b -> a\).*recursive\.yml:7:7/ },
  { name: 'vars_files entry that does not exist', args: [...G, 'missing-vars-file.yml'], code: 1, kind: 'error', message: /missing-vars-file\.yml:1:3: vars file nowhere-vars\.yml was not found/ },
  { name: 'playbook that is not a list', args: [...G, 'not-a-list.yml'], code: 4, kind: 'error', message: /not-a-list\.yml:1:1: a playbook must be a list of plays, got mapping/ },
  { name: 'empty playbook', args: [...G, 'empty.yml'], code: 4, kind: 'error', message: /empty\.yml: Empty playbook, nothing to do/ },
  { name: 'unknown filter', args: [...G, 'unknown-filter.yml'], code: 2, kind: 'fatal', message: /no filter named 'no_such_filter'.*task 'bad filter' at 'unknown-filter\.yml:4:7'/ },
  { name: 'expression syntax error', args: [...G, 'expression-syntax.yml'], code: 2, kind: 'fatal', message: /syntax error.*"\{\{ 1 \+ \}\}".*task 'bad expression' at 'expression-syntax\.yml:4:7'/ },
  { name: 'missing import_playbook file', args: [...G, 'missing-import-playbook.yml'], code: 4, kind: 'error', message: /missing-import-playbook\.yml:1:\d+: cannot read file .*nowhere-book\.yml: ENOENT/, ansible: { code: 1, why: 'the playbook loader reports load errors as parse errors (4)' } },
  { name: 'inventory file that does not exist', args: ['-i', 'nosuch.ini', '../ok.yml'], code: 4, kind: 'error', message: /inventory source '.*nosuch\.ini' does not exist/, ansible: { code: 0, why: 'ansible warns and runs with an empty inventory' } },
  { name: 'playbook that is a directory', args: [...G, 'templates'], code: 1, kind: 'error', message: /the playbook: templates does not appear to be a file/ },
  { name: '-l @file that does not exist', args: [...G, '../ok.yml', '-l', '@nolimit.txt'], code: 1, kind: 'error', message: /unable to find limit file .*nolimit\.txt/ },
  { name: '-e @file with a YAML error', args: [...G, '../ok.yml', '-e', '@bad-extra.yml'], code: 4, kind: 'error', message: /bad-extra\.yml:2:1: YAML syntax error/ },
  { name: '-e @file that does not exist', args: [...G, '../ok.yml', '-e', '@nofile.yml'], code: 1, kind: 'error', message: /-e @nofile\.yml: could not find or read the extra vars file '.*nofile\.yml'/ },
  { name: '-e with broken JSON', args: [...G, '../ok.yml', '-e', '{"a": '], code: 4, kind: 'error', message: /<-e>:1:\d+: YAML syntax error/ },
];

function check(out: Awaited<ReturnType<typeof tsrun>>, c: Case): void {
  expectNoStackTrace(out);
  expect(out.code, out.stdout + out.stderr).toBe(c.code);
  if (c.kind === 'error') {
    const line = out.stderr.split('\n').find((l) => l.startsWith('ERROR! '));
    expect(line, out.stderr).toBeDefined();
    expect(line).toMatch(c.message);
    // Nothing ran: a load error stops tsrun before any task.
    expect(out.stdout).not.toContain('TASK [');
  } else {
    const line = out.stdout.split('\n').find((l) => l.startsWith('fatal: [h1]: FAILED! => '));
    expect(line, out.stdout).toBeDefined();
    const result = JSON.parse(line!.slice('fatal: [h1]: FAILED! => '.length)) as { msg: string };
    expect(result.msg).toMatch(c.message);
    expect(out.stdout).toContain('PLAY RECAP');
  }
}

describe.concurrent('bad input gives a clear error, the right exit status, no stack and no hang', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const out = await tsrun(c.args, { cwd: BAD, timeoutMs: TIME_LIMIT_MS });
    check(out, c);
  });
});

describe.runIf(ansibleAvailable()).concurrent('ansible-playbook exits the same way on the same bad input', () => {
  const oracle = cases.filter((c) => c.ansible !== 'no-oracle');
  it.each(oracle.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const theirs = await ansiblePlaybook(c.args, { cwd: BAD, json: false });
    const expected = typeof c.ansible === 'object' ? c.ansible.code : c.code;
    expect(theirs.code, theirs.stdout + theirs.stderr).toBe(expected);
  });
});

describe('a template write that fails leaves no half-written file', () => {
  function project(): { dir: string; dest: string } {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-cli-write-'));
    const dest = join(dir, 'out', 'dest.txt');
    mkdirSync(join(dir, 'out'));
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dest), 'old content\n');
    writeFileSync(join(dir, 'templates', 'big.ejs'), `${'x'.repeat(199)}\n`.repeat(1000));
    writeFileSync(join(dir, 'templates', 'throws.ejs'), 'first line\n<% throw new Error("half way") %>\nlast line\n');
    writeFileSync(join(dir, 'hosts.ini'), '[local]\nh1 ansible_connection=local\n');
    const play = (src: string) => `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: render\n      template: src=${src} dest=${dest}\n`;
    writeFileSync(join(dir, 'big.yml'), play('big.ejs'));
    writeFileSync(join(dir, 'throws.yml'), play('throws.ejs'));
    return { dir, dest };
  }

  it('the write itself fails half way (file size limit): the old file stays, no temporary file is left', async () => {
    const { dir, dest } = project();
    // ulimit -f 50 lets tsrun start but kills the writer after 50 blocks of the 200 kB file.
    const out = await run('bash', ['-c', `ulimit -f 50; exec "${process.execPath}" "${TSRUN}" -i hosts.ini big.yml`], { cwd: dir, timeoutMs: TIME_LIMIT_MS });
    expectNoStackTrace(out);
    expect(out.code, out.stdout + out.stderr).toBe(2);
    expect(out.stdout).toMatch(/^fatal: \[h1\]: FAILED! => .*failed to write/m);
    expect(readFileSync(dest, 'utf8')).toBe('old content\n');
    expect(readdirSync(join(dir, 'out'))).toEqual(['dest.txt']);
  });

  it('the template throws half way: nothing is written', async () => {
    const { dir, dest } = project();
    const out = await tsrun(['-i', 'hosts.ini', 'throws.yml'], { cwd: dir, timeoutMs: TIME_LIMIT_MS });
    expectNoStackTrace(out);
    expect(out.code).toBe(2);
    expect(out.stdout).toMatch(/throws\.ejs:2: half way/);
    expect(readFileSync(dest, 'utf8')).toBe('old content\n');
    expect(readdirSync(join(dir, 'out'))).toEqual(['dest.txt']);
  });
});

// Keeps the fixture list honest: every bad fixture playbook is used by a case above.
it('every playbook under test/fixtures/cli/bad has a case', () => {
  const used = new Set(cases.flatMap((c) => c.args));
  const files = readdirSync(BAD).filter((f) => f.endsWith('.yml') && !['bad-vars.yml', 'bad-extra.yml'].includes(f));
  expect(files.filter((f) => !used.has(f))).toEqual([]);
});
