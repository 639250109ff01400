import type { Expr, Node } from './ast.js';
import { Scope } from './context.js';
import { EvalError, PluginNotFoundError, TemplateError } from './errors.js';
import { callMethod } from './methods.js';
import { arith } from './operators.js';
import { iterate, pyCompare, pyContains, pyEquals, str, truthy, length } from './python.js';
import { undefinedError, undefinedVar, defined, definedDeep } from './undefined.js';
import { BoundMethod, PyFunction, Undefined, isLazyMapping, isMapping, materialize, tuple, typeName } from './values.js';
import { globalFunction, isNamespace } from './globals.js';
import { FILTERS } from './filters.js';
import { callTest } from './tests.js';
import { getAttr, getItem } from './access.js';
import { DEFAULT_DELIMITERS, locate } from './jinja-lexer.js';
import { parseTemplate } from './jinja-parser.js';
import { keepTrailingNewlines } from './newlines.js';
import { filterBlockText, renderStatement } from './jinja-statements.js';
import { fileLoader } from './file-loader.js';
import type { TextRenderer } from './lookups/index.js';

function exprPath(e: Expr): string {
  if (e.t === 'name') return e.name;
  if (e.t === 'getattr') return `${exprPath(e.obj)}.${e.attr}`;
  if (e.t === 'getitem' && e.key.t === 'const') return `${exprPath(e.obj)}[${JSON.stringify(e.key.value)}]`;
  return '<expression>';
}

function sliceOf(obj: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  defined(obj);
  const seq: unknown[] = Array.isArray(obj) ? obj : typeof obj === 'string' ? [...obj] : iterate(obj);
  const n = seq.length;
  const st = step === undefined || step === null ? 1 : Number(step);
  if (st === 0) throw new EvalError('slice step cannot be zero');
  const norm = (v: unknown, dflt: number): number => {
    if (v === undefined || v === null) return dflt;
    let x = Number(v);
    if (x < 0) x += n;
    return st > 0 ? Math.min(Math.max(x, 0), n) : Math.min(Math.max(x, -1), n - 1);
  };
  const a = norm(start, st > 0 ? 0 : n - 1);
  const b = norm(stop, st > 0 ? n : -1);
  const out: unknown[] = [];
  if (st > 0) for (let i = a; i < b; i += st) out.push(seq[i]);
  else for (let i = a; i > b; i += st) out.push(seq[i]);
  return typeof obj === 'string' ? out.join('') : out;
}

export function callValue(fn: unknown, args: unknown[], kwargs: Record<string, unknown>, what: string): unknown {
  if (fn instanceof Undefined) throw undefinedError(fn);
  if (fn instanceof BoundMethod) return callMethod(fn.self, fn.name, args, kwargs);
  if (fn instanceof PyFunction) return fn.fn(args, kwargs);
  if (typeof fn === 'function') return (fn as (...a: unknown[]) => unknown)(...args);
  throw new EvalError(`'${typeName(fn)}' object is not callable (${what})`);
}

/** Filters and tests work on plain dicts; lazy mappings are resolved when handed to them. */
const plain = (v: unknown): unknown => (isLazyMapping(v) ? materialize(v) : v);

export function callFilter(name: string, value: unknown, args: unknown[], kwargs: Record<string, unknown>, scope: Scope): unknown {
  const f = FILTERS[name] ?? FILTERS[name.replace(/^ansible\.(builtin|netcommon|utils)\.|^community\.general\./, '')];
  if (!f) throw new PluginNotFoundError('filter', name);
  if (!f.acceptsUndefined) defined(value);
  return f.fn(plain(value), args.map(plain), kwargs, scope, callFilter);
}

export function evalExpr(e: Expr, scope: Scope): unknown {
  switch (e.t) {
    case 'const':
      return e.value;
    case 'name': {
      const v = scope.get(e.name);
      if (v !== undefined) return v;
      if (scope.has(e.name)) return null;
      const g = globalFunction(e.name, scope, renderText);
      return g ?? undefinedVar(e.name);
    }
    case 'list':
      return e.items.map((x) => evalExpr(x, scope));
    case 'tuple':
      return tuple(e.items.map((x) => evalExpr(x, scope)));
    case 'dict': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of e.pairs) out[str(defined(evalExpr(k, scope)))] = evalExpr(v, scope);
      return out;
    }
    case 'getattr':
      return getAttr(evalExpr(e.obj, scope), e.attr, exprPath(e));
    case 'getitem':
      return getItem(evalExpr(e.obj, scope), defined(evalExpr(e.key, scope)), exprPath(e));
    case 'slice': {
      const ev = (x?: Expr) => (x ? defined(evalExpr(x, scope)) : undefined);
      return sliceOf(evalExpr(e.obj, scope), ev(e.start), ev(e.stop), ev(e.step));
    }
    case 'call': {
      const fn = evalExpr(e.fn, scope);
      return callValue(fn, evalArgs(e.args, scope), evalKwargs(e.kwargs, scope), exprPath(e.fn));
    }
    case 'filter':
      return callFilter(e.name, evalExpr(e.node, scope), evalArgs(e.args, scope), evalKwargs(e.kwargs, scope), scope);
    case 'test': {
      const r = callTest(e.name, evalExpr(e.node, scope), evalArgs(e.args, scope), evalKwargs(e.kwargs, scope), scope);
      return e.negate ? !r : r;
    }
    case 'unary': {
      const v = evalExpr(e.node, scope);
      if (e.op === 'not') return !truthy(v);
      return arith(e.op === '-' ? 'neg' : 'pos', defined(v), undefined);
    }
    case 'binary': {
      if (e.op === 'and') {
        const l = evalExpr(e.left, scope);
        return truthy(l) ? evalExpr(e.right, scope) : l;
      }
      if (e.op === 'or') {
        const l = evalExpr(e.left, scope);
        return truthy(l) ? l : evalExpr(e.right, scope);
      }
      const l = evalExpr(e.left, scope);
      const r = evalExpr(e.right, scope);
      if (e.op === '~') return str(l) + str(r);
      return arith(e.op, defined(l), defined(r));
    }
    case 'compare': {
      let left = evalExpr(e.first, scope);
      for (const [op, rightExpr] of e.ops) {
        const right = evalExpr(rightExpr, scope);
        if (!compare(op, left, right)) return false;
        left = right;
      }
      return true;
    }
    case 'cond': {
      if (truthy(evalExpr(e.test, scope))) return evalExpr(e.then, scope);
      if (e.else) return evalExpr(e.else, scope);
      return new Undefined('the inline if-expression evaluated to false and no else section was defined', '<inline if>', true);
    }
    case 'star':
      throw new EvalError("can't use starred expression here");
  }
}

function evalKwargs(kw: [string, Expr][], scope: Scope): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of kw) {
    if (k !== '**') out[k] = evalExpr(v, scope);
    else {
      const m = evalExpr(v, scope);
      if (!isMapping(m)) throw new EvalError(`argument after ** must be a mapping, not ${typeName(m)}`);
      for (const key of isLazyMapping(m) ? m.names() : Object.keys(m)) out[key] = isLazyMapping(m) ? m.lookup(key) : m[key];
    }
  }
  return out;
}

/** A call's positional arguments, `*seq` spread. */
function evalArgs(args: Expr[], scope: Scope): unknown[] {
  return args.flatMap((a) => (a.t === 'star' ? iterate(evalExpr(a.node, scope)) : [evalExpr(a, scope)]));
}

function compare(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return pyEquals(a, b);
    case '!=':
      return !pyEquals(a, b);
    case '<':
      return pyCompare(a, b) < 0;
    case '<=':
      return pyCompare(a, b) <= 0;
    case '>':
      return pyCompare(a, b) > 0;
    case '>=':
      return pyCompare(a, b) >= 0;
    case 'in':
      return pyContains(b, a);
    case 'notin':
      return !pyContains(b, a);
  }
  throw new EvalError(`unknown operator ${op}`);
}

/** Renders nodes; `finalize` turns each printed value into text (Ansible prints None as ''). */
export function renderNodes(nodes: Node[], scope: Scope, out: unknown[]): void {
  for (const n of nodes) {
    try {
      renderNode(n, scope, out);
    } catch (err) {
      throw n.line !== undefined && err instanceof Error ? locate(err, n.line) : err;
    }
  }
}

function renderNode(n: Node, scope: Scope, out: unknown[]): void {
  switch (n.t) {
      case 'text':
        out.push(n.text);
        break;
      case 'output': {
        const v = evalExpr(n.expr, scope);
        out.push(v === null || v === undefined ? '' : definedDeep(v));
        break;
      }
      case 'if': {
        const branch = n.branches.find((b) => truthy(evalExpr(b.test, scope)));
        if (branch) renderNodes(branch.body, scope, out);
        else if (n.else) renderNodes(n.else, scope, out);
        break;
      }
      case 'for':
        renderFor(n, scope, out);
        break;
      case 'set': {
        const v = evalExpr(n.expr, scope);
        if (n.attr !== undefined) {
          const ns = scope.get(n.targets[0]);
          if (!isNamespace(ns)) throw new EvalError(`cannot assign attribute on non-namespace object '${n.targets[0]}'`);
          ns[n.attr] = v;
          break;
        }
        assign(n.targets, v, scope);
        break;
      }
      case 'setblock': {
        const parts: unknown[] = [];
        renderNodes(n.body, scope.child(), parts);
        const text = parts.map(str).join('');
        scope.set(n.target, n.filter ? filterBlockText(n.filter, text, scope, evalExpr) : text);
        break;
      }
      default:
        renderStatement(n, scope, out, renderNodes, evalExpr);
  }
}

function assign(targets: string[], v: unknown, scope: Scope): void {
  if (targets.length === 1) {
    scope.set(targets[0], v);
    return;
  }
  const items = iterate(v);
  if (items.length !== targets.length) throw new EvalError(`cannot unpack ${items.length} values into ${targets.length} names`);
  targets.forEach((t, i) => scope.set(t, items[i]));
}

function renderFor(n: Extract<Node, { t: 'for' }>, scope: Scope, out: unknown[], iterable?: unknown, depth = 1): void {
  let items = iterate(iterable === undefined ? evalExpr(n.iter, scope) : iterable);
  if (n.filter) {
    const f = n.filter;
    items = items.filter((item) => {
      const s = scope.child();
      assign(n.targets, item, s);
      return truthy(evalExpr(f, s));
    });
  }
  if (items.length === 0) {
    if (n.else) renderNodes(n.else, scope, out);
    return;
  }
  const total = length(items);
  let lastChanged: unknown[] | undefined;
  items.forEach((item, i) => {
    const s = scope.child();
    const attrs = {
      index: i + 1,
      index0: i,
      revindex: total - i,
      revindex0: total - i - 1,
      first: i === 0,
      last: i === total - 1,
      length: total,
      depth,
      depth0: depth - 1,
      cycle: new PyFunction('cycle', (args) => args[i % args.length]),
      // loop.changed(x): true on the first call and whenever the value differs from the last call's
      changed: new PyFunction('changed', (args) => {
        const same = lastChanged !== undefined && lastChanged.length === args.length && lastChanged.every((v, k) => pyEquals(v, args[k]));
        lastChanged = args;
        return !same;
      }),
      previtem: i > 0 ? items[i - 1] : new Undefined("'loop' has no attribute 'previtem'", 'loop.previtem'),
      nextitem: i < total - 1 ? items[i + 1] : new Undefined("'loop' has no attribute 'nextitem'", 'loop.nextitem'),
    };
    // a recursive loop's `loop(children)` renders the body again, one level deeper
    const recurse = (args: unknown[]) => {
      const parts: unknown[] = [];
      renderFor(n, scope, parts, args[0], depth + 1);
      return parts.map(str).join('');
    };
    s.set('loop', n.recursive ? new PyFunction('loop', recurse, attrs) : attrs);
    assign(n.targets, item, s);
    renderNodes(n.body, s, out);
  });
}

/** Template text (already parsed into `nodes`) rendered to a string, with the input's trailing newlines kept as Ansible keeps them. */
export function renderTemplateNodes(text: string, nodes: Node[], scope: Scope): string {
  const parts: unknown[] = [];
  renderNodes(nodes, scope, parts);
  return keepTrailingNewlines(text, parts.map(str).join(''));
}

/** What the `template` lookup renders with (handed down through globalFunction: lookups.ts cannot import this file). */
export const renderText: TextRenderer = (text, scope, file) => {
  if (!file) return renderTemplateNodes(text, parseTemplate(text), scope);
  const opts = { delimiters: { ...DEFAULT_DELIMITERS, ...file.delimiters } };
  const inner = new Scope({ ...scope.env, loader: fileLoader(file.includeDirs, opts) }, scope);
  return renderTemplateNodes(text, parseTemplate(text, opts), inner);
};
