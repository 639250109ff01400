/**
 * Ansible's one word list for booleans (module_utils.parsing.convert_bool), used for module
 * arguments, task keywords, inventory/connection variables and role meta. The Jinja `bool`
 * filter is deliberately not this: Ansible's filter has its own, shorter list.
 */
const TRUE_WORDS: ReadonlySet<string> = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['n', 'no', 'off', '0', 'false', 'f']);

/** The boolean `v` stands for, or undefined when it is not one of Ansible's boolean words. */
export function parseBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (TRUE_WORDS.has(s)) return true;
  if (FALSE_WORDS.has(s)) return false;
  return undefined;
}

/** Ansible's non-strict boolean(): anything that is not a true word is false. */
export function toBool(v: unknown, dflt = false): boolean {
  if (v === undefined || v === null) return dflt;
  return parseBool(v) ?? false;
}


/** The word lists, for editor schemas that offer them. */
export const BOOL_WORDS = { true: [...TRUE_WORDS], false: [...FALSE_WORDS] };
