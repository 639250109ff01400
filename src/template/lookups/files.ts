/** The lookups that read the controller: env, file, template, pipe, lines. */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { str } from '../python.js';
import { findInSearchPath, LookupFailure, termList, type Lookup, type LookupContext } from './types.js';

/** Runs `command` with sh in the playbook's directory (Ansible's loader basedir); stdout, or the exit status. */
function shell(command: string, ctx: LookupContext, what: string): string {
  const dir = ctx.scope.get('playbook_dir');
  try {
    return execSync(command, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: typeof dir === 'string' ? dir : undefined });
  } catch (err) {
    throw new LookupFailure(`lookup_plugin.${what}(${command}) returned ${(err as { status?: number }).status ?? 'an error'}`);
  }
}

export const FILE_LOOKUPS: Record<string, Lookup> = {
  env: (terms, kw) => termList(terms).map((t) => process.env[str(t)] ?? (kw.default === undefined ? '' : kw.default)),
  file: (terms, kw, ctx) =>
    termList(terms).map((t) => {
      const found = findInSearchPath(str(t), ctx.scope, 'files');
      if (!found) throw new LookupFailure(`The 'file' lookup had an issue accessing the file '${str(t)}'. file not found`, 'lookup');
      const text = readFileSync(found, 'utf8');
      const rstrip = kw.rstrip === undefined ? true : Boolean(kw.rstrip);
      let out = rstrip ? text.replace(/\s+$/, '') : text;
      if (kw.lstrip) out = out.replace(/^\s+/, '');
      return out;
    }),
  template: (terms, _kw, ctx) =>
    termList(terms).map((t) => {
      const found = findInSearchPath(str(t), ctx.scope, 'templates');
      if (!found) throw new LookupFailure(`the template file ${str(t)} could not be found for the lookup`, 'lookup');
      return ctx.render(readFileSync(found, 'utf8'), ctx.scope.child());
    }),
  pipe: (terms, _kw, ctx) => termList(terms).map((t) => shell(str(t), ctx, 'pipe').replace(/\s+$/, '')),
  lines: (terms, _kw, ctx) => termList(terms).flatMap((t) => shell(str(t), ctx, 'lines').split(/\r\n|\n|\r/).filter((l, i, all) => i < all.length - 1 || l !== '')),
};
