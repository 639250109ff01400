/**
 * The keyword schemas compiled ahead of time (what `npm run build` writes) must accept and
 * reject exactly what ajv compiled at run time does, with the same errors: the error formatter
 * reads keyword, path, params and the parent schema's description and properties.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ajv } from '../../src/playbook/ajv.js';
import { keywordSchemas, precompiledSource } from '../../src/playbook/schema-precompile.js';
import { schemaKey } from '../../src/playbook/schema-key.js';

const dir = mkdtempSync(join(tmpdir(), 'tsrun-schemas-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shape = (e: ErrorObject) => ({
  keyword: e.keyword,
  instancePath: e.instancePath,
  schemaPath: e.schemaPath,
  params: e.params,
  data: e.data,
  description: (e.parentSchema as { description?: unknown } | undefined)?.description,
  properties: Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}),
});

/** Inputs that reach every property with values of every JSON type, and an unknown key. */
function corpus(schema: object): unknown[] {
  const values = [null, true, 3, 2.5, 'x', '50%', [], ['a', 2], [{ a: 1 }], {}, { a: 1 }];
  const props = Object.keys((schema as { properties?: object }).properties ?? {});
  const out: unknown[] = [{}, { no_such_keyword: 1 }, 'text', [], null, ...values.map((v) => ({ [props[0] ?? 'x']: v }))];
  for (const p of props) for (const v of values) out.push({ [p]: v });
  return out;
}

describe('precompiled keyword schemas', () => {
  it('validate as the run-time compiled ones do, error for error', () => {
    const file = join(dir, 'schemas.compiled.cjs');
    writeFileSync(file, precompiledSource());
    const mod = createRequire(import.meta.url)(file) as Record<string, ValidateFunction>;
    const schemas = keywordSchemas();
    expect(schemas.length).toBeGreaterThan(8);
    let cases = 0;
    for (const schema of schemas) {
      const pre = mod[schemaKey(schema)];
      expect(pre, JSON.stringify(schema).slice(0, 80)).toBeTypeOf('function');
      const live = ajv.compile(schema);
      for (const data of corpus(schema)) {
        const a = live(data);
        const b = pre!(data);
        expect(b, JSON.stringify(data)).toBe(a);
        expect((pre!.errors ?? []).map(shape)).toEqual((live.errors ?? []).map(shape));
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(500);
  });

  it('keys a schema by its content: a changed schema finds no stale validator', () => {
    const s = { type: 'object', properties: { a: { type: 'string' } } };
    expect(schemaKey(s)).toBe(schemaKey(JSON.parse(JSON.stringify(s)) as object));
    expect(schemaKey({ ...s, required: ['a'] })).not.toBe(schemaKey(s));
  });
});
