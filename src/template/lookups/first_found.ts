/** Ansible's first_found lookup: the first existing file of `files` (under each of `paths`), searched like the task's other files. */
import { isAbsolute, join } from 'node:path';
import { toBool } from '../../util/ansible-bool.js';
import { str } from '../python.js';
import { isMapping, typeName } from '../values.js';
import { findInSearchPath, LookupFailure, type Lookup } from './types.js';

/** A list option given as text is split on commas (Ansible's config), then each entry on `chars`. */
function splitOn(value: unknown, chars: string): string[] {
  if (value === undefined || value === null) return [];
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [value];
  return items.flatMap((v) => (Array.isArray(v) ? splitOn(v, chars) : str(v).split(new RegExp(`[${chars}]`))));
}

interface Search { names: string[]; skip: boolean }

function collect(terms: unknown[], kwargs: Record<string, unknown>, acc: Search): void {
  for (const term of terms) {
    if (Array.isArray(term)) {
      collect(term, kwargs, acc);
      continue;
    }
    let options: Record<string, unknown>;
    if (isMapping(term)) options = term;
    else if (typeof term === 'string') options = kwargs;
    else throw new LookupFailure(`Invalid term supplied, can handle string, mapping or list of strings but got: <class '${typeName(term)}'> for ${str(term)}`, 'lookup');
    const files = splitOn(options.files, ',;');
    const paths = splitOn(options.paths, ',:;');
    acc.skip = toBool(options.skip ?? false);
    if (paths.length) for (const p of paths) for (const f of files) acc.names.push(isAbsolute(f) ? f : join(p, f));
    else if (files.length) acc.names = files; // Ansible replaces what earlier terms added here
    else acc.names.push(str(term));
  }
}

export const firstFound: Lookup = (terms, kwargs, ctx) => {
  const search: Search = { names: [], skip: false };
  collect(Array.isArray(terms) ? terms : [terms], kwargs, search);
  for (const name of search.names) {
    const found = findInSearchPath(name, ctx.scope, ctx.subdir);
    if (found) return [found];
  }
  if (search.skip) return [];
  throw new LookupFailure('No file was found when using first_found.', 'lookup');
};
