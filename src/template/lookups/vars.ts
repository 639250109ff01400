/** Ansible's vars and varnames lookups: variables by name, and the names matching regexes. */
import { PyRegexError, pyRegex } from '../../util/pyregex.js';
import { str } from '../python.js';
import { typeName } from '../values.js';
import { LookupFailure, termList, type Lookup } from './types.js';

function identifier(term: unknown, its: string): string {
  if (typeof term !== 'string') throw new LookupFailure(`Invalid setting identifier, "${str(term)}" is not a string, ${its} <class '${typeName(term)}'>`);
  return term;
}

export const vars: Lookup = (terms, kw, ctx) =>
  termList(terms).map((t) => {
    const name = identifier(t, 'its a');
    const v = ctx.scope.get(name);
    if (v !== undefined || ctx.scope.has(name)) return v ?? null;
    if (kw.default !== undefined && kw.default !== null) return kw.default;
    throw new LookupFailure(`No variable found with this name: ${name}`, 'raw');
  });

export const varnames: Lookup = (terms, _kw, ctx) => {
  const names = [...ctx.scope.env.vars.names()];
  return termList(terms).flatMap((t) => {
    const term = identifier(t, 'it is a');
    let re: RegExp;
    try {
      re = pyRegex(term);
    } catch (err) {
      // Python's wording ("nothing to repeat") from the JS engine's ("Nothing to repeat")
      const why = err instanceof PyRegexError ? err.message.replace(/^.*: /, '').toLowerCase() : String(err);
      throw new LookupFailure(`Unable to use "${term}" as a search parameter: ${why}`);
    }
    return names.filter((n) => re.test(n));
  });
};
