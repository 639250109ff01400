import { Scope } from './context.js';
import { EvalError, TemplateError } from './errors.js';
import { FILTERS } from './filters.js';
import { callFilter } from './interpreter.js';
import { defined } from './undefined.js';
import { Undefined, unbox } from './values.js';
import { plainVars } from './var-source.js';

const noVars = new Scope({ vars: plainVars({}) });

function positional(name: string): (value: unknown, ...args: unknown[]) => unknown {
  const f = FILTERS[name];
  return (value, ...args) => {
    if (value === undefined) {
      if (!f.acceptsUndefined) throw new TemplateError(`filter '${name}': the value is undefined`);
      value = new Undefined('value is undefined', '<value>');
    }
    try {
      if (!f.acceptsUndefined) defined(value);
      return unbox(f.fn(value, args, {}, noVars, callFilter));
    } catch (err) {
      if (err instanceof EvalError) throw new TemplateError(`filter '${name}': ${err.message}`, err);
      throw err;
    }
  };
}

/** Every Jinja filter in positional form `(value, ...args)`, for EJS templates and other callers. */
export const filters: Record<string, (value: unknown, ...args: unknown[]) => unknown> = Object.fromEntries(
  Object.keys(FILTERS).map((name) => [name, positional(name)]),
);
