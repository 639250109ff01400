/** Ansible's fileglob lookup: files (not directories) matching a pattern, in the first search directory that has any. */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import picomatch from 'picomatch';
import { str } from '../python.js';
import { findInSearchPath, termList, type Lookup } from './types.js';

/** Python's glob.glob on one directory level: hidden names only when the pattern starts with a dot. */
function globFiles(dir: string, pattern: string): string[] {
  const match = picomatch(pattern, { dot: pattern.startsWith('.') });
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  // sorted: Python's glob order is the directory's, which differs between machines
  return names.sort().filter((n) => match(n)).map((n) => join(dir, n)).filter((p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  });
}

export const fileglob: Lookup = (terms, _kw, ctx) =>
  termList(terms).flatMap((t) => {
    const term = str(t);
    const file = basename(term);
    let dirs: (string | undefined)[];
    if (file !== term) dirs = [findInSearchPath(dirname(term), ctx.scope, 'files')];
    else {
      const search = ctx.scope.get('ansible_search_path');
      const paths = Array.isArray(search) ? search.map(str) : (ctx.scope.env.searchPath ?? [process.cwd()]);
      dirs = paths.flatMap((p) => [join(p, 'files'), p]);
    }
    for (const dir of dirs) {
      const found = dir ? globFiles(dir, file) : [];
      if (found.length) return found;
    }
    return [];
  });
