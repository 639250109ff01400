/**
 * Fixture tables, pyinfra style, for the modules that had none: arguments + state on the
 * target → the result (and the command it runs). Each case runs the real module through the
 * engine's argument pipeline on this machine's `sh` (localContext), in a scratch directory.
 * The last test checks that every registered module has a table or behaviour test somewhere.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, test } from 'vitest';
import { fileModules } from '../../src/modules/file-modules.js';
import { commandModules } from '../../src/modules/command-modules.js';
import { invoke, localContext, localShell, scratchDir } from '../support/local-exec.js';
import type { ModuleDef } from '../../src/modules/types.js';
import { listScript } from '../../src/modules/find.js';
import { plainVars } from '../../src/template/var-source.js';

const all: ModuleDef[] = [...fileModules, ...commandModules];
const mod = (name: string) => all.find((m) => m.name === name)!;
const runMod = (name: string, args: Record<string, unknown>) => invoke(mod(name), localContext(args, { conn: localShell() }));

describe('getent: database/key → facts', () => {
  test.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['a user by key', { database: 'passwd', key: 'root' }, { changed: false, ansible_facts: { getent_passwd: { root: ['x', '0', '0', expect.any(String), '/root', expect.any(String)] } } }],
    ['a group by key', { database: 'group', key: 'root' }, { ansible_facts: { getent_group: { root: ['x', '0', expect.any(String)] } } }],
    ['a missing key fails by default', { database: 'passwd', key: 'no-such-user-tsrun' }, { failed: true, msg: 'One or more supplied key could not be found in the database.' }],
    ['fail_key: no gives null', { database: 'passwd', key: 'no-such-user-tsrun', fail_key: 'no' }, { changed: false, ansible_facts: { getent_passwd: { 'no-such-user-tsrun': null } } }],
    ['an unknown database', { database: 'nosuchdb' }, { failed: true, msg: 'Missing arguments, or database unknown.' }],
    ['a key with a leading dash is an operand', { database: 'passwd', key: '-h' }, { failed: true, msg: 'One or more supplied key could not be found in the database.' }],
    ['split on another separator', { database: 'passwd', key: 'root', split: '/' }, { ansible_facts: { getent_passwd: { 'root:x:0:0:root:': expect.any(Array) } } }],
    ['missing database', {}, { failed: true, msg: 'getent: missing required arguments: database' }],
  ])('%s', async (_what, args, want) => {
    expect(await runMod('getent', args)).toMatchObject(want);
  });
});

describe('tempfile: state/prefix/suffix → a new path', () => {
  test.each<[string, Record<string, unknown>, RegExp, 'file' | 'directory']>([
    ['a file with the default prefix', {}, /\/ansible\.[^/]{8}$/, 'file'],
    ['a directory with a suffix', { state: 'directory', suffix: '.d' }, /\/ansible\.[^/]{8}\.d$/, 'directory'],
    ['a prefix with spaces and quotes stays literal', { prefix: `it's $(x) ` }, /\/it's \$\(x\) [^/]{8}$/, 'file'],
  ])('%s', async (_what, args, name, kind) => {
    const dir = scratchDir();
    const r = await runMod('tempfile', { path: dir, ...args });
    expect(r).toMatchObject({ changed: true, state: kind });
    expect(String(r.path)).toMatch(name);
    expect(String(r.path).startsWith(`${dir}/`)).toBe(true);
    expect(statSync(String(r.path)).isDirectory()).toBe(kind === 'directory');
  });
  test.each([
    [{ prefix: 'a/b' }, 'prefix and suffix may not contain a path separator'],
    [{ state: 'link' }, 'tempfile: value of state must be one of: file, directory, got: \'link\''],
  ])('%j is refused: %s', async (args, msg) => {
    expect(await runMod('tempfile', args)).toMatchObject({ failed: true, msg });
  });
});

describe('find: arguments + a file tree → matched paths', () => {
  const root = scratchDir();
  mkdirSync(join(root, 'sub'));
  mkdirSync(join(root, '.hidden'));
  writeFileSync(join(root, 'a.txt'), 'has needle\n');
  writeFileSync(join(root, 'b.log'), 'plain\n');
  writeFileSync(join(root, 'sub/c.txt'), 'needle too\n');
  writeFileSync(join(root, '.h.txt'), 'x\n');
  writeFileSync(join(root, 'big.bin'), Buffer.alloc(3000));
  const rel = (r: Record<string, unknown>) => (r.files as { path: string }[]).map((f) => f.path.slice(root.length + 1)).sort();
  test.each<[string, Record<string, unknown>, string[]]>([
    ['every file at the top', {}, ['a.txt', 'b.log', 'big.bin']],
    ['a glob', { patterns: '*.txt' }, ['a.txt']],
    ['a list of globs', { patterns: ['*.txt', '*.log'] }, ['a.txt', 'b.log']],
    ['recurse', { patterns: '*.txt', recurse: 'yes' }, ['a.txt', 'sub/c.txt']],
    ['hidden files', { patterns: '*.txt', hidden: true }, ['.h.txt', 'a.txt']],
    ['directories', { file_type: 'directory' }, ['sub']],
    ['excludes', { excludes: 'b*' }, ['a.txt']],
    ['a regex', { patterns: '^[ab]\\.', use_regex: true }, ['a.txt', 'b.log']],
    ['contains: a regex matched at a line start (Python re.match)', { contains: 'needle', recurse: true }, ['sub/c.txt']],
    ['contains: .* finds it anywhere in a line', { contains: '.*needle', recurse: true }, ['a.txt', 'sub/c.txt']],
    ['size', { size: '2k' }, ['big.bin']],
    ['a path that is not there is skipped', { paths: [join(root, 'nope')] }, []],
  ])('%s', async (_what, args, want) => {
    const r = await runMod('find', { paths: [root], ...args });
    expect(r.failed, JSON.stringify(r)).toBeFalsy();
    expect(rel(r)).toEqual(want);
    expect(r.matched).toBe(want.length);
  });
});

it('find: a path starting with - reaches find as a path, never as an expression such as -delete', () => {
  const text = listScript(['-delete'], undefined, false).text;
  expect(text).toContain('./-delete');
  expect(text).not.toMatch(/p='?-delete/);
});

it('every module has a table or behaviour test besides the hostile corpus', () => {
  const files = (d: string, ext: RegExp): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name), ext) : ext.test(e.name) ? [join(d, e.name)] : []));
  const texts = files(join(import.meta.dirname), /\.ts$/).filter((f) => !f.endsWith('hostile-corpus.ts')).map((f) => readFileSync(f, 'utf8'));
  // A playbook fixture run by a behaviour test (test/fixtures/engine: the lab's engine tests) counts too.
  const playbooks = files(join(import.meta.dirname, '../fixtures/engine'), /\.ya?ml$/).map((f) => readFileSync(f, 'utf8'));
  const missing = all.map((m) => m.name).filter((n) => !texts.some((t) => t.includes(`'${n}'`) || t.includes(`modules/${n}.js'`)) && !playbooks.some((t) => new RegExp(`\\b${n}:`).test(t)));
  expect(missing).toEqual([]);
});

describe('validate_argument_spec: spec + variables + provided arguments → result', () => {
  const spec = { name: { type: 'str', required: true }, port: { type: 'int', default: 80 } };
  // a Scope-like source: `port` stored as written in YAML (`8080.` is a float there)
  const stored: Record<string, unknown> = { port: 8080, name: 'web' };
  const vars = { ...plainVars(stored), origin: (n: string) => (n in stored ? { values: stored, templated: true } : undefined) };
  test.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['values come from the variables the spec names', { argument_spec: spec }, { changed: false, msg: 'The arg spec validation passed' }],
    ['provided arguments are checked too', { argument_spec: spec, provided_arguments: { port: 'eighty' } }, {
      failed: true,
      argument_errors: ["argument 'port' is of type <class 'ansible.parsing.yaml.objects.AnsibleUnicode'> and we were unable to convert to int: <class 'ansible.parsing.yaml.objects.AnsibleUnicode'> cannot be converted to an int"],
    }],
    ['a name outside the spec', { argument_spec: { port: { type: 'int' } }, provided_arguments: { other: 1 }, validate_args_context: { name: 'r' } }, {
      failed: true, msg: 'Validation of arguments failed:\nother. Supported parameters include: port.', argument_spec_data: { port: { type: 'int' } }, validate_args_context: { name: 'r' },
    }],
    ['argument_spec missing', {}, { failed: true, msg: '"argument_spec" arg is required in args: {}' }],
    ['argument_spec not a mapping', { argument_spec: ['a'] }, { failed: true, msg: "Incorrect type for argument_spec, expected dict and got <class 'list'>" }],
    ['provided_arguments not a mapping', { argument_spec: {}, provided_arguments: 'a=1' }, { failed: true, msg: "Incorrect type for provided_arguments, expected dict and got <class 'str'>" }],
  ])('%s', async (_what, args, want) => {
    expect(await invoke(mod('validate_argument_spec'), localContext(args, { vars }))).toMatchObject(want);
  });
});
