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
const precompiled = (await import(new URL('../playbook/schemas.compiled.js', import.meta.url).href).catch(() => ({}))) as Record<string, ValidateFunction | undefined>;

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
