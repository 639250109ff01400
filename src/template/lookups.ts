import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { searchFile } from '../util/file-search.js';
import type { Scope } from './context.js';
import { EvalError } from './errors.js';
import { str } from './python.js';
import { isPlainObject } from './values.js';
import type { Delimiters } from './jinja-lexer.js';
import { literalEval } from './literal.js';

/** A file a lookup names: the one file search (util/file-search.ts) over the task's search path. */
export function findInSearchPath(path: string, scope: Scope, subdir: string): string | undefined {
  return searchFile(scope.env.searchPath ?? [process.cwd()], path, subdir).found;
}

/** A template file the `template` lookup renders: where it is, where its includes are, its delimiters. */
export interface LookupTemplate {
  path: string;
  /** Directories {% include %} searches, in order. */
  includeDirs: string[];
  delimiters: Partial<Delimiters>;
}

/** Renders template text in a scope: handed in by the interpreter (the `template` lookup needs it; importing it would be a cycle). */
export type TextRenderer = (text: string, scope: Scope, file?: LookupTemplate) => string;

const DELIMITER_KWARGS: Record<string, keyof Delimiters> = {
  variable_start_string: 'varStart',
  variable_end_string: 'varEnd',
  comment_start_string: 'commentStart',
  comment_end_string: 'commentEnd',
};

/**
 * Ansible's template lookup: includes are searched in the template's own directory, then each
 * search path entry's templates/ and the entry itself; with convert_data (the default) a rendered
 * "{...}" / "[...]" comes back as data.
 */
function templateLookup(term: string, kw: Record<string, unknown>, scope: Scope, render: TextRenderer): unknown {
  const found = findInSearchPath(term, scope, 'templates');
  if (!found) throw new EvalError(`the template file ${term} could not be found for the lookup`);
  const delimiters: Partial<Delimiters> = {};
  for (const [k, d] of Object.entries(DELIMITER_KWARGS)) if (kw[k] !== undefined && kw[k] !== null) delimiters[d] = str(kw[k]);
  const includeDirs = [dirname(found), ...(scope.env.searchPath ?? []).flatMap((p) => [join(p, 'templates'), p])];
  const vars = isPlainObject(kw.template_vars) ? kw.template_vars : {};
  const inner = scope.child();
  for (const [k, v] of Object.entries(vars)) inner.set(k, v);
  const out = render(readFileSync(found, 'utf8'), inner, { path: found, includeDirs, delimiters });
  if (kw.convert_data === false || !(out.startsWith('{') || out.startsWith('['))) return out;
  const lit = literalEval(out);
  return lit ? lit.value : out;
}

type Lookup = (terms: unknown[], kwargs: Record<string, unknown>, scope: Scope, render: TextRenderer) => unknown[];

const LOOKUPS: Record<string, Lookup> = {
  env: (terms, kw) => terms.map((t) => process.env[str(t)] ?? (kw.default === undefined ? '' : kw.default)),
  file: (terms, kw, scope) =>
    terms.map((t) => {
      const found = findInSearchPath(str(t), scope, 'files');
      if (!found) throw new EvalError(`The 'file' lookup had an issue accessing the file '${str(t)}'. file not found`);
      const text = readFileSync(found, 'utf8');
      const rstrip = kw.rstrip === undefined ? true : Boolean(kw.rstrip);
      const lstrip = Boolean(kw.lstrip);
      let out = rstrip ? text.replace(/\s+$/, '') : text;
      if (lstrip) out = out.replace(/^\s+/, '');
      return out;
    }),
  template: (terms, kw, scope, render) => terms.map((t) => templateLookup(str(t), kw, scope, render)),
  pipe: (terms) =>
    terms.map((t) => {
      try {
        return execSync(str(t), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(/\s+$/, '');
      } catch (err) {
        throw new EvalError(`lookup_plugin.pipe(${str(t)}) returned ${(err as { status?: number }).status ?? 'an error'}`);
      }
    }),
  vars: (terms, kw, scope) =>
    terms.map((t) => {
      const v = scope.get(str(t));
      if (v !== undefined || scope.has(str(t))) return v ?? null;
      if (kw.default !== undefined) return kw.default;
      throw new EvalError(`No variable found with this name: ${str(t)}`);
    }),
  items: (terms) => terms.flatMap((t) => (Array.isArray(t) ? t : [t])),
  list: (terms) => terms,
  indexed_items: (terms) => (terms.flatMap((t) => (Array.isArray(t) ? t : [t])) as unknown[]).map((x, i) => [i, x]),
  dict: (terms) =>
    terms.flatMap((t) => (isPlainObject(t) ? Object.entries(t).map(([key, value]) => ({ key, value })) : [])),
  first_found: (terms, kw, scope) => {
    const flat = terms.flatMap((t) => (Array.isArray(t) ? t : [t]));
    const names = flat.flatMap((t) => (isPlainObject(t) ? [(t.files as unknown) ?? []].flat() : [t])).map(str);
    for (const n of names) {
      const f = findInSearchPath(n, scope, 'files');
      if (f) return [f];
    }
    // `skip` may come as a keyword or inside a `{files: [...], skip: true}` term
    if (kw.skip || flat.some((t) => isPlainObject(t) && t.skip === true)) return [];
    throw new EvalError('No file was found when using first_found.');
  },
};

/** lookup(): comma-joined text unless wantlist=True; query(): always a list. */
export function runLookup(name: string, terms: unknown[], kwargs: Record<string, unknown>, scope: Scope, asList: boolean, render: TextRenderer): unknown {
  const impl = LOOKUPS[name.replace(/^ansible\.builtin\./, '')];
  if (!impl) throw new EvalError(`lookup plugin (${name}) not found`);
  const { wantlist, errors, ...rest } = kwargs;
  let out: unknown[];
  try {
    out = impl(terms, rest, scope, render);
  } catch (err) {
    if (errors === 'ignore') return asList ? [] : null;
    throw err;
  }
  if (asList || wantlist) return out;
  // Ansible joins string results with ","; other results come back as they are (one item unwrapped)
  if (out.every((x) => typeof x === 'string')) return out.join(',');
  return out.length === 1 ? out[0] : out;
}
