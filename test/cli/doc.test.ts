import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { flowYaml, formatModuleDoc, listModules, moduleOptions, synthesisedExample } from '../../src/cli/doc/module-doc.js';
import { MODULE_SUMMARIES } from '../../src/cli/doc/summaries.js';
import { moduleRegistry } from '../../src/modules/index.js';
import { compileSchema } from '../../src/playbook/ajv.js';
import { closestName } from '../../src/util/suggest.js';
import { describeIf, programMissing } from '../support/needs.js';
import { run, tsrun } from '../support/runners.js';
import { expectNoStackTrace } from './support.js';

const registry = moduleRegistry();
const modules = listModules(registry);

describe('tsrun doc', () => {
  it('-l lists every module the engine knows, with its summary', async () => {
    const r = await tsrun(['doc', '-l']);
    expect(r.code).toBe(0);
    const names = r.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]);
    expect(names).toEqual(modules.map((m) => m.name));
    expect(r.stdout).toMatch(/^lineinfile +Manage lines in text files$/m);
    // Summaries name only modules that exist, and every module has one.
    expect(Object.keys(MODULE_SUMMARIES).sort()).toEqual(modules.map((m) => m.name));
  });

  it('prints arguments with types, choices and mandatory marks read from the schema', async () => {
    const r = await tsrun(['doc', 'lineinfile']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^> LINEINFILE/);
    expect(r.stdout).toMatch(/^= path\n {8}or one of: dest, destfile, name\n {8}type: str$/m);
    expect(r.stdout).toMatch(/^- insertbefore\n {8}type: str$/m);
    // A task from the repository's roles when one uses the module, else one built from the schema.
    expect(r.stdout).toMatch(/^EXAMPLES:\n\n(# from [\w/.-]+:\d+\n)?- name: .*\n {2}lineinfile:\n/m);
    expect(synthesisedExample(registry.get('lineinfile')!)).toBe('- name: Example of lineinfile\n  lineinfile:\n    path: /path/to/file');
    const cmd = await tsrun(['doc', 'ansible.builtin.command']);
    expect(cmd.stdout).toContain('FREE FORM');
    expect(cmd.stdout).not.toMatch(/_raw_params/);
  });

  it('shows the defaults the schemas declare, in ansible-doc\'s notation', async () => {
    const r = await tsrun(['doc', 'lineinfile', 'template', 'include_vars']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^- state\n {8}choices: \[present, absent\]\n {8}default: present\n {8}type: str$/m);
    expect(r.stdout).toMatch(/^- backrefs\n {8}default: false\n {8}type: bool$/m);
    expect(r.stdout).toMatch(/^- block_start_string\n {8}default: '\{%'\n {8}type: str$/m);
    expect(r.stdout).toMatch(/^- newline_sequence\n {8}default: \\n\n {8}type: str$/m);
    expect(r.stdout).toMatch(/^- extensions\n {8}default: \[yaml, yml, json\]\n {8}elements: str\n {8}type: list$/m);
    // Every default a schema declares is on its page.
    for (const def of modules) {
      const page = formatModuleDoc(def);
      for (const o of moduleOptions(def).filter((x) => x.default !== undefined)) {
        expect(page, `${def.name}.${o.name}`).toContain(`- ${o.name}\n${o.description ? `        ${o.description}\n` : ''}${o.alternatives.length ? `        instead of: ${o.alternatives.join(', ')}\n` : ''}${o.choices ? `        choices: ${flowYaml(o.choices)}\n` : ''}        default: ${flowYaml(o.default)}\n`);
      }
    }
  });

  it.each([
    ['present', 'present'],
    ['{%', "'{%'"],
    ['# {mark} ANSIBLE MANAGED BLOCK', "'# {mark} ANSIBLE MANAGED BLOCK'"],
    ['', "''"],
    ['yes', "'yes'"],
    ['10', "'10'"],
    ['%Y%m%d%H%M.%S', "'%Y%m%d%H%M.%S'"],
    ['127.0.0.1', '127.0.0.1'],
    ['Hello world!', 'Hello world!'],
    ['\r\n', '\\r\\n'],
    [[200], '[200]'],
    [false, 'false'],
    [{ a: [1, 'b'] }, '{a: [1, b]}'],
  ])('flowYaml(%j) = %s', (v, want) => {
    expect(flowYaml(v)).toBe(want);
  });

  it('shows a real task from the repository when one uses the module', async () => {
    const r = await tsrun(['doc', 'template']);
    expect(r.stdout).toMatch(/^# from roles\/[\w-]+\/(tasks|handlers)\/[\w.-]+\.yml:\d+$/m);
    const example = r.stdout.slice(r.stdout.indexOf('# from'));
    const task = (parse(example) as Record<string, unknown>[])[0];
    expect(task).toHaveProperty('template');
  });

  it('every page renders, and every synthesised example passes the module schema', () => {
    for (const def of modules) {
      const page = formatModuleDoc(def);
      expect(page, def.name).not.toMatch(/undefined|\[object Object\]|NaN/);
      for (const o of moduleOptions(def)) expect(page).toContain(`${o.required ? '=' : '-'} ${o.name}\n`);
      const task = (parse(synthesisedExample(def)) as Record<string, unknown>[])[0];
      let args = task[def.name];
      if (typeof args === 'string') args = { _raw_params: args };
      const validate = compileSchema(def.argsSchema);
      expect(validate(args), `${def.name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('an unknown module gets the closest name', async () => {
    const r = await tsrun(['doc', 'lininfile']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ERROR! module lininfile not found');
    expect(r.stderr).toContain('did you mean `lineinfile`?');
    expectNoStackTrace(r);
  });
});

describe('closest-name hints', () => {
  it.each([
    ['lininfile', 'lineinfile'],
    ['comand', 'command'],
    ['tempalte', 'template'],
    ['servce', 'service'],
  ])('%s -> %s', (typo, want) => {
    expect(closestName(typo, registry.keys())).toBe(want);
  });

  it('gives no hint when nothing is close', () => {
    expect(closestName('kubernetes', registry.keys())).toBeUndefined();
    expect(closestName('cp', ['copy', 'cmd'])).toBeUndefined();
  });
});

/** Where tsrun's documented default is not ansible-doc's, and why. */
const DEFAULTS_NOT_ANSIBLES: Record<string, string> = {
  'template.comment_start_string': "Ansible documents none (Jinja's own); tsrun names it",
  'template.comment_end_string': "Ansible documents none (Jinja's own); tsrun names it",
  'replace.replace': "Ansible documents none and replaces with ''",
  'unarchive.extra_opts': "Ansible's '' is an empty list once converted",
  'shell.strip_empty_ends': 'shell shares command\'s arguments; ansible-doc for shell omits it',
  'group.force': 'not in ansible-doc for 2.14 group; tsrun accepts it for later Ansible versions',
  'apt.update_cache': 'Ansible documents none (false in effect); tsrun ignores it on air-gapped targets and warns when true',
  'assert.fail_msg': "Ansible documents none and prints 'Assertion failed'",
  'assert.success_msg': "Ansible documents none and prints 'All assertions passed'",
  'include_vars.extensions': 'the same three extensions in another order; the order has no effect',
  'validate_argument_spec.provided_arguments': 'Ansible documents null; its action plugin then validates an empty mapping, the default tsrun states',
  'validate_argument_spec.validate_args_context': 'Ansible does not document it; its action plugin reads it with an empty mapping as default',
};

describeIf(programMissing('ansible-doc', 'ansible'), 'defaults against ansible-doc', () => {
  it('every default tsrun documents is the one ansible-doc documents, or listed with the reason', async () => {
    const names = modules.map((m) => m.name);
    const r = await run('ansible-doc', ['--json', ...names], { env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
    expect(r.code, r.stderr).toBe(0);
    const docs = JSON.parse(r.stdout) as Record<string, { doc: { options?: Record<string, { default?: unknown }> } }>;
    // ansible-doc writes some booleans as yes/no and a newline default as its escape.
    const norm = (v: unknown) => (v === 'yes' ? true : v === 'no' ? false : v === '\\n' ? '\n' : v);
    const differ: string[] = [];
    for (const def of modules) {
      for (const o of moduleOptions(def).filter((x) => x.default !== undefined)) {
        const theirs = norm(docs[def.name]?.doc.options?.[o.name]?.default);
        if (JSON.stringify(theirs) !== JSON.stringify(o.default)) differ.push(`${def.name}.${o.name}`);
      }
    }
    expect(differ.sort()).toEqual(Object.keys(DEFAULTS_NOT_ANSIBLES).sort());
  });
});
