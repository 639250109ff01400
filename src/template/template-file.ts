import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { TemplateEnv } from './context.js';
import { renderEjs } from './ejs.js';
import { TemplateError } from './errors.js';
import { renderJinjaFile, type JinjaFileOptions } from './jinja-file.js';
import { overlayVars } from './var-source.js';

export type TemplateFileOptions = Omit<JinjaFileOptions, 'searchPath'>;

/**
 * The template module's renderer: `.ejs` files are EJS, every other file is Jinja2 with
 * Ansible's environment. Includes/imports are found the way Ansible's template action looks:
 * each search path entry's templates/ dir, then the entry itself, then the template's own dir.
 */
export async function renderTemplateFile(path: string, env: TemplateEnv, opts: TemplateFileOptions = {}): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new TemplateError(`cannot read template ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (path.endsWith('.ejs')) {
    return renderEjs(text, resolve(path), opts.vars ? { ...env, vars: overlayVars(opts.vars, env.vars) } : env);
  }
  const searchPath = [...(env.searchPath ?? []), dirname(resolve(path))].flatMap((p) => [join(p, 'templates'), p]);
  return renderJinjaFile(text, path, env, { ...opts, searchPath });
}
