import ejs from 'ejs';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { TemplateEnv } from './context.js';
import { TemplateError, UndefinedVariableError } from './errors.js';
import { filters } from './public-filters.js';
import { locateSyntaxError, plainRuntimeMessage, sourceLine } from './ejs-errors.js';

const JS_IDENT = /^[A-Za-z_$][\w$]*$/;
const JS_RESERVED = new Set(['default', 'in', 'delete', 'new', 'class', 'function', 'return']);
/** Names EJS's compiled function uses itself; the `with` proxy must not capture them. */
const EJS_INTERNAL = new Set(['escapeFn', 'rethrow', 'locals', '__output', '__append', '__line', '__lines', '__filename']);
const TOP_LEVEL_FILTERS = Object.keys(filters).filter((n) => JS_IDENT.test(n) && !JS_RESERVED.has(n));

type Lookup = (name: string) => { found: boolean; value?: unknown };

function scopeProxy(lookup: Lookup): object {
  return new Proxy(Object.create(null) as object, {
    has: (_t, key) => typeof key === 'string' && !EJS_INTERNAL.has(key) && lookup(key).found,
    get: (_t, key) => (typeof key === 'string' ? lookup(key).value : undefined),
  });
}

function shortMessage(err: Error, file: string): { line?: number; message: string } {
  // EJS's rethrow turns the message into "file:line\n<context lines>\n\n<original message>"
  const m = /^[^\n]*:(\d+)\n[\s\S]*?\n\n([\s\S]*)$/.exec(err.message);
  if (m && (err as { path?: string }).path === file) return { line: Number(m[1]), message: m[2] };
  return { message: err.message.split('\n')[0] };
}

/** What `<%=` does with a value: text as it is (undefined and null print nothing, as in EJS). */
function rawText(v: unknown): string {
  return v === undefined || v === null ? '' : String(v);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

/** EJS's own escaping, for templates that do produce HTML/XML: `<%= escape_html(x) %>`. */
export function escapeHtml(v: unknown): string {
  return rawText(v).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

type Compiled = (data: object) => string;
/** The same template is usually rendered once per host: compile it once. */
const compiled = new Map<string, Compiled>();

function compile(text: string, file: string): Compiled {
  const key = `${file}\0${text}`;
  let fn = compiled.get(key);
  if (fn) return fn;
  try {
    // `<%=` writes raw text: these are config files (JSON, INI, shell), where HTML escaping
    // corrupts values (`it's` -> `it&#39;s`). Escape where asked, with escape_html().
    fn = ejs.compile(text, { filename: file, compileDebug: true, _with: true, localsName: 'locals', async: false, client: false, escape: rawText }) as unknown as Compiled;
  } catch (err) {
    const { line, message } = locateSyntaxError(text, file, (err as Error).message);
    throw new TemplateError(`${file}:${line}: EJS syntax error: ${message}\n    ${sourceLine(text, line).trim()}`, err);
  }
  if (compiled.size > 500) compiled.clear();
  compiled.set(key, fn);
  return fn;
}

function render(text: string, file: string, env: TemplateEnv, extra: Record<string, unknown>): string {
  const fn = compile(text, file);
  const include = (path: string, data?: Record<string, unknown>) => {
    const target = resolve(dirname(file), path.endsWith('.ejs') || /\.[^/]+$/.test(path) ? path : `${path}.ejs`);
    let body: string;
    try {
      body = readFileSync(target, 'utf8');
    } catch {
      throw new TemplateError(`${file}: included template '${path}' not found (${target})`);
    }
    return render(body, target, env, { ...extra, ...(data ?? {}) });
  };
  const lookup: Lookup = (name) => {
    if (Object.prototype.hasOwnProperty.call(extra, name)) return { found: true, value: extra[name] };
    if (name === 'include') return { found: true, value: include };
    if (env.vars.has(name)) return { found: true, value: env.vars.lookup(name) };
    if (name === 'filters') return { found: true, value: filters };
    if (name === 'escape_html') return { found: true, value: escapeHtml };
    if (TOP_LEVEL_FILTERS.includes(name)) return { found: true, value: filters[name] };
    return { found: false };
  };
  try {
    return fn(scopeProxy(lookup));
  } catch (err) {
    if (err instanceof TemplateError && (err as { ejsLocated?: boolean }).ejsLocated) throw err;
    const { line, message } = shortMessage(err as Error, file);
    const where = `${file}${line !== undefined ? `:${line}` : ''}`;
    const ctx = env.context ? `, ${env.context}` : '';
    const undef = /^(\S+) is not defined$/.exec(message);
    const shown = line !== undefined ? `\n    ${sourceLine(text, line).trim()}` : '';
    const out = undef
      ? new UndefinedVariableError(`${where}: '${undef[1]}' is undefined${ctx}`, undef[1])
      : new TemplateError(`${where}: ${plainRuntimeMessage(message)}${ctx}${shown}`, err);
    (out as { ejsLocated?: boolean }).ejsLocated = true;
    throw out;
  }
}

export function renderEjs(text: string, file: string, env: TemplateEnv): string {
  return render(text, resolve(file), env, {});
}

export async function renderEjsFile(path: string, env: TemplateEnv): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new TemplateError(`cannot read template ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return render(text, resolve(path), env, {});
}
