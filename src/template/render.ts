import type { Node, Expr } from './ast.js';
import { Scope, type TemplateEnv } from './context.js';
import { EvalError, LoopLookupError, TemplateError, UndefinedVariableError } from './errors.js';
import { evalExpr, renderNodes, renderTemplateNodes, renderText } from './interpreter.js';
import { loopLookup } from './lookups/index.js';
import { keepTrailingNewlines } from './newlines.js';
import { literalEval } from './literal.js';
import { parseExpression } from './parser.js';
import { parseTemplate } from './jinja-parser.js';
import { str, truthy } from './python.js';
import { defined } from './undefined.js';
import { conditionalWarning } from './is-template.js';
import { PyTuple, Undefined, isMapping, isPlainObject, plainCopy, unbox } from './values.js';

/** Ansible's `omit` placeholder; the executor defines var `omit` as this and drops args equal to it. */
export const OMIT_TOKEN = '__omit_place_holder__tsrun';

const MAX_CACHE = 5000;
const templateCache = new Map<string, Node[]>();
const yamlTemplateCache = new Map<string, Node[]>();
const exprCache = new Map<string, Expr>();

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let v = cache.get(key);
  if (v === undefined) {
    v = make();
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(key, v);
  }
  return v;
}

export function isTemplated(text: string): boolean {
  return typeof text === 'string' && /\{[{%#]/.test(text);
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}...` : oneLine;
}

/** Adds the template text and env.context to an error, once. */
function wrap(err: unknown, text: string, env: TemplateEnv, prefix = ''): Error {
  if (err instanceof TemplateError && (err as { located?: boolean }).located) return err;
  if (!(err instanceof EvalError || err instanceof TemplateError)) {
    if (err instanceof RangeError) err = new EvalError(err.message);
    else return err as Error;
  }
  const msg = (err as Error).message;
  const where = `${prefix}${msg} in "${shorten(text)}"${env.context ? `, ${env.context}` : ''}`;
  const out = err instanceof UndefinedVariableError ? new UndefinedVariableError(where, err.variable) : new TemplateError(where, err);
  (out as { located?: boolean }).located = true;
  return out;
}

/** Renders template text to a string (used by the template lookup and renderString). */
export function renderTemplateText(text: string, scope: Scope): string {
  const nodes = cached(templateCache, text, () => parseTemplate(text));
  return renderTemplateNodes(text, nodes, scope);
}

/** Ansible's default STRING_TYPE_FILTERS: filters whose output is wanted as a string. */
const STRING_TYPE_FILTERS = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'ppretty', 'json']);

/** Ansible (jinja2_native off) turns a rendered "[..]", "{..}", "True"/"False" back into data. */
function convertBack(out: string): unknown {
  if (out.startsWith('{') || out.startsWith('[') || out === 'True' || out === 'False') {
    const lit = literalEval(out);
    if (lit) return lit.value;
  }
  return out;
}

const SINGLE_VAR = /^\{\{\s*(\w*)\s*\}\}$/;

export function renderString(text: string, env: TemplateEnv): unknown {
  if (!isTemplated(text)) return text;
  try {
    // Ansible's fast path: "{{ name }}" naming a bool/number/None variable returns it untouched.
    const single = SINGLE_VAR.exec(text);
    if (single && env.vars.has(single[1])) {
      const v = env.vars.lookup(single[1]);
      if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'number') return v ?? null;
    }
    const nodes = cached(yamlTemplateCache, text, () => parseTemplate(text, { rawStrings: true }));
    const parts: unknown[] = [];
    renderNodes(nodes, new Scope(env), parts);
    if (parts.length === 1 && nodes.length === 1 && nodes[0].t === 'output') {
      const v = parts[0];
      if ((Array.isArray(v) && !(v instanceof PyTuple)) || isPlainObject(v)) {
        return unbox(plainCopy(unbox(v)));
      }
      if (typeof v === 'boolean') return v;
      // Ansible's STRING_TYPE_FILTERS mark their output as text that must stay text
      const expr = nodes[0].expr;
      if (expr.t === 'filter' && STRING_TYPE_FILTERS.has(expr.name)) return keepTrailingNewlines(text, str(v));
      return convertBack(keepTrailingNewlines(text, str(v)));
    }
    return convertBack(keepTrailingNewlines(text, parts.map(str).join('')));
  } catch (err) {
    throw wrap(err, text, env);
  }
}

/**
 * Renders a Jinja template file's text (the `template` module, .j2 files): always a string,
 * backslash escapes in string literals processed, no conversion back to data.
 */
export function renderJinja(text: string, env: TemplateEnv, file?: string): string {
  try {
    return renderTemplateText(text, new Scope(env));
  } catch (err) {
    if (!file) throw wrap(err, text, env);
    throw wrap(err, file, env);
  }
}

/** Renders every string of a nested value, dict keys included; `leaf` renders one string. */
export function renderValue(value: unknown, env: TemplateEnv, leaf: (text: string, env: TemplateEnv) => unknown = renderString): unknown {
  if (typeof value === 'string') return leaf(value, env);
  if (Array.isArray(value)) return value.map((v) => renderValue(v, env, leaf));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[str(leaf(k, env))] = renderValue(v, env, leaf);
    return out;
  }
  return value;
}

export function evaluate(expr: string, env: TemplateEnv): unknown {
  try {
    const ast = cached(exprCache, expr, () => parseExpression(expr));
    const v = evalExpr(ast, new Scope(env));
    if (v instanceof Undefined) return v.lenient ? '' : defined(v);
    return unbox(v);
  } catch (err) {
    throw wrap(err, expr, env);
  }
}

/** `when` / `failed_when` / `changed_when` / assert `that`, the way Ansible's Conditional does it. */
export function evaluateCondition(cond: unknown, env: TemplateEnv): boolean {
  if (typeof cond === 'boolean') return cond;
  if (cond === null || cond === undefined || cond === '') return true;
  if (Array.isArray(cond)) return cond.every((c) => evaluateCondition(c, env));
  if (typeof cond !== 'string') return truthy(cond);
  if (env.warn) {
    const warning = conditionalWarning(cond);
    if (warning !== undefined) env.warn(warning);
  }
  try {
    const templated = renderString(cond, env);
    if (typeof templated !== 'string') return truthy(templated);
    if (templated === '') return false;
    const ast = cached(exprCache, templated, () => parseExpression(templated));
    return truthy(evalExpr(ast, new Scope(env)));
  } catch (err) {
    throw wrap(err, cond, env, `The conditional check '${shorten(cond)}' failed: `);
  }
}

/**
 * A `with_<name>:` loop's items: the lookup of that name over the loop's templated value, made a
 * list as Ansible's listify_lookup_plugin_terms does (a mapping stays a mapping). `subdir`:
 * where relative file names are looked for (templates/vars/files, from the task's action).
 * A lookup's failure is a TemplateError with the plugin's own message.
 */
export function loopLookupItems(name: string, value: unknown, env: TemplateEnv, subdir: string): unknown[] {
  const terms: unknown[] | Record<string, unknown> = Array.isArray(value) || isMapping(value) ? value : [value];
  try {
    return unbox(loopLookup(name, terms, new Scope(env), renderText, subdir)) as unknown[];
  } catch (err) {
    if (err instanceof EvalError) throw new LoopLookupError(err.message);
    throw err;
  }
}
