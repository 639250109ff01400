/**
 * The one argument pipeline every module goes through after templating: drop `omit`/null,
 * convert as Ansible's argument spec converts (types read from the module's JSON Schema), then
 * validate strictly against the same schema. A value that fails becomes a task failure naming
 * the module, the argument, the expected type and the rendered value; it never reaches a host.
 */
import type { ValidateFunction } from 'ajv';
import { ModuleCrash, type ModuleContext, type ModuleDef, type ModuleResult } from '../modules/types.js';
import { ajv, jsType, pathName, summariseErrors, type ErrorObject } from '../playbook/ajv.js';
import { OMIT_TOKEN } from '../template/index.js';
import { parseBool } from '../util/ansible-bool.js';
import { pyRepr, pyStr } from '../util/python-repr.js';
import { FLOAT_TEXT, INT_TEXT } from '../util/python-number.js';
import { TsrunError } from '../util/errors.js';
import { VARIABLE_PARAMS } from '../playbook/types.js';

interface Schema {
  type?: string | readonly string[];
  enum?: readonly unknown[];
  anyOf?: readonly Schema[];
  oneOf?: readonly Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  noLog?: boolean;
  /** An Ansible argument tsrun does not implement (modules/lib/file-schema.ts `unsupported`); `accepts`: values that mean what tsrun does anyway. */
  unsupported?: string;
  accepts?: readonly unknown[];
}

const NO_LOG_VALUE = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER';

/** Every JSON type a value may have under `schema` (through anyOf/oneOf); [] = anything. */
function typesOf(schema: Schema | undefined): string[] {
  if (!schema) return [];
  if (schema.type) return Array.isArray(schema.type) ? [...schema.type] : [schema.type as string];
  const branches = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  if (branches.some((b) => typesOf(b).length === 0)) return [];
  return [...new Set(branches.flatMap(typesOf))];
}

function itemsOf(schema: Schema | undefined): Schema | undefined {
  if (!schema) return undefined;
  if (schema.items) return schema.items;
  for (const b of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) if (b.items) return b.items;
  return undefined;
}

function matches(v: unknown, t: string): boolean {
  switch (t) {
    case 'string': return typeof v === 'string';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number';
    case 'boolean': return typeof v === 'boolean';
    case 'array': return Array.isArray(v);
    case 'object': return v !== null && typeof v === 'object' && !Array.isArray(v);
    case 'null': return v === null;
    default: return false;
  }
}


/** Ansible's check_type_* for one value; returns the value unchanged when no conversion applies (validation then reports it). */
function convert(value: unknown, schema: Schema | undefined): unknown {
  const types = typesOf(schema);
  if (types.length === 0) return value;
  if (types.some((t) => matches(value, t))) {
    if (Array.isArray(value)) return value.map((v) => convert(v, itemsOf(schema)));
    if (types.includes('object') && schema?.properties && matches(value, 'object')) return convertProps(value as Record<string, unknown>, schema.properties);
    return value;
  }
  if (types.includes('string') && (typeof value === 'number' || typeof value === 'boolean')) return pyStr(value);
  if (typeof value === 'string') {
    if (types.includes('integer') && INT_TEXT.test(value)) return Number.parseInt(value, 10);
    if (types.includes('number') && FLOAT_TEXT.test(value)) return Number(value);
    if (types.includes('boolean')) {
      const b = parseBool(value);
      if (b !== undefined) return b;
    }
    if (types.includes('array')) return value.split(',').map((v) => convert(v, itemsOf(schema)));
    if (types.includes('object') && value.trimStart().startsWith('{')) {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        return value;
      }
    }
  }
  if (typeof value === 'number') {
    if (types.includes('boolean') && parseBool(value) !== undefined) return parseBool(value);
    if (types.includes('array')) return [convert(pyStr(value), itemsOf(schema))];
  }
  return value;
}

/** `freeKeys`: the module takes names of its own choosing (set_fact, add_host): as in Ansible's action
 * plugins, which have no argument spec, an undeclared key set to None keeps its None value. */
function convertProps(args: Record<string, unknown>, props: Record<string, Schema>, freeKeys = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (v === null && freeKeys && !(k in props)) {
      out[k] = null;
      continue;
    }
    // Ansible treats an argument set to None (or omitted) as not given.
    if (v === OMIT_TOKEN || v === null || v === undefined) continue;
    out[k] = convert(v, props[k]);
  }
  return out;
}

const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(def: ModuleDef): ValidateFunction {
  let fn = compiled.get(def.argsSchema);
  if (!fn) {
    fn = ajv.compile(def.argsSchema);
    compiled.set(def.argsSchema, fn);
  }
  return fn;
}

/** The schema of the property an error points at (for noLog). */
function propSchema(def: ModuleDef, pointer: string): Schema | undefined {
  const top = pointer.slice(1).split('/')[0];
  return (def.argsSchema.properties as Record<string, Schema>)[top];
}

/** A rendered value as it may be shown: Python repr, cut short, never a no_log argument's value. */
function shown(def: ModuleDef, err: ErrorObject): string {
  if (propSchema(def, err.instancePath)?.noLog) return NO_LOG_VALUE;
  const text = pyRepr(err.data);
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

const PY_TYPES: Record<string, string> = { string: 'str', integer: 'int', number: 'float', boolean: 'bool', array: 'list', object: 'dict', null: 'None' };

function pyTypeOf(v: unknown): string {
  const t = jsType(v);
  return { list: 'list', mapping: 'dict', float: 'float', integer: 'int', boolean: 'bool', string: 'str', null: 'None' }[t] ?? t;
}

function typeMessage(def: ModuleDef, name: string, err: ErrorObject, types: readonly string[]): string {
  const expected = types.map((x) => PY_TYPES[x] ?? x).join(' or ');
  return `${name}: argument '${pathName(err.instancePath)}' is of type ${pyTypeOf(err.data)} and we were unable to convert to ${expected}: ${shown(def, err)}`;
}

function message(def: ModuleDef, name: string, err: ErrorObject, args: Record<string, unknown>, all: ErrorObject[]): string {
  const arg = pathName(err.instancePath);
  switch (err.keyword) {
    case 'anyOf':
    case 'oneOf': {
      const inner = all.filter((e) => e !== err && e.schemaPath.startsWith(`${err.schemaPath}/`));
      if (inner.length > 0 && inner.every((e) => e.keyword === 'required')) {
        const names = [...new Set(inner.map((e) => (e.params as { missingProperty: string }).missingProperty))];
        return `${name}: one of the following is required: ${names.join(', ')}`;
      }
      const types = typesOf(err.parentSchema as Schema);
      if (types.length > 0 && inner.every((e) => e.keyword === 'type')) return typeMessage(def, name, err, types);
      break;
    }
    case 'additionalProperties': {
      const extra = Object.keys(args).filter((k) => !(k in def.argsSchema.properties)).sort();
      const supported = Object.keys(def.argsSchema.properties).filter((p) => !p.startsWith('_')).sort();
      const what = arg === '' ? `(${name}) module` : `(${name}) module argument '${arg}'`;
      return `Unsupported parameters for ${what}: ${arg === '' ? extra.join(', ') : String((err.params as { additionalProperty: string }).additionalProperty)}. Supported parameters include: ${supported.join(', ')}.`;
    }
    case 'required': {
      const missing = (err.params as { missingProperty: string }).missingProperty;
      return arg === '' ? `${name}: missing required arguments: ${missing}` : `${name}: missing required arguments: ${missing} found in ${arg}`;
    }
    case 'type': {
      const t = (err.params as { type: string | string[] }).type;
      return typeMessage(def, name, err, Array.isArray(t) ? t : [t]);
    }
    case 'enum': {
      const allowed = (err.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ');
      return `${name}: value of ${arg} must be one of: ${allowed}, got: ${shown(def, err)}`;
    }
  }
  if (arg === '') return `${name}: arguments ${err.message ?? 'are not valid'}`;
  return `${name}: argument '${arg}' ${err.message ?? 'is not valid'}, got: ${shown(def, err)}`;
}

/** A given argument that tsrun does not implement fails the task by name instead of being ignored. */
function refuseUnsupported(def: ModuleDef, name: string, args: Record<string, unknown>): PreparedArgs | undefined {
  const props = def.argsSchema.properties as Record<string, Schema>;
  for (const [k, v] of Object.entries(args)) {
    const s = props[k];
    if (!s?.unsupported || (s.accepts ?? []).some((x) => x === v)) continue;
    const allowed = s.accepts?.length ? ` (allowed: ${s.accepts.map((x) => pyRepr(x)).join(', ')})` : '';
    return { ok: false, msg: `${name}: argument '${k}' is not supported by tsrun: ${s.unsupported}${allowed}` };
  }
  return undefined;
}

/**
 * A task's rendered args with its variable params (a templated whole-args mapping) spread
 * under them, as Ansible's Task post-validation does; anything but a mapping is an error.
 */
export function spreadVariableParams(rendered: unknown): Record<string, unknown> {
  const args = rendered !== null && typeof rendered === 'object' && !Array.isArray(rendered) ? { ...(rendered as Record<string, unknown>) } : {};
  if (!(VARIABLE_PARAMS in args)) return args;
  const from = args[VARIABLE_PARAMS];
  delete args[VARIABLE_PARAMS];
  if (from === null || typeof from !== 'object' || Array.isArray(from)) throw new TsrunError(`invalid or malformed argument: '${pyStr(from)}'`);
  return { ...(from as Record<string, unknown>), ...args };
}

export type PreparedArgs = { ok: true; args: Record<string, unknown> } | { ok: false; msg: string };

/** Rendered args → converted, validated args, or the message of the first problem. `name`: the module as the task wrote it. */
export function prepareArgs(def: ModuleDef, name: string, rendered: unknown): PreparedArgs {
  const raw = rendered !== null && typeof rendered === 'object' && !Array.isArray(rendered) ? (rendered as Record<string, unknown>) : {};
  const args = convertProps(raw, def.argsSchema.properties as Record<string, Schema>, def.argsSchema.additionalProperties === true);
  const fn = validatorFor(def);
  if (fn(args)) return refuseUnsupported(def, name, args) ?? { ok: true, args };
  const all = fn.errors ?? [];
  const errors = summariseErrors(all);
  // The first problem in the order the task wrote its arguments; whole-object problems last.
  const order = Object.keys(args);
  const rank = (e: ErrorObject): number => {
    const top = e.instancePath.slice(1).split('/')[0];
    const i = order.indexOf(top);
    return e.keyword === 'additionalProperties' && e.instancePath === '' ? -1 : i < 0 ? order.length : i;
  };
  errors.sort((a, b) => rank(a) - rank(b));
  return { ok: false, msg: message(def, name, errors[0], args, all) };
}

/** What Ansible returns for a module that cannot run in check mode; the host is never contacted. */
export function checkModeSkip(def: ModuleDef): ModuleResult {
  const msg = def.checkModeSkipMsg === undefined ? `remote module (${def.name}) does not support check mode` : def.checkModeSkipMsg;
  return msg === '' ? { changed: false, skipped: true } : { changed: false, skipped: true, msg };
}

/**
 * Calls a module the one way the engine does: check-mode skip, argument pipeline, then `run`
 * with the validated args. `ctx.args` holds the rendered (not yet converted) arguments.
 */
export async function callModule(def: ModuleDef, name: string, ctx: ModuleContext, run: (ctx: ModuleContext) => Promise<ModuleResult> = (c) => def.run(c)): Promise<ModuleResult> {
  if (ctx.check && !def.checkMode) return checkModeSkip(def);
  const prepared = prepareArgs(def, name, ctx.args);
  if (!prepared.ok) return { failed: true, changed: false, msg: prepared.msg };
  try {
    return await run({ ...ctx, args: prepared.args });
  } catch (err) {
    if (!(err instanceof ModuleCrash)) throw err;
    return { failed: true, changed: false, rc: 1, msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error', module_stdout: err.stdout, module_stderr: err.stderr };
  }
}
