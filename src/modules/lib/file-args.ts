/** Reading module arguments the way Ansible coerces them (after templating, strings are common). */
import { PyRegexError } from '../../util/pyregex.js';
import { BOOL_WORDS, parseBool } from '../../util/ansible-bool.js';


/** A module-level argument problem: turned into `{failed: true, msg}` by the module runner. */
export class ArgError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgError';
  }
}

export function argBool(args: Record<string, unknown>, key: string, dflt: boolean): boolean {
  const v = args[key];
  if (v === undefined || v === null) return dflt;
  const b = parseBool(v);
  if (b !== undefined) return b;
  throw new ArgError(`argument '${key}' is of type ${typeof v} and we were unable to convert to bool: The value '${String(v)}' is not a valid boolean. Valid booleans include: ${[...BOOL_WORDS.true, ...BOOL_WORDS.false].join(', ')}`);
}

export function argStr(args: Record<string, unknown>, key: string): string | undefined {
  const v = args[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new ArgError(`argument '${key}' must be a string`);
}

/** First present of several aliases (`path`/`dest`/`name`). */
export function argStrAlias(args: Record<string, unknown>, keys: string[]): string | undefined {
  for (const k of keys) {
    const v = argStr(args, k);
    if (v !== undefined) return v;
  }
  return undefined;
}

export function argChoice<T extends string>(args: Record<string, unknown>, key: string, choices: readonly T[], dflt: T): T {
  const v = argStr(args, key);
  if (v === undefined) return dflt;
  if (!(choices as readonly string[]).includes(v)) {
    throw new ArgError(`value of ${key} must be one of: ${choices.join(', ')}, got: ${v}`);
  }
  return v as T;
}

/** Runs a module body, mapping ArgError to a failed result and leaving other errors (bugs) thrown. */
export async function guarded<T extends Record<string, unknown>>(body: () => Promise<T>): Promise<T | { failed: true; msg: string; changed: false }> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof ArgError || e instanceof PyRegexError) return { failed: true, msg: e.message, changed: false };
    throw e;
  }
}
