/**
 * The playbook keyword schemas, compiled ahead of time. Compiling playSchema, taskSchema and
 * their kin with ajv took 50-100 ms of every run's start-up (before the first task), for
 * schemas that only change with tsrun itself. `npm run build` (scripts/bundle.mjs) writes
 * ajv's standalone code for them next to this file; compileSchema (ajv.ts) uses a precompiled
 * validator when one exists for a schema of the same content (keyed by a hash of its JSON, so a
 * stale file is never used for a changed schema) and compiles the rest as before.
 */
import AjvModule from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { AJV_OPTIONS } from './ajv-options.js';
import { schemaKey } from './schema-key.js';
import * as play from './schema/play.js';
import * as role from './schema/role.js';
import * as task from './schema/task.js';

const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as unknown as typeof AjvModule.default;
const standaloneCode = ((standaloneModule as unknown as { default?: unknown }).default ?? standaloneModule) as (ajv: InstanceType<typeof Ajv>, refs: Record<string, string>) => string;

/**
 * The file the build writes, relative to this module (dist/playbook/). CommonJS, so ajv.ts loads
 * it synchronously: the bundle is a CommonJS script (for V8's code cache, cli/code-cache.ts),
 * which has no top-level await.
 */
export const PRECOMPILED_FILE = 'schemas.compiled.cjs';

/** Every exported schema of the keyword schema modules (objects with properties or a type). */
export function keywordSchemas(): object[] {
  const all = Object.values({ ...play, ...role, ...task }) as unknown[];
  return all.filter((s): s is object => typeof s === 'object' && s !== null && !Array.isArray(s) && ('properties' in s || 'type' in s));
}

/** CommonJS source exporting one validator per schema, named by schemaKey. */
export function precompiledSource(schemas: readonly object[] = keywordSchemas()): string {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: false } });
  const refs: Record<string, string> = {};
  for (const s of schemas) {
    const key = schemaKey(s);
    if (refs[key]) continue;
    ajv.addSchema(s, key);
    refs[key] = key;
  }
  return standaloneCode(ajv, refs);
}
