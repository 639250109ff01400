/** The lookups that read the controller: env, file, template, pipe, lines. */
import { execSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import type { Delimiters } from '../jinja-lexer.js';
import { literalEval } from '../literal.js';
import { isPlainObject } from '../values.js';
import { str } from '../python.js';
import { findInSearchPath, LookupFailure, readLookupFile, termList, type Lookup, type LookupContext } from './types.js';

/** Runs `command` with sh in the playbook's directory (Ansible's loader basedir); stdout, or the exit status. */
function shell(command: string, ctx: LookupContext, what: string): string {
  const dir = ctx.scope.get('playbook_dir');
  try {
    return execSync(command, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: typeof dir === 'string' ? dir : undefined });
  } catch (err) {
    throw new LookupFailure(`lookup_plugin.${what}(${command}) returned ${(err as { status?: number }).status ?? 'an error'}`);
  }
}

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
function templateLookup(term: string, kw: Record<string, unknown>, ctx: LookupContext): unknown {
  const found = findInSearchPath(term, ctx.scope, 'templates');
  if (!found) throw new LookupFailure(`the template file ${term} could not be found for the lookup`, 'lookup');
  const delimiters: Partial<Delimiters> = {};
  for (const [k, d] of Object.entries(DELIMITER_KWARGS)) if (kw[k] !== undefined && kw[k] !== null) delimiters[d] = str(kw[k]);
  const includeDirs = [dirname(found), ...(ctx.scope.env.searchPath ?? []).flatMap((p) => [join(p, 'templates'), p])];
  const inner = ctx.scope.child();
  if (isPlainObject(kw.template_vars)) for (const [k, v] of Object.entries(kw.template_vars)) inner.set(k, v);
  const out = ctx.render(readLookupFile(found).toString('utf8'), inner, { path: found, includeDirs, delimiters });
  if (kw.convert_data === false || !(out.startsWith('{') || out.startsWith('['))) return out;
  const lit = literalEval(out);
  return lit ? lit.value : out;
}

export const FILE_LOOKUPS: Record<string, Lookup> = {
  env: (terms, kw) => termList(terms).map((t) => process.env[str(t)] ?? (kw.default === undefined ? '' : kw.default)),
  file: (terms, kw, ctx) =>
    termList(terms).map((t) => {
      const found = findInSearchPath(str(t), ctx.scope, 'files');
      if (!found) throw new LookupFailure(`The 'file' lookup had an issue accessing the file '${str(t)}'. file not found`, 'lookup');
      const text = readLookupFile(found).toString('utf8');
      const rstrip = kw.rstrip === undefined ? true : Boolean(kw.rstrip);
      let out = rstrip ? text.replace(/\s+$/, '') : text;
      if (kw.lstrip) out = out.replace(/^\s+/, '');
      return out;
    }),
  template: (terms, kw, ctx) => termList(terms).map((t) => templateLookup(str(t), kw, ctx)),
  pipe: (terms, _kw, ctx) => termList(terms).map((t) => shell(str(t), ctx, 'pipe').replace(/\s+$/, '')),
  lines: (terms, _kw, ctx) => termList(terms).flatMap((t) => shell(str(t), ctx, 'lines').split(/\r\n|\n|\r/).filter((l, i, all) => i < all.length - 1 || l !== '')),
};
