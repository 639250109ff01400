/**
 * The bad-input corpus (issue 10): every file under test/fixtures/bad is run through tsrun and
 * through ansible-playbook. tsrun must exit as ansible-playbook does (or the case says why not),
 * print one message naming file:line:column where there is one, never a stack trace, a JS
 * "TypeError"/"undefined"/"[object Object]", never hang, and never change the host (the local
 * host's files live in test/fixtures/bad/host and are compared before and after).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ansibleAvailable, ansiblePlaybook, tsrun, type RunOutput } from '../support/runners.js';
import { BAD, compactError, expectNoStackTrace, expectShownLine, printedError, printedWarnings } from './support.js';

/** A run still going after this is a hang: it is killed and the case fails. The machine is shared, so generous. */
const HANG_MS = 120_000;

interface Case {
  name: string;
  args: string[];
  code: number;
  /**
   * Where the message is: `error` an `ERROR!` line on stderr before any task, `fatal` a task's
   * `fatal:` result, `warning` a `[WARNING]` and the run goes on (Ansible accepts the input).
   */
  kind: 'error' | 'fatal' | 'warning' | 'ok';
  message?: RegExp;
  /** ansible-playbook's exit status when it differs from tsrun's, and why; or why there is no oracle. */
  ansible?: { code: number; why: string } | { skip: string };
  /** Why the message names a line but cannot show it (the excerpt is left out for binary files). */
  noExcerpt?: string;
  /** The error stops the run while it runs (tasks were shown before it), as Ansible's does. */
  duringRun?: true;
}

const G = ['-i', 'good.ini'];
const LOADER_4 = 'tsrun reports every load error as a parse error (4); ansible exits 1 for some';
const INVENTORY_0 = 'ansible warns and runs with an empty inventory; tsrun refuses a half-read inventory';
const ANSIBLE_CRASH = 'ansible-playbook crashes (exit 250, "Unexpected Exception")';

const cases: Case[] = [
  // Malformed YAML
  { name: 'YAML: tab indentation', args: [...G, 'yaml-tabs.yml'], code: 4, kind: 'error', message: /^yaml-tabs\.yml:4:1: YAML syntax error: Tabs are not allowed as indentation/ },
  { name: 'YAML: bad indentation of a key', args: [...G, 'yaml-indent.yml'], code: 4, kind: 'error', message: /^yaml-indent\.yml:3:1: YAML syntax error/ },
  { name: 'YAML: bad indentation of a list item', args: [...G, 'yaml-syntax.yml'], code: 4, kind: 'error', message: /^yaml-syntax\.yml:5:6: YAML syntax error: All sequence items must start at the same column/ },
  { name: 'YAML: duplicate key (Ansible warns and keeps the last)', args: [...G, 'yaml-duplicate-key.yml'], code: 0, kind: 'warning', message: /While constructing a mapping from .*yaml-duplicate-key\.yml, line 4, column 7, found a duplicate dict key \(debug\)\. Using last defined value only\./ },
  { name: 'YAML: unterminated quote', args: [...G, 'yaml-unterminated-quote.yml'], code: 4, kind: 'error', message: /^yaml-unterminated-quote\.yml:8:1: YAML syntax error: Missing closing "quote/ },
  {
    name: 'YAML: unquoted {{',
    args: [...G, 'yaml-unquoted-jinja.yml'],
    code: 4,
    kind: 'error',
    message: /^yaml-unquoted-jinja\.yml:6:\d+: /,
  },
  { name: 'YAML: empty file', args: [...G, 'empty.yml'], code: 4, kind: 'error', message: /^empty\.yml: Empty playbook, nothing to do/ },
  { name: 'YAML: bare scalar', args: [...G, 'yaml-bare-scalar.yml'], code: 4, kind: 'error', message: /^yaml-bare-scalar\.yml:1:1: a playbook must be a list of plays, got string/ },
  { name: 'YAML: a mapping, not a list of plays', args: [...G, 'not-a-list.yml'], code: 4, kind: 'error', message: /^not-a-list\.yml:1:1: a playbook must be a list of plays, got mapping/ },
  { name: 'YAML: error in a vars file', args: [...G, 'bad-vars-file.yml'], code: 4, kind: 'error', message: /bad-vars\.yml:1:4: YAML syntax error/ },
  { name: 'YAML: error in a role file', args: [...G, 'broken-role.yml'], code: 4, kind: 'error', message: /roles\/broken\/tasks\/main\.yml:3:10: YAML syntax error/ },
  { name: 'YAML: error in group_vars', args: ['-i', 'gv/hosts.ini', 'ok.yml'], code: 4, kind: 'error', message: /group_vars\/web\.yml:1:4: YAML syntax error/ },
  // Wrong shapes
  { name: 'shape: play without hosts', args: [...G, 'shape-no-hosts.yml'], code: 4, kind: 'error', message: /^shape-no-hosts\.yml:1:3: the field 'hosts' is required but was not set/ },
  { name: 'shape: tasks is a mapping', args: [...G, 'shape-tasks-not-list.yml'], code: 4, kind: 'error', message: /^shape-tasks-not-list\.yml:4:5: 'tasks' must be a list of tasks, got mapping/ },
  { name: 'shape: a task that is a string', args: [...G, 'shape-task-scalar.yml'], code: 4, kind: 'error', message: /^shape-task-scalar\.yml:4:7: 'tasks\[0\]' must be a mapping/ },
  { name: 'shape: two modules in one task', args: [...G, 'shape-two-modules.yml'], code: 4, kind: 'error', message: /^shape-two-modules\.yml:6:7: a task needs exactly one action \(found debug and command\)/ },
  { name: 'shape: a task with no module', args: [...G, 'shape-no-module.yml'], code: 4, kind: 'error', message: /^shape-no-module\.yml:4:7: a task needs exactly one action \(found none\)/ },
  { name: 'shape: unknown module', args: [...G, 'unknown-module.yml'], code: 4, kind: 'error', message: /^unknown-module\.yml:5:7: unknown module 'not_a_module'/ },
  { name: 'shape: --syntax-check reports the same error', args: [...G, 'unknown-module.yml', '--syntax-check'], code: 4, kind: 'error', message: /^unknown-module\.yml:5:7: unknown module 'not_a_module'/ },
  { name: 'shape: unknown task keyword', args: [...G, 'misspelled.yml'], code: 4, kind: 'error', message: /^misspelled\.yml:6:7: 'whenn' is not a valid attribute for a Task/ },
  { name: 'shape: unknown play keyword', args: [...G, 'shape-unknown-play-keyword.yml'], code: 4, kind: 'error', message: /^shape-unknown-play-keyword\.yml:5:3: 'handelrs' is not a valid attribute for a Play/ },
  { name: 'shape: loop over a number', args: [...G, 'shape-loop-number.yml'], code: 2, kind: 'fatal', message: /Invalid data passed to 'loop', it requires a list, got this instead: 42\..*shape-loop-number\.yml:4:7/ },
  { name: 'shape: loop over a string', args: [...G, 'shape-loop-string.yml'], code: 2, kind: 'fatal', message: /Invalid data passed to 'loop', it requires a list.*shape-loop-string\.yml:4:7/ },
  // Ansible evaluates a mapping as a conditional without complaint (a non-empty mapping is true).
  { name: 'shape: when is a mapping (accepted by Ansible)', args: [...G, 'shape-when-dict.yml'], code: 0, kind: 'ok' },
  // Module arguments
  { name: 'args: missing required', args: [...G, 'args-missing-required.yml'], code: 2, kind: 'fatal', message: /lineinfile: one of the following is required: path, dest, destfile, name/ },
  { name: 'args: wrong type', args: [...G, 'wrong-type.yml'], code: 2, kind: 'fatal', message: /pause: argument 'seconds' is of type list and we were unable to convert to float or str/ },
  {
    name: 'args: not a boolean',
    args: [...G, 'args-bad-bool.yml'],
    code: 2,
    kind: 'fatal',
    message: /argument 'force' is of type str and we were unable to convert to bool/,
    ansible: { code: 0, why: "ansible's copy action reads force leniently (an unknown word is false) and leaves the file alone; tsrun refuses the value" },
  },
  { name: 'args: not one of the choices', args: [...G, 'args-bad-choice.yml'], code: 2, kind: 'fatal', message: /value of state must be one of: .*got: 'sideways'/ },
  { name: 'args: unknown argument', args: [...G, 'args-unknown.yml'], code: 2, kind: 'fatal', message: /Unsupported parameters for \(file\) module: colour/ },
  { name: 'args: mutually exclusive', args: [...G, 'args-mutually-exclusive.yml'], code: 2, kind: 'fatal', message: /mutually exclusive: content\|src/ },
  // Undefined variables
  { name: 'undefined: in an argument', args: [...G, 'missing-var-var.yml'], code: 2, kind: 'fatal', message: /'nope_var' is undefined.*task 'use a missing variable' at 'missing-var-var\.yml:4:7'/ },
  { name: 'undefined: in an argument of a module that writes', args: [...G, 'missing-var-copy.yml'], code: 2, kind: 'fatal', message: /'nope_var' is undefined.*missing-var-copy\.yml:4:7/ },
  { name: 'undefined: in when', args: [...G, 'missing-var-when.yml'], code: 2, kind: 'fatal', message: /The conditional check 'nope_var == 1' failed: 'nope_var' is undefined.*missing-var-when\.yml:4:7/ },
  // Ansible's strategy evaluates a meta task's condition itself: an error there ends the run
  { name: "undefined: in a meta task's when", args: [...G, 'meta-when-unset.yml'], code: 1, kind: 'error', duringRun: true, message: /^meta-when-unset\.yml:4:7: The conditional check 'nope_var' failed: 'nope_var' is undefined/ },
  { name: 'undefined: attribute of a string', args: [...G, 'missing-var-attribute.yml'], code: 2, kind: 'fatal', message: /'str object' has no attribute 'nope'.*missing-var-attribute\.yml:4:7/ },
  { name: 'undefined: recursive variable', args: [...G, 'recursive.yml'], code: 2, kind: 'fatal', message: /recursive loop detected in variable 'a' \(a -> b -> a\).*recursive\.yml:7:7/ },
  // Jinja syntax errors
  { name: 'Jinja: operator without operand', args: [...G, 'expression-syntax.yml'], code: 2, kind: 'fatal', message: /syntax error.*"\{\{ 1 \+ \}\}".*task 'bad expression' at 'expression-syntax\.yml:4:7'/ },
  { name: 'Jinja: unclosed {% if %}', args: [...G, 'jinja-unclosed-block.yml'], code: 2, kind: 'fatal', message: /unexpected end of template, expected one of 'elif', 'else', 'endif'.*jinja-unclosed-block\.yml:4:7/ },
  { name: 'Jinja: unclosed {{', args: [...G, 'jinja-unclosed-var.yml'], code: 2, kind: 'fatal', message: /unexpected end of template, expected '\}\}'.*jinja-unclosed-var\.yml:4:7/ },
  { name: 'Jinja: syntax error in when', args: [...G, 'jinja-when-syntax.yml'], code: 2, kind: 'fatal', message: /The conditional check '1 \+' failed: syntax error.*jinja-when-syntax\.yml:4:7/ },
  { name: 'Jinja: unknown filter', args: [...G, 'unknown-filter.yml'], code: 2, kind: 'fatal', message: /no filter named 'no_such_filter'.*task 'bad filter' at 'unknown-filter\.yml:4:7'/ },
  // EJS: ansible-playbook renders .ejs files as Jinja, so it has nothing to say about these.
  { name: 'EJS: syntax error', args: [...G, 'ejs-syntax.yml'], code: 2, kind: 'fatal', message: /templates\/syntax\.ejs:2: EJS syntax error: the '\{' opened here is never closed/, ansible: { skip: 'EJS is tsrun only' } },
  { name: 'EJS: a template that throws', args: [...G, 'template-throws.yml'], code: 2, kind: 'fatal', message: /throws\.ejs:2: boom/, ansible: { skip: 'EJS is tsrun only' } },
  { name: 'EJS: undefined variable', args: [...G, 'template-undef.yml'], code: 2, kind: 'fatal', message: /undef\.ejs:2: 'no_such_var' is undefined/, ansible: { skip: 'EJS is tsrun only' } },
  { name: 'EJS: property of null', args: [...G, 'ejs-null-prop.yml'], code: 2, kind: 'fatal', message: /null-prop\.ejs:2: cannot read 'prop' of null: a value used on this line is null/, ansible: { skip: 'EJS is tsrun only' } },
  { name: 'EJS: loop over a number', args: [...G, 'ejs-not-iterable.yml'], code: 2, kind: 'fatal', message: /not-iterable\.ejs:2: 5 is not iterable/, ansible: { skip: 'EJS is tsrun only' } },
  { name: 'EJS: missing template', args: [...G, 'missing-template.yml'], code: 2, kind: 'fatal', message: /Could not find or access 'nowhere\.ejs'/ },
  // Roles and includes
  { name: 'roles: missing role', args: [...G, 'missing-role.yml'], code: 4, kind: 'error', message: /^missing-role\.yml:4:7: the role 'no_such_role' was not found in /, ansible: { code: 1, why: LOADER_4 } },
  // As in Ansible 2.14: the include itself reports ok, then the error is printed and the host
  // fails without a counted failure (exit 2); test/fixtures/parity/targets-aef-include-role.yml
  {
    name: 'roles: include_role of a missing role',
    args: [...G, 'include-missing-role.yml'],
    code: 2,
    kind: 'error',
    duringRun: true,
    message: /^include-missing-role\.yml:5:15: the role 'no_such_role' was not found in \//,
  },
  { name: 'roles: recursive dependency', args: [...G, 'role-recursive.yml'], code: 4, kind: 'error', message: /^roles\/ping_b\/meta\/main\.yml:2:5: role 'ping_a' depends on itself \(ping_a -> ping_b -> ping_a\)/, ansible: { code: 1, why: LOADER_4 } },
  { name: 'includes: missing import_tasks file', args: [...G, 'missing-import.yml'], code: 4, kind: 'error', message: /^missing-import\.yml:4:7: could not find task file 'nowhere\.yml'/, ansible: { code: 1, why: LOADER_4 } },
  { name: 'includes: missing include_tasks file', args: [...G, 'missing-include.yml'], code: 2, kind: 'fatal', message: /Could not find or access 'nowhere\.yml'.*task 'include_tasks' at 'missing-include\.yml:4:7'/ },
  { name: 'includes: missing import_playbook file', args: [...G, 'missing-import-playbook.yml'], code: 4, kind: 'error', message: /^missing-import-playbook\.yml:1:\d+: cannot read file .*nowhere-book\.yml: ENOENT/, ansible: { code: 1, why: LOADER_4 } },
  { name: 'includes: an imported task file that is not a list', args: [...G, 'import-scalar.yml'], code: 4, kind: 'error', message: /^scalar-tasks\.yml:1:1: included task files must contain a list of tasks, got string/ },
  { name: 'includes: import_tasks that imports itself', args: [...G, 'import-recursive.yml'], code: 4, kind: 'error', message: /^import-loop\.yml:1:3: task file import-loop\.yml imports itself/, ansible: { code: 250, why: ANSIBLE_CRASH } },
  {
    name: 'includes: include_tasks that includes itself',
    args: [...G, 'include-recursive.yml'],
    code: 1,
    kind: 'error',
    message: /Exceeded maximum include depth \(250\) at include_tasks 'recursive-tasks\.yml' \(recursive-tasks\.yml:1:3\)/,
    duringRun: true,
    ansible: { skip: 'ansible-playbook includes the file forever (no end within minutes)' },
  },
  { name: 'includes: a playbook that imports itself', args: [...G, 'playbook-self.yml'], code: 4, kind: 'error', message: /^playbook-self\.yml:1:\d+: playbook playbook-self\.yml imports itself/, ansible: { code: 250, why: ANSIBLE_CRASH } },
  { name: 'includes: missing vars_files entry', args: [...G, 'missing-vars-file.yml'], code: 1, kind: 'error', message: /^missing-vars-file\.yml:1:3: vars file nowhere-vars\.yml was not found/ },
  // Inventories
  { name: 'inventory: bad host range', args: ['-i', 'inv-bad-range.ini', 'ok.yml'], code: 4, kind: 'error', message: /inv-bad-range\.ini:2:1: invalid host range \[1:x\]/, ansible: { code: 0, why: INVENTORY_0 } },
  { name: 'inventory: empty host range', args: ['-i', 'inv-reverse-range.ini', 'ok.yml'], code: 4, kind: 'error', message: /inv-reverse-range\.ini:2:1: host range \[3:1\] in 'h\[3:1\]' yields no hosts/, ansible: { code: 0, why: 'ansible silently makes no hosts of it; tsrun refuses a range that yields none' } },
  { name: 'inventory: unterminated quote', args: ['-i', 'unclosed.ini', 'ok.yml'], code: 4, kind: 'error', message: /unclosed\.ini:2:1: cannot parse host line .*No closing quotation/, ansible: { code: 0, why: INVENTORY_0 } },
  { name: 'inventory: group cycle', args: ['-i', 'inv-group-cycle.ini', 'ok.yml'], code: 4, kind: 'error', message: /inv-group-cycle\.ini:4:1: adding group 'a' as child to 'b' creates a recursive dependency loop/, ansible: { code: 0, why: INVENTORY_0 } },
  { name: 'inventory: a host named like a group (Ansible warns)', args: ['-i', 'inv-host-is-group.ini', 'ok.yml'], code: 0, kind: 'warning', message: /^Found both group and host with same name: web$/ },
  { name: 'inventory: malformed line', args: ['-i', 'bad-line.ini', 'ok.yml'], code: 4, kind: 'error', message: /bad-line\.ini:3:1: expected key=value host variable assignment, got 'foo'/, ansible: { code: 0, why: INVENTORY_0 } },
  { name: 'inventory: unclosed section header', args: ['-i', 'bad-section.ini', 'ok.yml'], code: 4, kind: 'error', message: /bad-section\.ini:1:1: .*'\[web'/, ansible: { code: 0, why: INVENTORY_0 } },
  { name: 'inventory: YAML indentation', args: ['-i', 'inv-yaml-indent.yml', 'ok.yml'], code: 4, kind: 'error', message: /inv-yaml-indent\.yml:5:1: YAML syntax error/, ansible: { code: 0, why: INVENTORY_0 } },
  { name: 'inventory: file that does not exist (Ansible warns and goes on)', args: ['-i', 'nosuch.ini', '-i', 'inv-host-is-group.ini', 'ok.yml'], code: 0, kind: 'warning', message: /^Unable to parse .*nosuch\.ini as an inventory source/ },
  // Command line
  { name: '-e: broken JSON', args: [...G, 'ok.yml', '-e', '{"a": '], code: 4, kind: 'error', message: /^<-e>:1:\d+: YAML syntax error/ },
  { name: '-e: a list, not a mapping', args: [...G, 'ok.yml', '-e', '[1, 2]'], code: 4, kind: 'error', message: /extra vars must be a mapping: \[1, 2\]/, ansible: { code: 5, why: 'ansible-playbook prints its usage and exits 5; tsrun treats it as the parse error it is' } },
  { name: '-e: @file with a YAML error', args: [...G, 'ok.yml', '-e', '@bad-extra.yml'], code: 4, kind: 'error', message: /bad-extra\.yml:2:1: YAML syntax error/ },
  { name: '-e: @file that does not exist', args: [...G, 'ok.yml', '-e', '@nofile.yml'], code: 1, kind: 'error', message: /-e @nofile\.yml: could not find or read the extra vars file '.*nofile\.yml'/ },
  { name: '-e: @directory', args: [...G, 'ok.yml', '-e', '@templates'], code: 4, kind: 'error', message: /-e @templates: '.*templates' is a directory/ },
  { name: '-e: a word without = (ignored by Ansible)', args: [...G, 'ok.yml', '-e', 'justaword'], code: 0, kind: 'ok' },
  { name: '-l @file that does not exist', args: [...G, 'ok.yml', '-l', '@nolimit.txt'], code: 1, kind: 'error', message: /unable to find limit file .*nolimit\.txt/ },
  { name: 'playbook that does not exist', args: [...G, 'nosuch-playbook.yml'], code: 1, kind: 'error', message: /^the playbook: nosuch-playbook\.yml could not be found/ },
  { name: 'playbook that is a directory', args: [...G, 'templates'], code: 1, kind: 'error', message: /^the playbook: templates does not appear to be a file/ },
  { name: 'playbook that is a binary file', args: [...G, 'binary.yml'], code: 4, kind: 'error', message: /^binary\.yml:1:1: a playbook must be a list of plays, got string/, noExcerpt: 'a line with NUL bytes is not printed', ansible: { code: 250, why: ANSIBLE_CRASH } },
];

/** Ansible's own wording for undefined variables is fine; any other "undefined" is JavaScript leaking. */
const ANSIBLE_UNDEFINED = /'[\w.]+' is undefined|undefined variable/g;

function expectClean(out: RunOutput): void {
  expectNoStackTrace(out);
  const text = (out.stdout + out.stderr).replace(ANSIBLE_UNDEFINED, '');
  expect(text).not.toMatch(/TypeError|ReferenceError|\[object Object\]|\bundefined\b|\bNaN\b/);
}

function check(out: RunOutput, c: Case): void {
  expect(out.code, out.stdout + out.stderr).not.toBe(137); // killed: a hang
  expectClean(out);
  expect(out.code, out.stdout + out.stderr).toBe(c.code);
  const errors = out.stderr.split('\n').filter((l) => l.startsWith('ERROR! '));
  if (c.kind === 'error') {
    expect(errors, out.stderr).toHaveLength(1);
    // Matched in tsrun's compact form, `file:line:column: message`, read back from Ansible's
    // "The error appears to be in '<file>': line N, column M" that follows the message.
    const printed = printedError(out.stderr)!;
    expect(compactError(printed, BAD)).toMatch(c.message!);
    // A message with a line and column shows that line (and the one before) with a caret under the column.
    if (printed.file !== undefined && !c.noExcerpt) expectShownLine(printed);
    if (!c.duringRun) expect(out.stdout).not.toContain('TASK [');
    return;
  }
  expect(errors, out.stderr).toEqual([]);
  if (c.kind === 'fatal') {
    const fatal = out.stdout.split('\n').filter((l) => l.startsWith('fatal: [h1]: FAILED! => '));
    expect(fatal, out.stdout).toHaveLength(1);
    const result = JSON.parse(fatal[0].slice('fatal: [h1]: FAILED! => '.length)) as { msg: string; changed?: boolean };
    expect(result.msg).toMatch(c.message!);
    expect(result.changed ?? false).toBe(false);
    expect(out.stdout).toMatch(/^h1 +: ok=\d+ +changed=0 +unreachable=0 +failed=1 /m);
  } else if (c.kind === 'warning') {
    const warnings = printedWarnings(out.stderr);
    expect(warnings.some((w) => c.message!.test(w)), out.stderr).toBe(true);
  }
  if (c.kind !== 'fatal' && out.stdout.includes('PLAY RECAP')) expect(out.stdout).toMatch(/changed=0 +unreachable=0 +failed=0 /);
}

/** Runs jobs two at a time: the machine has two cores and other suites share them. */
async function pool<T, R>(items: T[], job: (item: T) => Promise<R>, width = 2): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await job(items[i]);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

/** Every file under `dir` with a hash of its content, to show nothing on the "host" changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const before = snapshot(BAD);
const ours = new Map<string, RunOutput>();
const theirs = new Map<string, RunOutput>();
// TSRUN_SKIP_ORACLE=1 (local runs only, never CI) leaves out the slow ansible-playbook half.
const withOracle = !process.env.TSRUN_SKIP_ORACLE && ansibleAvailable();
const oracleCases = cases.filter((c) => !(c.ansible && 'skip' in c.ansible));

beforeAll(async () => {
  const results = await pool(cases, (c) => tsrun(c.args, { cwd: BAD, timeoutMs: HANG_MS }));
  cases.forEach((c, i) => ours.set(c.name, results[i]));
  if (!withOracle) return;
  const oracle = await pool(oracleCases, (c) => ansiblePlaybook(c.args, { cwd: BAD, json: false }));
  oracleCases.forEach((c, i) => theirs.set(c.name, oracle[i]));
}, 1_800_000);

describe('tsrun on the bad-input corpus: the right exit status, one clear message, no stack, no hang', () => {
  for (const c of cases) {
    it(c.name, () => check(ours.get(c.name)!, c));
  }
});

describe.runIf(withOracle)('ansible-playbook exits the same way on the same input (or the case says why not)', () => {
  for (const c of oracleCases) {
    it(c.name, () => {
      const out = theirs.get(c.name)!;
      const expected = c.ansible && 'code' in c.ansible ? c.ansible.code : c.code;
      expect(out.code, out.stdout + out.stderr).toBe(expected);
    });
  }
});

describe('the corpus itself', () => {
  it('has at least 60 files, and every top-level file is used by a case', () => {
    expect(Object.keys(before).length).toBeGreaterThanOrEqual(60);
    const used = new Set(cases.flatMap((c) => c.args).concat(['@bad-extra.yml', 'bad-vars.yml', 'recursive-tasks.yml', 'scalar-tasks.yml', 'import-loop.yml', 'good.ini']).map((a) => a.replace(/^@/, '')));
    const top = readdirSync(BAD).filter((f) => statSync(join(BAD, f)).isFile());
    expect(top.filter((f) => !used.has(f))).toEqual([]);
  });
});

afterAll(() => {
  // No case may change a file: the local host's files live in host/, the rest is the project.
  expect(snapshot(BAD)).toEqual(before);
});

describe('a 10 MB playbook generated at test time', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsrun-bad-big-'));
    const task = (i: number) => `    - name: task number ${i}\n      debug:\n        msg: "item ${i} {{ inventory_hostname }}"\n      tags: [t${i % 50}]\n`;
    const parts = ['- hosts: all\n  gather_facts: false\n  tasks:\n'];
    let size = parts[0].length;
    for (let i = 0; size < 10 * 1024 * 1024; i++) {
      parts.push(task(i));
      size += parts.at(-1)!.length;
    }
    writeFileSync(join(dir, 'big.yml'), parts.join(''));
    writeFileSync(join(dir, 'hosts.ini'), '[local]\nh1 ansible_connection=local\n');
  });

  // A hang (a load that does not end) is what this catches; how long it takes is measured in
  // docs/RELIABILITY.md, not asserted.
  it('loads and passes --syntax-check', async () => {
    const out = await tsrun(['-i', 'hosts.ini', 'big.yml', '--syntax-check'], { cwd: dir, timeoutMs: HANG_MS });
    expectClean(out);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('playbook: big.yml');
  }, HANG_MS + 10_000);
});
