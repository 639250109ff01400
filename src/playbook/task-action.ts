import { ConfigError, type SourcePos } from '../util/errors.js';
import type { LoaderOptions } from './context.js';
import { acceptsRawParams, resolveAction, suggestAction, type ResolvedAction } from './actions.js';
import { jsType } from './ajv.js';
import { parseKeyValue } from '../parsing/kv.js';
import { splitArgs } from '../parsing/split-args.js';
import { keyPos, pointerPos, valuePos } from './source.js';
import { isTemplate } from './template-text.js';
import { VARIABLE_PARAMS } from './types.js';
import { taskKeywords } from './schema/task.js';
import { UNSUPPORTED_KEYWORDS } from './schema/common.js';

/** Keys that are never an action name: task (and handler) keywords, plus with_* loops. */
const NOT_ACTIONS = new Set([...Object.keys(taskKeywords), 'listen', 'static', ...UNSUPPORTED_KEYWORDS.keys()]);

export function isKeywordKey(key: string): boolean {
  return NOT_ACTIONS.has(key) || key.startsWith('with_');
}

export interface ParsedAction {
  action: ResolvedAction;
  /** The key the action was written under (`copy`, `ansible.builtin.copy`, `action`, `local_action`). */
  key: string;
  args: Record<string, unknown>;
  /** Where each top-level argument was written, for error positions. */
  argPos: (arg?: string, pointer?: string) => SourcePos;
  delegateToLocalhost: boolean;
}

function unknownModule(name: string, opts: LoaderOptions, pos: SourcePos): ConfigError {
  const hint = suggestAction(name, opts.modules);
  return new ConfigError(`unknown module '${name}'${hint ? ` (did you mean \`${hint}\`?)` : ''}`, pos);
}

function checkRaw(action: ResolvedAction): boolean {
  return action.def?.freeForm === true;
}

/** `action: copy src=a dest=b` / `action: {module: copy, src: a}`: the module name comes from the value. */
function oldStyle(value: unknown, ds: Record<string, unknown>, key: string, opts: LoaderOptions): { action: ResolvedAction; args: Record<string, unknown>; source?: object } {
  const pos = valuePos(ds, key);
  let name: string;
  let rest = '';
  let args: Record<string, unknown> = {};
  let source: object | undefined;
  if (typeof value === 'string') {
    const tokens = splitArgs(value, pos);
    if (tokens.length === 0) throw new ConfigError(`'${key}' needs a module name`, pos);
    name = tokens[0].trim();
    rest = tokens.slice(1).join(' ');
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as Record<string, unknown>).module === 'string') {
    const tokens = splitArgs((value as Record<string, unknown>).module as string, pos);
    name = (tokens[0] ?? '').trim();
    rest = tokens.slice(1).join(' ');
    args = { ...(value as Record<string, unknown>) };
    delete args.module;
    source = value;
  } else {
    throw new ConfigError(`unexpected parameter type in '${key}': ${jsType(value)} (a string or a mapping with 'module:' is needed)`, pos);
  }
  // a templated module name is resolved when the task runs, with the host's variables
  const action = isTemplate(name) ? { name } : resolveAction(name, opts.modules);
  if (!action) throw unknownModule(name, opts, pos);
  const kv = parseKeyValue(rest, { checkRaw: checkRaw(action), pos });
  Object.assign(args, kv.params);
  if (kv.raw !== '') args._raw_params = kv.raw;
  return { action, args, source };
}

function newStyle(value: unknown, action: ResolvedAction, key: string, ds: Record<string, unknown>): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value === 'string') {
    const kv = parseKeyValue(value, { checkRaw: checkRaw(action), pos: valuePos(ds, key) });
    return kv.raw === '' ? kv.params : { ...kv.params, _raw_params: kv.raw };
  }
  if (typeof value === 'object' && !Array.isArray(value)) return { ...(value as Record<string, unknown>) };
  throw new ConfigError(`${action.name}: arguments must be a mapping or key=value text, got ${jsType(value)}`, valuePos(ds, key));
}

/** Actions Ansible lists in RAW_PARAM_MODULES although they take no free-form text. */
const RUNTIME_RAW_PARAMS = new Set(['add_host', 'group_by', 'set_fact']);

/**
 * Ansible's ModuleArgsParser: finds the one action of a task and its arguments, from the
 * module-name key, `action:` or `local_action:`, merged over `args:`.
 */
export function parseTaskAction(ds: Record<string, unknown>, opts: LoaderOptions, pos: SourcePos): ParsedAction {
  const extra = ds.args;
  let base: Record<string, unknown> = {};
  if (typeof extra === 'string') {
    // Ansible's "variable params": the mapping comes from a template, merged under the
    // task's own arguments when the task runs (src/executor/module-args.ts).
    if (isTemplate(extra)) base = { [VARIABLE_PARAMS]: extra };
    else throw new ConfigError("Complex args containing variables cannot use bare variables (without Jinja2 delimiters), and must use the full variable style ('{{var_name}}')", valuePos(ds, 'args'));
  } else if (extra !== undefined && extra !== null) {
    if (typeof extra !== 'object' || Array.isArray(extra)) throw new ConfigError(`'args' must be a mapping, got ${jsType(extra)}`, valuePos(ds, 'args'));
    base = extra as Record<string, unknown>;
  }

  const found: { key: string; action: ResolvedAction; args: Record<string, unknown>; source?: object }[] = [];
  if ('action' in ds && 'local_action' in ds) throw new ConfigError('action and local_action are mutually exclusive', keyPos(ds, 'local_action'));
  for (const key of ['action', 'local_action']) {
    if (key in ds) found.push({ key, ...oldStyle(ds[key], ds, key, opts) });
  }
  let firstUnknown: string | undefined;
  for (const [key, value] of Object.entries(ds)) {
    if (isKeywordKey(key)) continue;
    const action = resolveAction(key, opts.modules);
    if (!action) {
      firstUnknown ??= key;
      continue;
    }
    found.push({ key, action, args: newStyle(value, action, key, ds), source: typeof value === 'object' && value !== null ? value : undefined });
  }
  if (found.length === 0) {
    if (firstUnknown !== undefined) throw unknownModule(firstUnknown, opts, keyPos(ds, firstUnknown));
    throw new ConfigError('a task needs exactly one action (found none)', pos);
  }
  if (found.length > 1) {
    throw new ConfigError(`a task needs exactly one action (found ${found.map((f) => f.key).join(' and ')})`, keyPos(ds, found[1].key));
  }
  const { key, action, source } = found[0];
  const args = { ...base, ...found[0].args };

  if (args._raw_params !== undefined && args._raw_params !== '' && !acceptsRawParams(action)) {
    const raw = String(args._raw_params);
    if (isTemplate(raw)) {
      delete args._raw_params;
      args[VARIABLE_PARAMS] = raw;
    } else if (RUNTIME_RAW_PARAMS.has(action.name)) {
      // Ansible lets these actions have free-form text and fails the task when it runs
    } else throw new ConfigError(`${action.name}: free-form text '${raw}' is not allowed for this module; use key=value pairs or a mapping`, valuePos(ds, key));
  }
  if (action.def && !action.def.freeForm) {
    for (const a of Object.keys(args)) {
      if (a.startsWith('_ansible_')) throw new ConfigError(`invalid parameter specified for action '${action.name}': '${a}'`, valuePos(ds, key));
    }
  }

  const argPos = (arg?: string, pointer?: string): SourcePos => {
    if (arg !== undefined) {
      // Below the top level, point at the offending value; at it, at the argument's key.
      const deep = pointer !== undefined && pointer.split('/').length > 2;
      for (const from of [source, base]) {
        if (from && Object.prototype.hasOwnProperty.call(from, arg)) return deep ? pointerPos(from, pointer, keyPos(from, arg)) : keyPos(from, arg);
      }
    }
    return valuePos(ds, key, pos);
  };
  return { action, key, args, argPos, delegateToLocalhost: key === 'local_action' };
}
