import { FILTER_BODY, type Expr, type MacroParam, type Node } from './ast.js';
import { Scope } from './context.js';
import { EvalError, TemplateError } from './errors.js';
import { str } from './python.js';
import { PyFunction, Undefined } from './values.js';
import { plainVars } from './var-source.js';

export type Render = (nodes: Node[], scope: Scope, out: unknown[]) => void;
export type Evaluate = (e: Expr, scope: Scope) => unknown;

type StatementNode = Extract<Node, { t: 'macro' | 'callblock' | 'filterblock' | 'with' | 'include' | 'import' | 'fromimport' }>;

const renderToString = (render: Render, nodes: Node[], scope: Scope): string => {
  const parts: unknown[] = [];
  render(nodes, scope, parts);
  return parts.map(str).join('');
};

/** A Jinja macro: a function rendering its body in a child of the scope it was defined in. */
function makeMacro(name: string, params: MacroParam[], body: Node[], closure: Scope, render: Render, evaluate: Evaluate): PyFunction {
  // Jinja accepts extra positional/keyword arguments only when the body uses varargs/kwargs
  const text = JSON.stringify(body);
  const takesVarargs = text.includes('"name":"varargs"');
  const takesKwargs = text.includes('"name":"kwargs"');
  return new PyFunction(name, (args, kwargs) => {
    const s = closure.child();
    const rest = { ...kwargs };
    const caller = rest.caller;
    delete rest.caller;
    params.forEach((p, i) => {
      if (i < args.length) {
        if (p.name in rest) throw new EvalError(`macro '${name}' got multiple values for argument '${p.name}'`);
        s.set(p.name, args[i]);
      } else if (p.name in rest) {
        s.set(p.name, rest[p.name]);
        delete rest[p.name];
      } else if (p.default) s.set(p.name, evaluate(p.default, s));
      else s.set(p.name, new Undefined(`No value for argument '${p.name}' in macro '${name}'`, p.name));
    });
    const extra = args.slice(params.length);
    if (extra.length && !takesVarargs) throw new EvalError(`macro '${name}' takes not more than ${params.length} argument(s)`);
    const unknown = Object.keys(rest);
    if (unknown.length && !takesKwargs) throw new EvalError(`macro '${name}' takes no keyword argument '${unknown[0]}'`);
    s.set('varargs', extra);
    s.set('kwargs', rest);
    if (caller !== undefined) s.set('caller', caller);
    return renderToString(render, body, s);
  });
}

/** Names of the templates an include/import expression names (a string or a list to try in order). */
function templateNames(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(str);
  return [str(v)];
}

function loadTemplate(names: string[], scope: Scope, ignoreMissing: boolean): { name: string; nodes: Node[] } | undefined {
  const loader = scope.env.loader;
  for (const name of names) {
    const nodes = loader?.load(name);
    if (nodes) return { name, nodes };
  }
  if (ignoreMissing) return undefined;
  throw new TemplateError(names.length === 1 ? `TemplateNotFound: ${names[0]}` : `TemplatesNotFound: none of the templates given were found: ${names.join(', ')}`);
}

/** Errors inside another template name that template, not the one including it. */
function inTemplate<T>(name: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const e = err as { templateFile?: string; templateLine?: number };
    if (err instanceof Error && e.templateLine !== undefined) e.templateFile ??= name;
    throw err;
  }
}

/** "without context": only the globals (lookup, range, ...), not the play's variables. */
const globalsOnly = (scope: Scope) => new Scope({ ...scope.env, vars: plainVars({}) });

/** Variables an imported template exports: its top-level sets and macros, except "_private". */
function importModule(template: Expr, withContext: boolean, scope: Scope, render: Render, evaluate: Evaluate): Record<string, unknown> {
  const { name, nodes } = loadTemplate(templateNames(evaluate(template, scope)), scope, false)!;
  const s = withContext ? scope.child() : globalsOnly(scope);
  inTemplate(name, () => render(nodes, s, []));
  const mod: Record<string, unknown> = {};
  for (const [k, v] of s.ownEntries()) if (!k.startsWith('_')) mod[k] = v;
  return mod;
}

export function renderStatement(n: StatementNode, scope: Scope, out: unknown[], render: Render, evaluate: Evaluate): void {
  switch (n.t) {
    case 'macro':
      scope.set(n.name, makeMacro(n.name, n.params, n.body, scope, render, evaluate));
      return;
    case 'callblock': {
      const caller = makeMacro('caller', n.params, n.body, scope, render, evaluate);
      const call = { ...n.call, kwargs: [...n.call.kwargs, ['caller', { t: 'const', value: caller }] as [string, Expr]] };
      out.push(evaluate(call, scope));
      return;
    }
    case 'filterblock': {
      const s = scope.child();
      s.set(FILTER_BODY, renderToString(render, n.body, scope.child()));
      out.push(evaluate(n.filter, s));
      return;
    }
    case 'with': {
      const s = scope.child();
      for (const [name, e] of n.assigns) s.set(name, evaluate(e, scope));
      render(n.body, s, out);
      return;
    }
    case 'include': {
      const found = loadTemplate(templateNames(evaluate(n.template, scope)), scope, n.ignoreMissing);
      if (!found) return;
      const s = n.withContext ? scope.child() : globalsOnly(scope);
      inTemplate(found.name, () => render(found.nodes, s, out));
      return;
    }
    case 'import':
      scope.set(n.target, importModule(n.template, n.withContext, scope, render, evaluate));
      return;
    case 'fromimport': {
      const mod = importModule(n.template, n.withContext, scope, render, evaluate);
      for (const [name, alias] of n.names) {
        scope.set(alias, Object.prototype.hasOwnProperty.call(mod, name) ? mod[name] : new Undefined(`the template does not export the requested name '${name}'`, name));
      }
      return;
    }
  }
}

/** Applies the filter chain of `{% set x | f %}` to the rendered body. */
export function filterBlockText(filter: Expr, text: string, scope: Scope, evaluate: Evaluate): unknown {
  const s = scope.child();
  s.set(FILTER_BODY, text);
  return evaluate(filter, s);
}
