import { PyRegexError, pyRegex, pySubn, type PyRegexOptions } from '../util/pyregex.js';
import { EvalError } from './errors.js';

/** util/pyregex for templates: a bad pattern or replacement is the template's EvalError. */
function asEvalError<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof PyRegexError) throw new EvalError(err.message);
    throw err;
  }
}

export function templateRegex(pattern: string, opts: PyRegexOptions = {}): RegExp {
  return asEvalError(() => pyRegex(pattern, opts));
}

/** Jinja's regex_replace: Python re.sub with an optional count (0 = all). */
export function templateSub(text: string, pattern: string, replacement: string, opts: PyRegexOptions, count: number): string {
  return asEvalError(() => pySubn(pyRegex(pattern, { ...opts, global: true }), replacement, text, count).text);
}
