/**
 * Ansible's ArgumentSpecValidator.validate (module_utils/common/arg_spec.py) as role argument
 * validation calls it: the spec's options only (no top-level mutually_exclusive and friends;
 * a dict option's own `mutually_exclusive`, `required_if`... apply to its sub-options).
 * The steps, their order and their messages are Ansible's, so `argument_errors` lists the same
 * messages in the same order: aliases, no_log scan, unsupported names, defaults, required,
 * types (with list `elements`), choices, then nested `options`, then the unsupported summary.
 */
import { pyEquals, truthy } from '../template/python.js';
import { pyStr } from '../util/python-repr.js';
import { ConversionError, pyText, TYPE_CHECKERS } from './check-type.js';
import { CheckError, checkMutuallyExclusive, checkRequiredArguments, OPTION_CHECKS } from './checks.js';
import { classRepr, isBytes, isDict, plainPyClass, type PyClassOf } from './py-class.js';

/** One option of a spec as written (type, required, default, choices, elements, options...). */
export type OptionSpec = Record<string, unknown>;
export type ArgSpec = Record<string, OptionSpec>;
type Params = Record<string, unknown>;
type Path = (string | number)[];

export interface ValidationResult {
  errors: string[];
  /** The parameters converted, defaults filled in (Ansible's validated_parameters). */
  params: Params;
}

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
const given = (v: unknown): boolean => v !== null && v !== undefined;

function copy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copy);
  if (isDict(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copy(x)]));
  return v;
}

/** Python iterates a str by characters and a dict by keys; anything else is not iterable. */
function iterate(v: unknown, cls: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isDict(v)) return Object.keys(v);
  if (isBytes(v)) return [...v];
  throw new ConversionError(`'${cls}' object is not iterable`);
}

class Validation {
  readonly errors: string[] = [];
  /** Unsupported names (a nested one as its options path) with what was supported where it was found. */
  private readonly unsupported: { name: string; supported: string[]; aliases: string[] }[] = [];

  constructor(private readonly classOf: PyClassOf) {}

  private attempt(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (err instanceof CheckError || err instanceof ConversionError) this.errors.push(err.message);
      else throw err;
    }
  }

  /** _handle_aliases: copies an alias's value to its option; returns alias -> option. */
  private aliases(spec: ArgSpec, params: Params): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(spec)) {
      if (given(v.default) && truthy(v.required)) throw new CheckError(`internal error: required and default are mutually exclusive for ${k}`);
      if (!given(v.aliases)) continue;
      if (!Array.isArray(v.aliases)) throw new CheckError('internal error: aliases must be a list or tuple');
      for (const alias of v.aliases.map(String)) {
        out[alias] = k;
        if (has(params, alias)) params[k] = params[alias];
      }
    }
    return out;
  }

  /** _list_no_log_values: only its errors matter here (a dict option given a value that is not one). */
  private noLogScan(spec: ArgSpec, params: Params, path: Path): void {
    for (const [name, opt] of Object.entries(spec)) {
      if (!given(opt.options) || !given(params[name])) continue;
      if (!(opt.type === 'dict' || (opt.type === 'list' && opt.elements === 'dict'))) continue;
      const subs = Array.isArray(params[name]) ? (params[name] as unknown[]) : [params[name]];
      subs.forEach((raw, i) => {
        const at = Array.isArray(params[name]) ? [...path, name, i] : [...path, name];
        const sub = typeof raw === 'string' ? TYPE_CHECKERS.dict(raw, 'str') : raw;
        if (!isDict(sub)) throw new CheckError(`Value '${pyText(sub, this.classOf(sub, at))}' in the sub parameter field '${name}' must by a ${pyStr(opt.type)}, not '${this.classOf(sub, at)}'`);
        this.noLogScan(opt.options as ArgSpec, sub, at);
      });
    }
  }

  private findUnsupported(spec: ArgSpec, params: Params, legal: string[], context: string[]): void {
    try {
      for (const k of Object.keys(params)) {
        if (legal.includes(k)) continue;
        const aliases = Object.keys(this.aliases(spec, params));
        this.unsupported.push({ name: [...context, k].join('.'), supported: legal.filter((o) => !aliases.includes(o)), aliases });
      }
    } catch (err) {
      if (!(err instanceof CheckError)) throw err;
      this.errors.push(err.message);
    }
  }

  private setDefaults(spec: ArgSpec, params: Params, all: boolean): void {
    for (const [k, v] of Object.entries(spec)) {
      if (!has(params, k) && (given(v.default) || all)) params[k] = v.default ?? null;
    }
  }

  private types(spec: ArgSpec, params: Params, context: string[], path: Path): void {
    const where = context.length > 0 ? ` found in '${context.join(' -> ')}'.` : '';
    for (const [param, opt] of Object.entries(spec)) {
      if (!has(params, param) || params[param] === null) continue;
      const value = params[param];
      const wanted = given(opt.type) ? opt.type : 'str';
      const wantedName = pyStr(wanted);
      const cls = this.classOf(value, [...path, param]);
      try {
        const checker = typeof wanted === 'string' ? TYPE_CHECKERS[wanted] : undefined;
        if (!checker) throw new ConversionError("'NoneType' object is not callable");
        params[param] = checker(value, cls);
        if (given(opt.elements)) {
          const elements = params[param];
          if (wanted !== 'list' || !Array.isArray(elements)) {
            this.errors.push(`Invalid type ${wantedName} for option '${pyStr(elements)}'${where}, elements value check is supported only with 'list' type`);
          }
          params[param] = this.elements(opt.elements, param, iterate(elements, this.classOf(elements, [...path, param])), context, [...path, param]);
        }
      } catch (err) {
        if (!(err instanceof ConversionError)) throw err;
        this.errors.push(`argument '${param}' is of type ${classRepr(cls)}${where} and we were unable to convert to ${wantedName}: ${err.message}`);
      }
    }
  }

  private elements(wanted: unknown, param: string, values: unknown[], context: string[], path: Path): unknown[] {
    const checker = typeof wanted === 'string' ? TYPE_CHECKERS[wanted] : undefined;
    const out: unknown[] = [];
    values.forEach((v, i) => {
      const cls = this.classOf(v, [...path, i]);
      try {
        if (!checker) throw new ConversionError("'NoneType' object is not callable");
        out.push(checker(v, cls));
      } catch (err) {
        if (!(err instanceof ConversionError)) throw err;
        const where = context.length > 0 ? ` found in '${context.join(' -> ')}'` : '';
        this.errors.push(`Elements value for option '${param}'${where} is of type ${classRepr(cls)} and we were unable to convert to ${pyStr(wanted)}: ${err.message}`);
      }
    });
    return out;
  }

  private values(spec: ArgSpec, params: Params, context: string[]): void {
    const where = (msg: string): string => (context.length > 0 ? `${msg} found in ${context.join(' -> ')}` : msg);
    for (const [param, opt] of Object.entries(spec)) {
      const choices = opt.choices;
      if (!given(choices)) continue;
      if (!Array.isArray(choices)) {
        this.errors.push(where(`internal error: choices for argument ${param} are not iterable: ${pyStr(choices)}`));
        continue;
      }
      if (!has(params, param)) continue;
      const within = (v: unknown): boolean => choices.some((c) => pyEquals(v, c));
      const choicesText = choices.map((c) => pyStr(c)).join(', ');
      const value = params[param];
      if (Array.isArray(value)) {
        const outside = value.filter((v) => !within(v));
        if (outside.length > 0) this.errors.push(where(`value of ${param} must be one or more of: ${choicesText}. Got no match for: ${outside.map((v) => pyStr(v)).join(', ')}`));
        continue;
      }
      if (within(value)) continue;
      // PyYAML turned a yes/no choice into a bool that became 'True'/'False': map it back when that is unambiguous
      for (const [text, words] of [['False', FALSE_WORDS], ['True', TRUE_WORDS]] as const) {
        if (params[param] !== text) continue;
        // a set: equal choices count once
        const overlap = choices.filter((c, i) => words.some((w) => pyEquals(w, c)) && choices.findIndex((d) => pyEquals(d, c)) === i);
        if (overlap.length === 1) params[param] = overlap[0];
      }
      if (!within(params[param])) this.errors.push(where(`value of ${param} must be one of: ${choicesText}, got: ${pyStr(params[param])}`));
    }
  }

  /** The steps Ansible runs on one level of options (the top level, or one dict of sub-options). */
  level(spec: ArgSpec, params: Params, context: string[], path: Path, owner?: OptionSpec): void {
    // Role specs are shape-checked when they load; one given to the module directly may not be (Ansible crashes on it)
    const bad = Object.entries(spec).find(([, opt]) => !isDict(opt));
    if (bad) {
      this.errors.push(`the spec of option '${[...context, bad[0]].join('.')}' must be a mapping, got ${pyStr(bad[1])}`);
      return;
    }
    let aliases: Record<string, string> = {};
    this.attempt(() => {
      aliases = this.aliases(spec, params);
    });
    this.attempt(() => this.noLogScan(spec, params, path));
    this.findUnsupported(spec, params, [...Object.keys(aliases), ...Object.keys(spec)], context);
    if (owner) this.attempt(() => checkMutuallyExclusive(owner.mutually_exclusive, params, context));
    this.setDefaults(spec, params, false);
    this.attempt(() => checkRequiredArguments(spec, params, context));
    this.types(spec, params, context, path);
    this.values(spec, params, context);
    if (owner) for (const [attr, check] of OPTION_CHECKS) this.attempt(() => check(owner[attr], params, context));
    this.setDefaults(spec, params, true);
    this.subOptions(spec, params, context, path);
  }

  private subOptions(spec: ArgSpec, params: Params, context: string[], path: Path): void {
    for (const [param, opt] of Object.entries(spec)) {
      const isList = opt.type === 'list' && opt.elements === 'dict';
      if (!(opt.type === 'dict' || isList)) continue;
      const sub = given(opt.options) ? (opt.options as ArgSpec) : undefined;
      if (truthy(opt.apply_defaults)) {
        if (!sub) continue;
        if (!given(params[param])) params[param] = {};
      } else if (!sub || !has(params, param) || params[param] === null) continue;
      const value = params[param];
      const inner = [...context, param];
      const elements = Array.isArray(value) ? value : [value];
      elements.forEach((el, i) => {
        if (!isDict(el)) {
          this.errors.push(`value of '${param}' must be of type dict or list of dicts`);
          return;
        }
        this.level(sub!, el, inner, Array.isArray(value) ? [...path, param, i] : [...path, param], opt);
      });
    }
  }

  /** The closing message for unsupported names: the supported ones where the last of them was found. */
  summary(): void {
    if (this.unsupported.length === 0) return;
    const names = this.unsupported.map((u) => u.name).sort().join(', ');
    const last = this.unsupported[this.unsupported.length - 1];
    let supported = [...last.supported].sort().join(', ');
    if (last.aliases.length > 0) supported += ` (${[...last.aliases].sort().join(', ')})`;
    this.errors.push(`${names}. Supported parameters include: ${supported}.`);
  }
}

const TRUE_WORDS = ['y', 'yes', 'on', '1', 'true', 't', 1, true];
const FALSE_WORDS = ['n', 'no', 'off', '0', 'false', 'f', 0, false];

/** Validates `parameters` (not changed) against `spec`; `classOf` names Python types in messages. */
export function validateArguments(spec: ArgSpec, parameters: Params, classOf: PyClassOf = plainPyClass): ValidationResult {
  const params = copy(parameters) as Params;
  const v = new Validation(classOf);
  v.level(spec, params, [], []);
  v.summary();
  return { errors: v.errors, params };
}
