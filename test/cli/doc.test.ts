import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatModuleDoc, listModules, moduleOptions, synthesisedExample } from '../../src/cli/doc/module-doc.js';
import { MODULE_SUMMARIES } from '../../src/cli/doc/summaries.js';
import { moduleRegistry } from '../../src/modules/index.js';
import { compileSchema } from '../../src/playbook/ajv.js';
import { closestName } from '../../src/util/suggest.js';
import { tsrun } from '../support/runners.js';
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
    expect(r.stdout).toMatch(/^- state\n {8}choices: \[present, absent\]\n {8}type: str$/m);
    expect(r.stdout).toMatch(/^- backrefs\n {8}type: bool$/m);
    // A task from the repository's roles when one uses the module, else one built from the schema.
    expect(r.stdout).toMatch(/^EXAMPLES:\n\n(# from [\w/.-]+:\d+\n)?- name: .*\n {2}lineinfile:\n/m);
    expect(synthesisedExample(registry.get('lineinfile')!)).toBe('- name: Example of lineinfile\n  lineinfile:\n    path: /path/to/file');
    const cmd = await tsrun(['doc', 'ansible.builtin.command']);
    expect(cmd.stdout).toContain('FREE FORM');
    expect(cmd.stdout).not.toMatch(/_raw_params/);
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
