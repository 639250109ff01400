import { existsSync, lstatSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { Scope } from './context.js';
import { EvalError, PluginNotFoundError, TemplateError } from './errors.js';
import { defined } from './undefined.js';
import { iterate, pyCompare, pyContains, pyEquals, str, truthy } from './python.js';
import { templateRegex } from './regex.js';
import { PyFloat, PyFunction, BoundMethod, Undefined, isFloat, isLazyMapping, isMapping, isNumber, materialize, num } from './values.js';
import { versionCompare } from './version.js';
import { registerMoreTests } from './tests-more.js';

export interface TestDef {
  fn: (value: unknown, args: unknown[], kwargs: Record<string, unknown>, scope: Scope) => boolean;
  acceptsUndefined?: boolean;
}

const TABLE: Record<string, TestDef> = {};

function def(names: string[], fn: (value: unknown, ...args: unknown[]) => boolean, acceptsUndefined = false, params: string[] = []): void {
  for (const n of names) {
    TABLE[n] = {
      fn: (v, args, kw) => {
        const bound = [...args];
        for (const [k, x] of Object.entries(kw)) {
          const i = params.indexOf(k);
          if (i < 0) throw new EvalError(`${n}() got an unexpected keyword argument '${k}'`);
          bound[i] = x;
        }
        return fn(v, ...bound);
      },
      acceptsUndefined,
    };
  }
}

function taskResult(v: unknown, what: string): Record<string, unknown> {
  if (!isMapping(v)) throw new EvalError(`The '${what}' test expects a dictionary`);
  return v as Record<string, unknown>;
}

function regexTest(kind: 'match' | 'search' | 'fullmatch') {
  return (v: unknown, pattern: unknown, ignorecase?: unknown, multiline?: unknown) => {
    const re = templateRegex(str(pattern), { ignorecase: Boolean(ignorecase), multiline: Boolean(multiline) });
    const s = str(v);
    if (kind === 'search') return re.test(s);
    const anchored = new RegExp(`^(?:${re.source})${kind === 'fullmatch' ? '$' : ''}`, re.flags);
    return anchored.test(s);
  };
}

const isIterable = (v: unknown) => typeof v === 'string' || Array.isArray(v) || isMapping(v);

def(['defined'], (v) => !(v instanceof Undefined), true);
def(['undefined'], (v) => v instanceof Undefined, true);
def(['none'], (v) => v === null || v === undefined, true);
def(['string'], (v) => typeof v === 'string', true);
def(['number'], (v) => isNumber(v), true);
def(['integer'], (v) => typeof v === 'number' && Number.isInteger(v), true);
def(['float'], (v) => isFloat(v), true);
def(['boolean'], (v) => typeof v === 'boolean', true);
def(['mapping'], (v) => isMapping(v), true);
def(['iterable'], (v) => isIterable(v));
def(['sequence'], (v) => typeof v === 'string' || Array.isArray(v) || isMapping(v));
def(['callable'], (v) => v instanceof PyFunction || v instanceof BoundMethod);
def(['sameas'], (v, o) => v === o || (v instanceof PyFloat && o instanceof PyFloat && v.value === o.value));
def(['equalto', 'eq', '=='], (v, o) => pyEquals(v, o));
def(['ne', '!='], (v, o) => !pyEquals(v, o));
def(['gt', '>', 'greaterthan'], (v, o) => pyCompare(v, o) > 0);
def(['ge', '>='], (v, o) => pyCompare(v, o) >= 0);
def(['lt', '<', 'lessthan'], (v, o) => pyCompare(v, o) < 0);
def(['le', '<='], (v, o) => pyCompare(v, o) <= 0);
def(['in'], (v, seq) => pyContains(seq, v));
def(['contains'], (v, item) => pyContains(v, item));
def(['match'], regexTest('match'), false, ['pattern', 'ignorecase', 'multiline']);
def(['search'], regexTest('search'), false, ['pattern', 'ignorecase', 'multiline']);
def(['regex'], (v, pattern, ignorecase, multiline, matchType) => regexTest(matchType === 'match' ? 'match' : matchType === 'fullmatch' ? 'fullmatch' : 'search')(v, pattern, ignorecase, multiline), false, ['pattern', 'ignorecase', 'multiline', 'match_type']);
def(['version', 'version_compare'], (v, o, op, strict, type) => versionCompare(v, o, op ?? 'eq', strict, type), false, ['version', 'operator', 'strict', 'version_type']);
def(['divisibleby'], (v, n) => num(v) % num(n) === 0);
def(['even'], (v) => num(v) % 2 === 0);
def(['odd'], (v) => Math.abs(num(v) % 2) === 1);
def(['lower'], (v) => str(v) === str(v).toLowerCase());
def(['upper'], (v) => str(v) === str(v).toUpperCase());
def(['subset', 'issubset'], (v, o) => iterate(v).every((x) => iterate(o).some((y) => pyEquals(x, y))));
def(['superset', 'issuperset'], (v, o) => iterate(o).every((x) => iterate(v).some((y) => pyEquals(x, y))));
def(['any'], (v) => iterate(v).some(truthy));
def(['all'], (v) => iterate(v).every(truthy));
def(['succeeded', 'success', 'successful'], (v) => !truthy(taskResult(v, 'succeeded').failed ?? false));
def(['failed', 'failure'], (v) => truthy(taskResult(v, 'failed').failed ?? false));
def(['changed', 'change'], (v) => truthy(taskResult(v, 'changed').changed ?? false));
def(['skipped', 'skip'], (v) => truthy(taskResult(v, 'skipped').skipped ?? false));
def(['exists'], (v) => existsSync(str(v)));
def(['abs', 'is_abs'], (v) => isAbsolute(str(v)));
def(['file', 'is_file'], (v) => existsSync(str(v)) && statSync(str(v)).isFile());
def(['directory', 'is_dir'], (v) => existsSync(str(v)) && statSync(str(v)).isDirectory());
def(['link', 'is_link'], (v) => {
  try {
    return lstatSync(str(v)).isSymbolicLink();
  } catch {
    return false;
  }
});

registerMoreTests(def);

export const TESTS: Readonly<Record<string, TestDef>> = TABLE;

/** Filters and tests work on plain dicts; lazy mappings are resolved when handed to them. */
const plain = (v: unknown): unknown => (isLazyMapping(v) ? materialize(v) : v);

export function callTest(name: string, value: unknown, args: unknown[], kwargs: Record<string, unknown>, scope: Scope): boolean {
  const t = TESTS[name] ?? TESTS[name.replace(/^ansible\.builtin\./, '')];
  if (!t) throw new PluginNotFoundError('test', name);
  if (!t.acceptsUndefined) defined(value);
  return t.fn(plain(value), args.map(plain), kwargs, scope);
}
