/** Module-level argument problems the schema cannot express (mutually exclusive, dependent arguments): a failed task, not a crash. */
import { PyRegexError } from '../../util/pyregex.js';


/** A module-level argument problem: turned into `{failed: true, msg}` by the module runner. */
export class ArgError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgError';
  }
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
