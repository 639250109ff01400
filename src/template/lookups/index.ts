/**
 * Lookup plugins, shared by `lookup()`/`query()` in templates and `with_<name>:` loops (Ansible
 * runs a with_ loop as the lookup of that name). Each plugin lives in its own file with the
 * `Lookup` interface; this file holds the registry and the two ways of calling one.
 */
import { loaderWarning } from '../../util/warnings.js';
import type { Scope } from '../context.js';
import { EvalError } from '../errors.js';
import { csvfile } from './csvfile.js';
import { fileglob } from './fileglob.js';
import { FILE_LOOKUPS } from './files.js';
import { firstFound } from './first_found.js';
import { ini } from './ini.js';
import { LIST_LOOKUPS } from './lists.js';
import { password } from './password.js';
import { sequence } from './sequence.js';
import { subelements } from './subelements.js';
import { LookupFailure, type Lookup, type TextRenderer } from './types.js';
import { vars, varnames } from './vars.js';

export { findInSearchPath, LookupFailure, type TextRenderer } from './types.js';

const LOOKUPS: Record<string, Lookup> = {
  ...FILE_LOOKUPS, ...LIST_LOOKUPS, csvfile, fileglob, first_found: firstFound, ini, password, sequence, subelements, vars, varnames,
};

export function lookupPlugin(name: string): Lookup | undefined {
  const short = name.replace(/^ansible\.(builtin|legacy)\./, '');
  return Object.prototype.hasOwnProperty.call(LOOKUPS, short) ? LOOKUPS[short] : undefined;
}

/** A with_ loop's items: the lookup's list, its errors with the plugin's own message. */
export function loopLookup(name: string, terms: unknown[] | Record<string, unknown>, scope: Scope, render: TextRenderer, subdir: string): unknown[] {
  const impl = lookupPlugin(name);
  if (!impl) throw new EvalError(`Unexpected failure in finding the lookup named '${name}' in the available lookup plugins`);
  try {
    return impl(terms, {}, { scope, render, subdir });
  } catch (err) {
    if (!(err instanceof LookupFailure)) throw err;
    // a Python exception (not an AnsibleError) out of a loop's lookup is reported as the task executor's
    const python = err.kind === 'error' && !err.pyClass.includes('ansible.errors');
    throw new EvalError(python ? `Unexpected failure during module execution: ${err.message}` : err.message);
  }
}

/**
 * lookup(): comma-joined text unless wantlist=True; query(): always a list. A failure the plugin
 * chose (or an unexpected one) obeys `errors=strict|warn|ignore`; bad options and missing
 * variables always fail, as in Ansible.
 */
export function runLookup(name: string, terms: unknown[], kwargs: Record<string, unknown>, scope: Scope, asList: boolean, render: TextRenderer): unknown {
  const impl = lookupPlugin(name);
  if (!impl) throw new EvalError(`lookup plugin (${name}) not found`);
  const { wantlist, errors = 'strict', allow_unsafe: _unsafe, ...rest } = kwargs;
  const list = asList || Boolean(wantlist);
  let out: unknown[];
  try {
    out = impl(terms, rest, { scope, render, subdir: 'files' });
  } catch (err) {
    if (!(err instanceof LookupFailure) || err.kind === 'raw') throw err instanceof LookupFailure ? new EvalError(err.message) : err;
    // Ansible's wrapper names the exception and repeats its text (the wrapped error's own message)
    const message = err.kind === 'lookup' ? err.message
      : `An unhandled exception occurred while running the lookup plugin '${name}'. Error was a ${err.pyClass}, original message: ${err.message}. ${err.message}`;
    if (errors === 'warn') loaderWarning(err.kind === 'lookup' ? `Lookup failed but the error is being ignored: ${message}` : message);
    else if (errors !== 'ignore') throw new EvalError(message);
    return list ? [] : null;
  }
  if (list || out.length === 0) return out;
  // Ansible joins string results with ","; other results come back as they are (one item unwrapped)
  if (out.every((x) => typeof x === 'string')) return out.join(',');
  return out.length === 1 ? out[0] : out;
}
