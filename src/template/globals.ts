import type { Scope } from './context.js';
import { EvalError } from './errors.js';
import { runLookup, type TextRenderer } from './lookups/index.js';
import { now } from './datetime.js';
import { str, iterate, truthy } from './python.js';
import { PyFunction, isMapping, num } from './values.js';

function range(args: unknown[]): number[] {
  const n = args.map(num);
  const [start, stop, step] = n.length === 1 ? [0, n[0], 1] : [n[0], n[1], n[2] ?? 1];
  if (step === 0) throw new EvalError('range() arg 3 must not be zero');
  const out: number[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(i);
  else for (let i = start; i > stop; i += step) out.push(i);
  if (out.length > 100000) throw new EvalError('range too big');
  return out;
}

/** Jinja's namespace(): a dict whose attributes `{% set ns.x = ... %}` can change from inside loops. */
const NAMESPACE = Symbol('jinja namespace');

export function isNamespace(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[NAMESPACE] === true;
}

/** Names Jinja/Ansible provide when no variable of that name exists. */
export function globalFunction(name: string, scope: Scope, render: TextRenderer): PyFunction | undefined {
  switch (name) {
    case 'range':
      return new PyFunction(name, (args) => range(args));
    case 'lookup':
      return new PyFunction(name, (args, kw) => runLookup(str(args[0]), args.slice(1), kw, scope, false, render));
    case 'query':
    case 'q':
      return new PyFunction(name, (args, kw) => runLookup(str(args[0]), args.slice(1), kw, scope, true, render));
    case 'now':
      return new PyFunction(name, (args, kw) => {
        const utc = kw.utc ?? args[0] ?? false;
        const fmt = kw.fmt ?? args[1];
        return now(truthy(utc), fmt === undefined || fmt === null ? undefined : str(fmt));
      });
    case 'namespace':
      return new PyFunction(name, (args, kw) => Object.assign({ [NAMESPACE]: true }, isMapping(args[0]) ? args[0] : {}, kw));
    case 'dict':
      return new PyFunction(name, (args, kw) => {
        const out: Record<string, unknown> = {};
        if (args[0] !== undefined) {
          if (isMapping(args[0])) Object.assign(out, args[0]);
          else for (const pair of iterate(args[0])) out[str(iterate(pair)[0])] = iterate(pair)[1];
        }
        return Object.assign(out, kw);
      });
  }
  return undefined;
}
