import { Scope, type TemplateEnv } from './context.js';
import { fileLoader } from './file-loader.js';
import { EvalError, TemplateError, UndefinedVariableError } from './errors.js';
import { renderNodes } from './interpreter.js';
import { DEFAULT_DELIMITERS, type Delimiters, type LexOptions } from './jinja-lexer.js';
import { parseTemplate } from './jinja-parser.js';
import { literalEval } from './literal.js';
import { str } from './python.js';
import { keepTrailingNewlines } from './newlines.js';
import { overlayVars } from './var-source.js';

/** The template module's Jinja environment settings (its arguments, or a `#jinja2:` first line). */
export interface JinjaFileOptions {
  trimBlocks?: boolean;
  lstripBlocks?: boolean;
  newlineSequence?: string;
  delimiters?: Partial<Delimiters>;
  /** Directories {% include %} / {% import %} names are looked up in, in order. */
  searchPath: string[];
  /** Variables over the task's (Ansible's template_* header variables). */
  vars?: Record<string, unknown>;
}

const OVERRIDE = '#jinja2:';
const OVERRIDE_KEYS: Record<string, keyof LexOptions | keyof Delimiters> = {
  trim_blocks: 'trimBlocks',
  lstrip_blocks: 'lstripBlocks',
  newline_sequence: 'newlineSequence',
  block_start_string: 'blockStart',
  block_end_string: 'blockEnd',
  variable_start_string: 'varStart',
  variable_end_string: 'varEnd',
  comment_start_string: 'commentStart',
  comment_end_string: 'commentEnd',
};

/** Ansible's `#jinja2: trim_blocks: False, lstrip_blocks: True` first line: settings for this template. */
function headerOverrides(text: string, opts: LexOptions, file: string): { text: string; opts: LexOptions } {
  if (!text.startsWith(OVERRIDE)) return { text, opts };
  const eol = text.indexOf('\n');
  const line = text.slice(OVERRIDE.length, eol < 0 ? text.length : eol);
  const out: LexOptions = { ...opts, delimiters: { ...(opts.delimiters ?? DEFAULT_DELIMITERS) } };
  for (const pair of line.split(',')) {
    const colon = pair.indexOf(':');
    if (colon < 0) throw new TemplateError(`${file}:1: failed to parse jinja2 override '${line}'. Did you use something different from colon as key-value separator?`);
    const key = pair.slice(0, colon).trim();
    const lit = literalEval(pair.slice(colon + 1).trim());
    const target = OVERRIDE_KEYS[key];
    if (!target || !lit) throw new TemplateError(`${file}:1: unsupported jinja2 override '${pair.trim()}'`);
    if (target in DEFAULT_DELIMITERS) (out.delimiters as unknown as Record<string, unknown>)[target] = str(lit.value);
    else (out as Record<string, unknown>)[target] = target === 'newlineSequence' ? str(lit.value) : Boolean(lit.value);
  }
  return { text: eol < 0 ? '' : text.slice(eol + 1), opts: out };
}

/** "file:line: message" for an error raised while parsing or rendering a template file. */
function located(err: unknown, file: string, env: TemplateEnv): Error {
  if (!(err instanceof TemplateError || err instanceof EvalError || err instanceof RangeError)) return err as Error;
  const e = err as Error & { templateLine?: number; templateFile?: string };
  const where = `${e.templateFile ?? file}${e.templateLine !== undefined ? `:${e.templateLine}` : ''}`;
  const msg = `${where}: ${e.message}${env.context ? `, ${env.context}` : ''}`;
  return err instanceof UndefinedVariableError ? new UndefinedVariableError(msg, err.variable) : new TemplateError(msg, err);
}

/**
 * Renders a Jinja template file's text the way Ansible's template module does: always a
 * string, the input's trailing newlines kept, includes/imports found in `searchPath`.
 */
export function renderJinjaFile(text: string, file: string, env: TemplateEnv, opts: JinjaFileOptions): string {
  try {
    const base: LexOptions = {
      trimBlocks: opts.trimBlocks ?? true,
      lstripBlocks: opts.lstripBlocks ?? false,
      newlineSequence: opts.newlineSequence ?? '\n',
      delimiters: { ...DEFAULT_DELIMITERS, ...opts.delimiters },
    };
    const header = headerOverrides(text, base, file);
    const nodes = parseTemplate(header.text, header.opts);
    const scope = new Scope({ ...env, vars: opts.vars ? overlayVars(opts.vars, env.vars) : env.vars, loader: fileLoader(opts.searchPath, header.opts) });
    const parts: unknown[] = [];
    renderNodes(nodes, scope, parts);
    return keepTrailingNewlines(header.text, parts.map(str).join(''), header.opts.newlineSequence);
  } catch (err) {
    throw located(err, file, env);
  }
}
