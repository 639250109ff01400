/**
 * Warnings as Ansible's Display lays them out (textwrap at the display width) and Ansible's
 * is_template, which decides when a condition holding {{ }} warns; the oracle is ansible-core's
 * own Python (the assert target of Ansible's integration tests diffs this output).
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayColumns, warningText } from '../../src/output/display.js';
import { isTemplate } from '../../src/template/is-template.js';
import { ansibleAvailable, ansiblePlaybook, run, tsrun } from '../support/runners.js';
import { parseJson, summary } from './json-summary.js';

/** The Python ansible-core runs with. */
const PYTHON = '/usr/bin/python3';

const WARNINGS = [
  'short',
  'conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: "{{ foo }}" == "bar"',
  "provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'",
  'While constructing a mapping from /tmp/tsrun-bad-input-xyz/yaml-duplicate-key.yml, line 4, column 7, found a duplicate dict key (debug). Using last defined value only.',
  'a well-known hyphen-separated long-winded multi-part sentence with-hyphens-in-many-places, and a-b and ab-c and ab--cd, to wrap',
  `a very long word ${'x'.repeat(120)} then more`,
  `path /${'abcdefgh/'.repeat(12)}file-name.yml`,
  'line one\nline two\twith a tab\tand more text after the tab so that it wraps around the line',
  'Skipped \'/x\' path due to this access issue: \'/x\' is not a directory\n',
  '',
];

const TEMPLATES = [
  'a == 1',
  '"{{ foo }}" == "bar"',
  '{{ a }} {{',
  'x == "{{"',
  '{# c #} true',
  '{# not closed',
  '{% if true %}True{% endif %}',
  '{% raw %}{{ x }}{% endraw %}',
  '{% raw %} never closed',
  '{%- if x -%}',
  '{{ {"a": "}}"} }}',
  '{{ x }',
  'a { b } c',
  '{{ 1 + }}',
  'foo == "{{ foo }}"',
];

describe.runIf(ansibleAvailable() && existsSync(PYTHON))("warnings and is_template as ansible-core's Python computes them", () => {
  it('wraps each warning like Display.warning, at 79 columns and at a wide terminal', async () => {
    const script = [
      'import json, sys, textwrap',
      'out = []',
      'for cols in (79, 119):',
      '    out.append(["\\n".join(textwrap.wrap("[WARNING]: %s" % m, cols)) + "\\n" for m in json.load(open(sys.argv[1]))])',
      'print(json.dumps(out))',
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-wrap-'));
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(WARNINGS));
    const res = await run(PYTHON, ['-c', script, join(dir, 'cases.json')]);
    expect(res.code, res.stderr).toBe(0);
    const [at79, at119] = JSON.parse(res.stdout) as string[][];
    expect(WARNINGS.map((w) => warningText(w, displayColumns()))).toEqual(at79);
    expect(WARNINGS.map((w) => warningText(w, displayColumns(120)))).toEqual(at119);
  });

  it('decides what is a template as is_template does', async () => {
    const script = [
      'import json, sys',
      'from ansible.template import Templar',
      'from ansible.parsing.dataloader import DataLoader',
      't = Templar(loader=DataLoader())',
      'print(json.dumps([t.is_template(s) for s in json.load(sys.stdin)]))',
    ].join('\n');
    const res = await run(PYTHON, ['-c', script], { input: JSON.stringify(TEMPLATES) });
    expect(res.code, res.stderr).toBe(0);
    const expected = JSON.parse(res.stdout) as boolean[];
    expect(expected.filter(Boolean).length).toBeGreaterThan(3);
    expect(TEMPLATES.map((s) => [s, isTemplate(s)])).toEqual(TEMPLATES.map((s, i) => [s, expected[i]]));
  });
});

describe.runIf(ansibleAvailable())('the warning for {{ }} in a condition, as ansible-playbook prints it', () => {
  it('for when, changed_when, failed_when, until, include when and assert items; once per task and host, again for the next task', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-cond-warn-'));
    writeFileSync(join(dir, 'hosts'), 'a ansible_connection=local\nb ansible_connection=local\n');
    writeFileSync(join(dir, 'inc.yml'), '- debug: msg=included\n');
    writeFileSync(
      join(dir, 'play.yml'),
      [
        '- hosts: all',
        '  gather_facts: false',
        '  vars: {foo: x}',
        '  tasks:',
        '    - name: a list of that items warns for each templated one; a string is templated first',
        '      assert:',
        '        that: [\'1 == 1\', \'"{{ foo }}" == "x"\', \'{{ foo == "x" }}\']',
        '    - assert: {that: \'"{{ foo }}" == "x"\'}',
        '    - name: the same text in the next task warns again, a loop warns once',
        '      debug: msg=a',
        '      when: \'"{{ foo }}" == "x"\'',
        '      loop: [1, 2]',
        '    - command: "true"',
        '      changed_when: \'"{{ foo }}" == "y"\'',
        '      failed_when: \'{# note #} false\'',
        '    - command: "true"',
        '      register: r',
        '      until: \'r.rc == {{ 0 }}\'',
        '    - name: not a template for Ansible (no end tag), so no warning',
        '      debug: msg=b',
        '      when: \'foo != "{{"\'',
        '      ignore_errors: true',
        '    - name: the play evaluates a meta task\'s condition (once per run)',
        '      meta: noop',
        '      when: \'"{{ foo }}" == "x"\'',
      ].join('\n'),
    );
    // An include's condition in a play of its own: in the play above, after the command tasks,
    // ansible-playbook 2.14 loses that warning (its worker's display message never arrives).
    writeFileSync(join(dir, 'include.yml'), "- hosts: all\n  gather_facts: false\n  tasks:\n    - include_tasks: inc.yml\n      when: '{% if true %}True{% endif %}'\n");
    const warnings = (text: string) => text.split('\n').filter((l) => l.startsWith('[WARNING]') || /^delimiters such as/.test(l));
    // The include's condition is its own: a set_fact in the file that makes it false skips nothing there.
    writeFileSync(join(dir, 'inc2.yml'), '- set_fact: {go: false}\n- debug: msg=second\n');
    writeFileSync(join(dir, 'inherit.yml'), '- hosts: a\n  gather_facts: false\n  vars: {go: true}\n  tasks:\n    - include_tasks: inc2.yml\n      when: go\n');
    const [ours, theirs] = await Promise.all([tsrun(['-i', 'hosts', 'inherit.yml', '--json'], { cwd: dir }), ansiblePlaybook(['-i', 'hosts', 'inherit.yml'], { cwd: dir })]);
    expect(summary(parseJson(ours.stdout, ours.stderr))).toEqual(summary(parseJson(theirs.stdout, theirs.stderr)));
    for (const [book, least] of [['play.yml', 10], ['include.yml', 2]] as const) {
      const args = ['-i', 'hosts', book, '-f', '1'];
      const [ours, theirs] = await Promise.all([tsrun(args, { cwd: dir }), ansiblePlaybook(args, { cwd: dir, json: false })]);
      expect(warnings(theirs.stderr).length).toBeGreaterThanOrEqual(least);
      // Ansible prints from its worker processes as they finish, so the order between hosts may vary.
      expect(warnings(ours.stderr).sort()).toEqual(warnings(theirs.stderr).sort());
      expect(ours.code).toBe(theirs.code);
    }
  }, 180_000);
});
