import { ConfigError, type SourcePos } from '../util/errors.js';
import type { Keywords, Task } from './types.js';
import { keyPos, valuePos } from './source.js';
import { isTemplate } from './template-text.js';
import { copyFloatMarks } from '../yaml/float-marks.js';

export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Keywords copied as they are (the executor templates and coerces them). */
const PLAIN_KEYWORDS = [
  'become', 'become_user', 'become_method', 'no_log', 'ignore_errors', 'ignore_unreachable',
  'delegate_to', 'run_once', 'any_errors_fatal', 'check_mode', 'diff', 'remote_user',
] as const;

/**
 * Ansible keywords tsrun keeps but the Keywords contract does not name; they ride along as extra
 * properties (`(task as KeywordExtras).connection`).
 */
export const EXTRA_KEYWORDS = ['connection', 'port', 'throttle', 'timeout', 'delegate_facts', 'become_flags', 'become_exe'] as const;
export type KeywordExtras = Partial<Record<(typeof EXTRA_KEYWORDS)[number], unknown>>;

export function toList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function stringList(value: unknown): string[] {
  return toList(value).map((v) => String(v));
}

/** `tags: a,b` splits on commas; list items are kept whole (Ansible's Taggable). */
export function normaliseTags(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map((v) => String(v));
  return String(value)
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

export function normaliseVars(ds: Record<string, unknown>, what: string): Record<string, unknown> {
  const raw = ds.vars;
  if (raw === undefined || raw === null) return {};
  const parts = Array.isArray(raw) ? raw : [raw];
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [k, v] of Object.entries(part as Record<string, unknown>)) {
      if (!VARIABLE_NAME.test(k)) {
        throw new ConfigError(`invalid variable name in vars specified for ${what}: '${k}' is not a valid variable name`, keyPos(part, k, valuePos(ds, 'vars')));
      }
      out[k] = v;
    }
    copyFloatMarks(part as object, out);
  }
  return out;
}

/**
 * Keywords tsrun implements for some values only. Any other value is refused, never silently
 * ignored: a literal one when the file loads (file:line), a templated one (or an
 * ansible_become_* variable) when the task runs.
 */
const PARTLY_IMPLEMENTED: Record<string, { values: readonly string[]; why: string }> = {
  become_method: { values: ['sudo'], why: 'only sudo is implemented' },
  become_exe: { values: ['sudo'], why: 'sudo is run as `sudo`' },
  become_flags: { values: ['-H -S -n', '-H -S', ''], why: 'sudo runs with its own flags (-S -H -p PROMPT -u USER)' },
  debugger: { values: ['never'], why: 'there is no task debugger' },
};

/** Why `value` of `keyword` is refused, or undefined when tsrun does what it asks. */
export function unimplementedValue(keyword: string, value: unknown): string | undefined {
  const rule = PARTLY_IMPLEMENTED[keyword];
  if (!rule || value === undefined || value === null || rule.values.includes(String(value).trim())) return undefined;
  return `${keyword} '${String(value)}' is not supported by tsrun (${rule.why})`;
}

/** collections: only the built-in ones exist in tsrun; another would make short names mean modules tsrun does not have. */
const BUILTIN_COLLECTIONS = ['ansible.builtin', 'ansible.legacy'];

function refuseUnimplemented(ds: Record<string, unknown>, pos: SourcePos): void {
  for (const k of Object.keys(PARTLY_IMPLEMENTED)) {
    const v = ds[k];
    if (isTemplate(v)) continue;
    const why = unimplementedValue(k, v);
    if (why) throw new ConfigError(why, valuePos(ds, k, pos));
  }
  for (const c of toList(ds.collections)) {
    if (!BUILTIN_COLLECTIONS.includes(String(c))) throw new ConfigError(`collection '${String(c)}' is not available in tsrun (only ${BUILTIN_COLLECTIONS.join(', ')})`, valuePos(ds, 'collections', pos));
  }
}

/** The keywords every play, block, task and role entry shares. */
export function commonKeywords(ds: Record<string, unknown>, what: string, pos: SourcePos): Keywords & KeywordExtras {
  const kw: Keywords & KeywordExtras = {
    when: toList(ds.when),
    tags: normaliseTags(ds.tags),
    vars: normaliseVars(ds, what),
    environment: toList(ds.environment),
    pos,
  };
  refuseUnimplemented(ds, pos);
  if (ds.name !== undefined && ds.name !== null) kw.name = String(ds.name);
  for (const k of PLAIN_KEYWORDS) if (ds[k] !== undefined) kw[k] = ds[k];
  for (const k of EXTRA_KEYWORDS) if (ds[k] !== undefined) kw[k] = ds[k];
  return kw;
}

/**
 * A parent's keywords pushed into a child, for places where the contract has no room for the
 * parent (handlers are a flat list): conditions and environment outermost first, tags and vars
 * merged, other keywords only where the child has none.
 */
export function inheritInto(parent: Keywords & KeywordExtras, child: Task): Task {
  const out: Task & KeywordExtras = {
    ...child,
    when: [...parent.when, ...child.when],
    tags: [...new Set([...parent.tags, ...child.tags])],
    vars: { ...parent.vars, ...child.vars },
    environment: [...parent.environment, ...child.environment],
  };
  const o = out as unknown as Record<string, unknown>;
  const p = parent as unknown as Record<string, unknown>;
  for (const k of [...PLAIN_KEYWORDS, ...EXTRA_KEYWORDS]) if (o[k] === undefined && p[k] !== undefined) o[k] = p[k];
  return out;
}
