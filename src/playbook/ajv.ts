import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import { AJV_OPTIONS } from './ajv-options.js';
import { schemaKey } from './schema-key.js';

// ajv ships CommonJS; under NodeNext the class is the default export's `default`.
const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as unknown as typeof AjvModule.default;

/** One shared instance (options: ajv-options.ts). */
export const ajv = new Ajv({ ...AJV_OPTIONS });

const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Validators the build compiled ahead of time (schema-precompile.ts), by schemaKey; none when
 * running from source or from a dist/ built by tsc alone.
 */
const precompiled = loadPrecompiled();

function loadPrecompiled(): Record<string, ValidateFunction | undefined> {
  // `../playbook/` so that the path holds both from dist/playbook/ and from the bundle in dist/cli/.
  const file = new URL('../playbook/schemas.compiled.cjs', import.meta.url);
  try {
    return createRequire(import.meta.url)(fileURLToPath(file)) as Record<string, ValidateFunction | undefined>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return {};
    throw e;
  }
}

export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = precompiled[schemaKey(schema)] ?? ajv.compile(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

export type { ErrorObject };

/**
 * ajv reports an anyOf failure plus every branch's failure. For a person, the summary of the
 * outermost anyOf/oneOf is the useful one: drop errors found inside a failed anyOf/oneOf.
 */
export function summariseErrors(errors: ErrorObject[]): ErrorObject[] {
  const groups = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  return errors.filter((e) => !groups.some((g) => g !== e && e.schemaPath.startsWith(`${g.schemaPath}/`)));
}

export function jsType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'mapping';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'float';
  return typeof v;
}

/** Dotted name of an instancePath below the validated object: `/loop_control/pause` -> `loop_control.pause`. */
export function pathName(pointer: string): string {
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join('');
}
