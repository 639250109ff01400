/**
 * Ansible's type checkers for argument specs (module_utils/common/validation.py check_type_*),
 * one per `type:` name: each returns the converted value or throws ConversionError with the
 * text Ansible's TypeError/ValueError carries (it ends up in "unable to convert to T: TEXT").
 */
import { literalEval } from '../inventory/python-literal.js';
import { pyJsonDumps } from '../template/serialize.js';
import { humanToBytes } from '../util/human-bytes.js';
import { pyFloat, pyInt } from '../util/python-number.js';
import { PyFloat } from '../template/values.js';
import { pyFloatRepr, pyStr } from '../util/python-repr.js';
import { classRepr, isBytes, isDict, type PyClassName } from './py-class.js';

export class ConversionError extends Error {}

/** A checker gets the value and its Python class (int and float look alike in JS). */
export type TypeChecker = (value: unknown, cls: PyClassName) => unknown;

/** Python's str() of a value, knowing its class (37 of class float is "37.0"; bytes decode). */
export function pyText(value: unknown, cls: PyClassName): string {
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  if (cls === 'float' && typeof value === 'number') return pyFloatRepr(value);
  if (isBytes(value)) return Buffer.from(value).toString('utf8');
  return pyStr(value);
}

const TRUE_VALUES = ['y', 'yes', 'on', '1', 'true', 't'];
const FALSE_VALUES = ['n', 'no', 'off', '0', 'false', 'f'];
/** Python prints its frozenset in hash order, which changes from run to run; this is one such order. */
const VALID_BOOLEANS = "0, 1, 't', 'no', 'off', '1', 'on', 'f', '0', 'true', 'yes', 'n', 'y', 'false'";

/** Ansible's boolean(value, strict=True) for a str, int or float. */
function strictBool(value: unknown, cls: PyClassName): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (value === 1) return true;
    if (value === 0) return false;
  } else if (typeof value === 'string' || isBytes(value)) {
    const s = pyText(value, cls).toLowerCase().trim();
    if (TRUE_VALUES.includes(s)) return true;
    if (FALSE_VALUES.includes(s)) return false;
  }
  throw new ConversionError(`The value '${pyText(value, cls)}' is not a valid boolean.  Valid booleans include: ${VALID_BOOLEANS}`);
}

/** check_type_dict's `k1=v1, k2=v2` reading: quotes group, a backslash escapes, commas and spaces split. */
function keyValueDict(text: string): Record<string, string> {
  const fields: string[] = [];
  let buf = '';
  let quote: string | false = false;
  let escape = false;
  for (const c of text.trim()) {
    if (escape) {
      buf += c;
      escape = false;
    } else if (c === '\\') escape = true;
    else if (!quote && (c === "'" || c === '"')) quote = c;
    else if (quote && quote === c) quote = false;
    else if (!quote && (c === ',' || c === ' ')) {
      if (buf) fields.push(buf);
      buf = '';
    } else buf += c;
  }
  if (buf) fields.push(buf);
  const out: Record<string, string> = {};
  for (const f of fields) {
    const i = f.indexOf('=');
    // Python's dict() of a one-element split fails on the whole conversion
    if (i < 0) throw new ConversionError(`dictionary update sequence element #${fields.indexOf(f)} has length 1; 2 is required`);
    out[f.slice(0, i)] = f.slice(i + 1);
  }
  return out;
}

const checkStr: TypeChecker = (v, cls) => (typeof v === 'string' ? v : pyText(v, cls));

/** os.path.expanduser(os.path.expandvars(value)) on the control machine, as Ansible's controller-side check runs. */
function expandPath(text: string): string {
  const vars = text.replace(/\$(\w+|\{([^}]*)\})/g, (m: string, name: string, braced: string | undefined) => {
    const v = process.env[braced ?? name];
    return v === undefined ? m : v;
  });
  const home = process.env.HOME;
  if (home === undefined) return vars;
  return vars === '~' || vars.startsWith('~/') ? home + vars.slice(1) : vars;
}

function human(v: unknown, cls: PyClassName, isbits: boolean): number {
  const text = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? pyText(v, cls) : undefined;
  const n = text === undefined ? undefined : humanToBytes(text, undefined, isbits);
  if (n === undefined) throw new ConversionError(`${classRepr(cls)} cannot be converted to a ${isbits ? 'Bit' : 'Byte'} value`);
  return n;
}

export const TYPE_CHECKERS: Readonly<Record<string, TypeChecker>> = {
  str: checkStr,
  list: (v, cls) => {
    if (Array.isArray(v)) return v;
    if (typeof v === 'string') return v.split(',');
    // bool is an int in Python
    if (typeof v === 'number' || typeof v === 'boolean') return [pyText(v, cls)];
    throw new ConversionError(`${classRepr(cls)} cannot be converted to a list`);
  },
  dict: (v, cls) => {
    if (isDict(v)) return v;
    if (typeof v !== 'string') throw new ConversionError(`${classRepr(cls)} cannot be converted to a dict`);
    if (v.startsWith('{')) {
      try {
        return JSON.parse(v) as unknown;
      } catch {
        const lit = literalEval(v);
        if (!lit.ok) throw new ConversionError('unable to evaluate string as dictionary');
        return lit.value;
      }
    }
    if (v.includes('=')) return keyValueDict(v);
    throw new ConversionError('dictionary requested, could not parse JSON or key=value');
  },
  bool: (v, cls) => {
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string' || typeof v === 'number') return strictBool(v, cls);
    throw new ConversionError(`${classRepr(cls)} cannot be converted to a bool`);
  },
  int: (v, cls) => {
    if (typeof v === 'boolean' || (typeof v === 'number' && cls === 'int')) return v;
    const n = typeof v === 'string' ? pyInt(v) : undefined;
    if (n !== undefined) return n;
    throw new ConversionError(`${classRepr(cls)} cannot be converted to an int`);
  },
  float: (v, cls) => {
    if (cls === 'float') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return Number(v);
    const n = typeof v === 'string' || isBytes(v) ? pyFloat(pyText(v, cls)) : undefined;
    if (n !== undefined) return n;
    throw new ConversionError(`${classRepr(cls)} cannot be converted to a float`);
  },
  path: (v, cls) => expandPath(pyText(v, cls)),
  raw: (v) => v,
  jsonarg: jsonarg,
  json: jsonarg,
  bytes: (v, cls) => human(v, cls, false),
  bits: (v, cls) => human(v, cls, true),
};

function jsonarg(v: unknown, cls: PyClassName): unknown {
  if (typeof v === 'string' || isBytes(v)) return pyText(v, cls).trim();
  if (Array.isArray(v) || isDict(v)) return pyJsonDumps(v, { ensureAscii: true });
  throw new ConversionError(`${classRepr(cls)} cannot be converted to a json string`);
}
