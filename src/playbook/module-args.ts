import type { ValidateFunction } from 'ajv';
import { ConfigError, type SourcePos } from '../util/errors.js';
import type { ModuleDef } from '../modules/types.js';
import { ajv, jsType, pathName, summariseErrors, type ErrorObject } from './ajv.js';
import { TEMPLATE_PATTERN } from './template-text.js';

type Schema = Record<string, unknown>;

/** Wrappers added by allowTemplates; their own errors are noise for the user. */
const wrappers = new WeakSet<object>();
const TEMPLATE_BRANCH = { type: 'string', pattern: TEMPLATE_PATTERN };

const VALUE_MAPS = ['properties', 'patternProperties', 'definitions', '$defs'];
const VALUE_SINGLE = ['additionalProperties', 'additionalItems', 'contains'];
const SAME_INSTANCE_LISTS = ['anyOf', 'oneOf', 'allOf'];
const SAME_INSTANCE_SINGLE = ['then', 'else'];

function wrap(schema: unknown): unknown {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const inner = allowTemplates(schema as Schema);
  const w = { anyOf: [TEMPLATE_BRANCH, inner] };
  wrappers.add(w);
  return w;
}

/**
 * A copy of a module's argsSchema in which every value position also accepts a template
 * string: `mode: "{{ m }}"` can only be checked once rendered, so the loader lets it through.
 */
export function allowTemplates(schema: Schema): Schema {
  const out: Schema = { ...schema };
  for (const k of VALUE_MAPS) {
    const m = schema[k];
    if (m && typeof m === 'object') out[k] = Object.fromEntries(Object.entries(m).map(([p, s]) => [p, k === 'definitions' || k === '$defs' ? allowTemplates(s as Schema) : wrap(s)]));
  }
  for (const k of VALUE_SINGLE) if (typeof schema[k] === 'object') out[k] = wrap(schema[k]);
  if (Array.isArray(schema.items)) out.items = schema.items.map(wrap);
  else if (typeof schema.items === 'object') out.items = wrap(schema.items);
  for (const k of SAME_INSTANCE_LISTS) if (Array.isArray(schema[k])) out[k] = (schema[k] as Schema[]).map((s) => (typeof s === 'object' ? allowTemplates(s) : s));
  for (const k of SAME_INSTANCE_SINGLE) if (typeof schema[k] === 'object') out[k] = allowTemplates(schema[k] as Schema);
  return out;
}

const compiled = new WeakMap<ModuleDef, ValidateFunction>();

function validatorFor(def: ModuleDef): ValidateFunction {
  let fn = compiled.get(def);
  if (!fn) {
    try {
      fn = ajv.compile(allowTemplates(def.argsSchema));
    } catch (err) {
      throw new Error(`module ${def.name}: invalid argsSchema: ${(err as Error).message}`);
    }
    compiled.set(def, fn);
  }
  return fn;
}

function withoutTemplateNoise(errors: ErrorObject[]): ErrorObject[] {
  const wrapperPaths = errors.filter((e) => e.keyword === 'anyOf' && wrappers.has(e.parentSchema as object)).map((e) => e.schemaPath);
  return errors.filter((e) => !wrapperPaths.some((p) => e.schemaPath === p || e.schemaPath.startsWith(`${p}/0/`)));
}

function typeList(err: ErrorObject): string {
  const t = (err.params as { type?: string | string[] }).type;
  return Array.isArray(t) ? t.join(' or ') : String(t);
}

function message(module: string, err: ErrorObject, all: ErrorObject[]): string {
  const arg = err.instancePath === '' ? undefined : pathName(err.instancePath);
  switch (err.keyword) {
    case 'additionalProperties': {
      const prop = (err.params as { additionalProperty: string }).additionalProperty;
      if (arg !== undefined) return `${module}: argument '${arg}' does not accept '${prop}'`;
      const props = Object.keys(((err.parentSchema as Schema).properties as Schema | undefined) ?? {}).filter((p) => !p.startsWith('_')).sort();
      return `${module}: unsupported parameter '${prop}'${props.length ? ` (supported: ${props.join(', ')})` : ''}`;
    }
    case 'required': {
      const prop = (err.params as { missingProperty: string }).missingProperty;
      return arg === undefined ? `${module}: missing required argument '${prop}'` : `${module}: argument '${arg}' needs '${prop}'`;
    }
    case 'type':
      return `${module}: argument '${arg}' has wrong type (expected ${typeList(err)}, got ${jsType(err.data)})`;
    case 'enum': {
      const allowed = ((err.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String).join(', ');
      return `${module}: argument '${arg}' must be one of: ${allowed}; got '${String(err.data)}'`;
    }
    case 'anyOf':
    case 'oneOf': {
      const inner = all.filter((e) => e !== err && e.schemaPath.startsWith(`${err.schemaPath}/`));
      if (inner.length > 0 && inner.every((e) => e.keyword === 'required' && e.instancePath === err.instancePath)) {
        const names = [...new Set(inner.map((e) => `'${(e.params as { missingProperty: string }).missingProperty}'`))];
        return names.length === 1 ? `${module}: missing required argument ${names[0]}` : `${module}: missing required argument: one of ${names.join(', ')}`;
      }
      if (arg !== undefined && inner.length > 0 && inner.every((e) => e.keyword === 'type' && e.instancePath === err.instancePath)) {
        return `${module}: argument '${arg}' has wrong type (expected ${inner.map(typeList).join(' or ')}, got ${jsType(err.data)})`;
      }
      break;
    }
  }
  return arg === undefined ? `${module}: arguments ${err.message ?? 'are not valid'}` : `${module}: argument '${arg}' ${err.message ?? 'is not valid'}`;
}

/**
 * Checks a task's arguments against the module's argsSchema before anything runs.
 * `locate` gives the source position for a top-level argument name (or the action itself).
 */
export function validateModuleArgs(def: ModuleDef, shownName: string, args: Record<string, unknown>, locate: (arg?: string, pointer?: string) => SourcePos): void {
  const fn = validatorFor(def);
  if (fn(args)) return;
  const all = withoutTemplateNoise(fn.errors ?? []);
  const shown = summariseErrors(all);
  if (shown.length === 0) return;
  // Report in argument order: the first argument the user wrote that has a problem.
  const order = Object.keys(args);
  const argOf = (e: ErrorObject): string | undefined => {
    if (e.keyword === 'additionalProperties' && e.instancePath === '') return (e.params as { additionalProperty: string }).additionalProperty;
    return e.instancePath === '' ? undefined : e.instancePath.slice(1).split('/')[0];
  };
  const rank = (e: ErrorObject): number => {
    const a = argOf(e);
    return a === undefined ? order.length : order.indexOf(a);
  };
  shown.sort((a, b) => rank(a) - rank(b));
  const first = shown[0];
  throw new ConfigError(message(shownName, first, all), locate(argOf(first), first.instancePath));
}
