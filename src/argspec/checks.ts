/**
 * Ansible's checks between options (module_utils/common/validation.py): mutually_exclusive,
 * required_together, required_one_of, required_if, required_by. Each throws CheckError with
 * Ansible's message for the first group that fails. A role's argument spec uses them inside
 * `options` of a dict option (Ansible's role validation honours them only there).
 */
import { pyStr } from '../util/python-repr.js';
import { pyEquals as pyEq, truthy } from '../template/python.js';

export class CheckError extends Error {}

type Params = Record<string, unknown>;

/** Python iterates a str by characters and a dict by keys. */
function items(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (v !== null && typeof v === 'object') return Object.keys(v);
  return [v];
}

/** count_terms: how many of the names (one name or a list of them) are keys of params. */
function countTerms(terms: unknown, params: Params): number {
  const names = typeof terms === 'string' || terms === null || typeof terms !== 'object' ? [terms] : items(terms);
  return new Set(names.filter((n) => typeof n === 'string' && Object.prototype.hasOwnProperty.call(params, n))).size;
}

const joined = (v: unknown, sep: string): string => items(v).map((x) => pyStr(x)).join(sep);

function fail(msg: string, context: readonly string[]): never {
  throw new CheckError(context.length > 0 ? `${msg} found in ${context.join(' -> ')}` : msg);
}

export function checkRequiredArguments(spec: Record<string, Record<string, unknown>>, params: Params, context: readonly string[] = []): void {
  const missing = Object.entries(spec).filter(([k, v]) => truthy(v.required) && !Object.prototype.hasOwnProperty.call(params, k)).map(([k]) => k);
  if (missing.length > 0) fail(`missing required arguments: ${missing.sort().join(', ')}`, context);
}

export function checkMutuallyExclusive(terms: unknown, params: Params, context: readonly string[] = []): void {
  if (terms === null || terms === undefined) return;
  const hits = items(terms).filter((check) => countTerms(check, params) > 1);
  if (hits.length > 0) fail(`parameters are mutually exclusive: ${hits.map((c) => joined(c, '|')).join(', ')}`, context);
}

export function checkRequiredOneOf(terms: unknown, params: Params, context: readonly string[] = []): void {
  if (terms === null || terms === undefined) return;
  const missing = items(terms).find((term) => countTerms(term, params) === 0);
  if (missing !== undefined) fail(`one of the following is required: ${joined(missing, ', ')}`, context);
}

export function checkRequiredTogether(terms: unknown, params: Params, context: readonly string[] = []): void {
  if (terms === null || terms === undefined) return;
  const bad = items(terms).find((term) => {
    const counts = items(term).map((field) => countTerms(field, params));
    return counts.some((c) => c > 0) && counts.includes(0);
  });
  if (bad !== undefined) fail(`parameters are required together: ${joined(bad, ', ')}`, context);
}

export function checkRequiredBy(requirements: unknown, params: Params, context: readonly string[] = []): void {
  if (requirements === null || requirements === undefined || typeof requirements !== 'object') return;
  const given = (k: string): boolean => Object.prototype.hasOwnProperty.call(params, k) && params[k] !== null;
  for (const [key, value] of Object.entries(requirements as Record<string, unknown>)) {
    if (!given(key)) continue;
    const missing = (typeof value === 'string' ? [value] : items(value)).filter((r) => !given(String(r)));
    if (missing.length > 0) fail(`missing parameter(s) required by '${key}': ${missing.map((m) => pyStr(m)).join(', ')}`, context);
  }
}

export function checkRequiredIf(requirements: unknown, params: Params, context: readonly string[] = []): void {
  if (requirements === null || requirements === undefined) return;
  for (const req of items(requirements)) {
    const [key, val, needed, isOneOf] = items(req);
    const wanted = items(needed);
    const maxMissing = isOneOf ? wanted.length : 0;
    const missing = typeof key === 'string' && Object.prototype.hasOwnProperty.call(params, key) && pyEq(params[key], val) ? wanted.filter((c) => countTerms(c, params) === 0) : [];
    if (missing.length > 0 && missing.length >= maxMissing) {
      fail(`${pyStr(key)} is ${pyStr(val)} but ${isOneOf ? 'any' : 'all'} of the following are missing: ${missing.map((m) => pyStr(m)).join(', ')}`, context);
    }
  }
}

/** The checks a dict option's own spec may name, in Ansible's order. */
export const OPTION_CHECKS = [
  ['required_together', checkRequiredTogether],
  ['required_one_of', checkRequiredOneOf],
  ['required_if', checkRequiredIf],
  ['required_by', checkRequiredBy],
] as const;
