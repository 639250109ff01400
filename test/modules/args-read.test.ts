/**
 * No module argument is accepted and silently ignored: every property of every module's schema
 * is either read by the module's code (its file or the src/modules files it imports), declared
 * `unsupported(...)` (refused after templating unless given a value that means what tsrun does
 * anyway), or listed below with the file outside the module that reads it.
 *
 * "Read" is textual: `x.prop`, `'prop'` (a key looked up by name) or `{ prop }` / `, prop,`
 * (destructuring). A schema key (`prop: {`) never counts, so a property added to a schema and
 * used nowhere fails here. schema-defaults.test.ts checks the other half for defaulted
 * arguments: giving another value changes what the module does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it, test } from 'vitest';
import { listModules } from '../../src/cli/doc/module-doc.js';
import { moduleRegistry } from '../../src/modules/index.js';
import { REPO } from '../support/runners.js';

/** Arguments the engine, not the module, acts on: the file named must mention them. */
const READ_ELSEWHERE: Record<string, string> = {
  'set_fact.cacheable': 'src/modules/set_fact.ts',
};

/** Accepted, and rightly without effect in tsrun: the reason is the documentation. */
const NO_EFFECT: Record<string, string> = {
  // Ansible runs its fact collectors in threads when parallel is on; tsrun's facts are one script.
  'setup.parallel': 'only changes how Ansible schedules its Python fact collectors; the result is the same',
};

const MODULES_DIR = join(REPO, 'src/modules');
const moduleFiles = readdirSync(MODULES_DIR).filter((f) => f.endsWith('.ts')).map((f) => join(MODULES_DIR, f));

/** The module's own file and every src/modules file it imports, transitively. */
function sourcesOf(name: string): string[] {
  const own = moduleFiles.find((f) => new RegExp(`\\bname: '${name}'`).test(readFileSync(f, 'utf8')));
  if (!own) throw new Error(`no file defines module ${name}`);
  const seen = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const m of readFileSync(f, 'utf8').matchAll(/from '(\.[^']+)\.js'/g)) {
      const dep = resolve(dirname(f), `${m[1]}.ts`);
      if (dep.startsWith(MODULES_DIR)) visit(dep);
    }
  };
  visit(own);
  return [...seen];
}

export function isRead(prop: string, text: string): boolean {
  const p = prop.replace(/[-]/g, '\\-');
  return [
    new RegExp(`\\.${p}\\b(?!\\s*:)`), // a.prop, ctx.args.prop (a `x.prop:` label does not exist in TS)
    new RegExp(`\\[?['"\`]${p}['"\`]\\]?(?!\\s*:)`), // 'prop' as a looked-up key or a listed name
    new RegExp(`[{,]\\s*${p}\\s*[,}=]`), // const { prop, ... } = a
  ].some((re) => re.test(text));
}

const modules = listModules(moduleRegistry());
const cases = modules.flatMap((def) =>
  Object.entries(def.argsSchema.properties as Record<string, Record<string, unknown>>).map(([prop, s]) => ({ key: `${def.name}.${prop}`, def, prop, s })),
);

describe('every accepted module argument is read', () => {
  it('the check finds reads and ignores schema keys', () => {
    expect(isRead('runlevel', "const argsSchema = {\n  properties: {\n    runlevel: { type: 'string' },\n  },\n};")).toBe(false);
    expect(isRead('runlevel', 'if (a.runlevel !== undefined) x();')).toBe(true);
    expect(isRead('move_home', "const KEYS = ['move_home'];")).toBe(true);
    expect(isRead('dest', 'const { dest, src } = a;')).toBe(true);
    expect(isRead('dest', 'return { dest: x };')).toBe(false);
  });

  test.each(cases.map((c) => [c.key, c] as const))('%s', (key, c) => {
    if ('unsupported' in c.s) return;
    if (key in NO_EFFECT) return;
    if (key in READ_ELSEWHERE) {
      expect(readFileSync(join(REPO, READ_ELSEWHERE[key]!), 'utf8')).toContain(c.prop);
      return;
    }
    const texts = sourcesOf(c.def.name).map((f) => readFileSync(f, 'utf8'));
    expect(texts.some((t) => isRead(c.prop, t)), `${key} is accepted by the schema but no code of the module reads it`).toBe(true);
  });
});
