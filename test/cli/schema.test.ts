/**
 * `tsrun schema --out DIR`, as an editor would use the files: every playbook, role task file,
 * handler file and role meta in the repository (and the YAML inventories of the inventory
 * tests) validates; every file of a corpus of shape errors is rejected, and the loader rejects
 * the same playbooks and task files.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import AjvModule from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { moduleRegistry } from '../../src/modules/index.js';
import { loadPlaybook, loadTaskFile } from '../../src/playbook/index.js';
import { ConfigError } from '../../src/util/errors.js';
import { REPO, tsrun } from '../support/runners.js';

const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as unknown as typeof AjvModule.default;
type Validate = ((data: unknown) => boolean) & { errors?: unknown };

const BAD = join(REPO, 'test/fixtures/schema/bad');

function files(dir: string, test: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p, test) : test(p) ? [p] : [];
  });
}

const yml = (p: string) => /\.ya?ml$/.test(p);
const rel = (p: string) => relative(REPO, p);

describe('editor schemas (tsrun schema --out DIR)', () => {
  const v: Record<string, Validate> = {};
  let out: string;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'tsrun-schema-'));
    const r = await tsrun(['schema', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const ajv = new Ajv({ allErrors: false, strict: false });
    for (const name of ['playbook', 'tasks', 'handlers', 'role-meta', 'inventory']) {
      v[name] = ajv.compile(JSON.parse(readFileSync(join(out, `${name}.schema.json`), 'utf8')) as object) as Validate;
    }
  });

  it('writes one file per kind, naming each', () => {
    expect(readdirSync(out).sort()).toEqual(['handlers.schema.json', 'inventory.schema.json', 'playbook.schema.json', 'role-meta.schema.json', 'tasks.schema.json']);
  });

  const valid: [string, string[]][] = [
    ['playbook', files(join(REPO, 'playbooks'), (p) => yml(p) && !p.includes('/group_vars/') && !p.includes('/roles/'))],
    ['tasks', files(join(REPO, 'roles'), (p) => yml(p) && /\/tasks\//.test(p))],
    ['handlers', files(join(REPO, 'roles'), (p) => yml(p) && /\/handlers\//.test(p))],
    ['role-meta', files(join(REPO, 'roles'), (p) => /\/meta\/main\.ya?ml$/.test(p))],
    ['inventory', files(join(REPO, 'test/fixtures/inventory'), (p) => /\/\d+-[^/]+\/hosts\.ya?ml$/.test(p))],
  ];
  for (const [kind, list] of valid) {
    it(`every ${kind} file in the repository validates (${list.length})`, () => {
      expect(list.length).toBeGreaterThan(kind === 'playbook' || kind === 'handlers' ? 4 : 8);
      for (const f of list) {
        const ok = v[kind](parse(readFileSync(f, 'utf8')));
        expect(ok, `${rel(f)}: ${JSON.stringify(v[kind].errors)}`).toBe(true);
      }
    });
  }

  const bad = files(BAD, yml);
  it('has a corpus of shape errors', () => expect(bad.length).toBeGreaterThanOrEqual(20));

  it.each(bad.map((f) => [rel(f), f]))('%s is rejected by the schema', (_name, f) => {
    const text = readFileSync(f, 'utf8');
    const kind = /^# schema: ([\w-]+)/.exec(text)![1];
    expect(v[kind](parse(text)), 'the schema accepted it').toBe(false);
  });

  describe('the bad-input corpus (test/fixtures/bad)', () => {
    /** Playbooks whose shape is wrong: the editor marks them before tsrun runs. */
    const SHAPE_ERRORS = [
      'args-bad-bool.yml', 'args-bad-choice.yml', 'args-missing-required.yml', 'args-unknown.yml', 'wrong-type.yml',
      'misspelled.yml', 'not-a-list.yml', 'unknown-module.yml', 'yaml-bare-scalar.yml', 'empty.yml', 'binary.yml',
      'shape-loop-number.yml', 'shape-loop-string.yml', 'shape-no-hosts.yml', 'shape-no-module.yml', 'shape-task-scalar.yml',
      'shape-tasks-not-list.yml', 'shape-two-modules.yml', 'shape-unknown-play-keyword.yml',
      // Ansible takes a mapping as a true condition; the editor flags it all the same (it is never meant).
      'shape-when-dict.yml',
    ];
    /** Wrong, but not in a way a schema can say without changing the engine's own messages. */
    const NOT_A_SCHEMA_MATTER: Record<string, string> = {
      'args-mutually-exclusive.yml': "copy refuses content with src itself ('parameters are mutually exclusive: content|src')",
    };
    /** Right in shape; wrong in what they name or compute (undefined variables, templates, missing files, recursion). */
    const GOOD_SHAPE = [
      'bad-vars-file.yml', 'broken-role.yml', 'ejs-not-iterable.yml', 'ejs-null-prop.yml', 'ejs-syntax.yml', 'expression-syntax.yml',
      'import-recursive.yml', 'include-missing-role.yml', 'include-recursive.yml', 'jinja-unclosed-block.yml', 'jinja-unclosed-var.yml',
      'jinja-when-syntax.yml', 'meta-when-unset.yml', 'missing-import-playbook.yml', 'missing-import.yml', 'missing-include.yml', 'missing-role.yml',
      'missing-template.yml', 'missing-var-attribute.yml', 'missing-var-copy.yml', 'missing-var-var.yml', 'missing-var-when.yml',
      'missing-vars-file.yml', 'ok.yml', 'playbook-self.yml', 'recursive.yml', 'role-recursive.yml', 'template-throws.yml',
      'template-undef.yml', 'unknown-filter.yml', 'import-scalar.yml',
    ];
    /** Not playbooks a schema reads: YAML that does not parse (or repeats a key), inventories, task and vars files. */
    const NOT_PLAYBOOKS = [
      'yaml-duplicate-key.yml',
      'bad-extra.yml', 'bad-vars.yml', 'import-loop.yml', 'recursive-tasks.yml', 'scalar-tasks.yml', 'inv-yaml-indent.yml',
      'yaml-indent.yml', 'yaml-syntax.yml', 'yaml-tabs.yml', 'yaml-unquoted-jinja.yml', 'yaml-unterminated-quote.yml',
    ];
    const CORPUS = join(REPO, 'test/fixtures/bad');
    const read = (name: string): unknown => {
      const bytes = readFileSync(join(CORPUS, name));
      // Not UTF-8 text (binary.yml): an editor shows no structure, as tsrun refuses it.
      return bytes.includes(0) ? bytes.toString('latin1') : parse(bytes.toString('utf8'));
    };

    it('every playbook of the corpus is in exactly one list here', () => {
      const listed = [...SHAPE_ERRORS, ...Object.keys(NOT_A_SCHEMA_MATTER), ...GOOD_SHAPE, ...NOT_PLAYBOOKS].sort();
      expect(listed).toEqual(readdirSync(CORPUS).filter(yml).sort());
    });

    it.each(SHAPE_ERRORS)('%s: its shape error is rejected', (name) => {
      expect(v.playbook(read(name)), 'the playbook schema accepted it').toBe(false);
    });

    it.each(GOOD_SHAPE)('%s: a well-shaped playbook is accepted', (name) => {
      expect(v.playbook(read(name)), JSON.stringify(v.playbook.errors)).toBe(true);
    });

    it('booleans: true/false, 1/0, Ansible\'s words in any case, or a template; nothing else', () => {
      const task = (force: unknown) => [{ hosts: 'all', tasks: [{ copy: { content: 'x', dest: '/tmp/x', force } }] }];
      for (const ok of [true, false, 1, 0, 'yes', 'No', 'TRUE', 'off', 'y', 'f', ' on ', '{{ flag }}']) expect(v.playbook(task(ok)), String(ok)).toBe(true);
      for (const bad of ['perhaps', 'yess', 2, '', [true]]) expect(v.playbook(task(bad)), String(bad)).toBe(false);
    });
  });

  // Shapes the loader defers (module arguments, loop values) fail the task when it runs.
  const runTime = bad.filter((f) => /# loader: run time \((module arguments|Ansible too)/.test(readFileSync(f, 'utf8')));
  it.each(runTime.map((f) => [rel(f), f]))('%s fails its task when it runs', async (_name, f) => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-runtime-'));
    writeFileSync(join(dir, 'pb.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n    - import_tasks: ${f}\n`);
    writeFileSync(join(dir, 'hosts.ini'), 'local1 ansible_connection=local\n');
    const r = await tsrun(['-i', 'hosts.ini', 'pb.yml'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toMatch(/^fatal: \[local1\]: FAILED! =>/m);
  });

  // The loader, given the same files, refuses them too: editor and engine agree. Files marked
  // `# loader: run time` are refused when the task runs, as ansible-playbook does.
  const loaderCases = bad.filter((f) => /^# schema: (playbook|tasks)$/m.test(readFileSync(f, 'utf8')) && !readFileSync(f, 'utf8').includes('# loader: run time'));
  const opts = { modules: moduleRegistry() };
  it.each(loaderCases.map((f) => [rel(f), f]))('%s is refused by the loader too', (_name, f) => {
    const isTasks = readFileSync(f, 'utf8').startsWith('# schema: tasks');
    const load = () => (isTasks ? loadTaskFile(f, { opts }) : loadPlaybook(f, opts));
    expect(load).toThrow(ConfigError);
  });
});
