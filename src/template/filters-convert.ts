/** Filters that convert types and do arithmetic. */
import { EvalError, PythonException } from './errors.js';
import { iterate, length, str, truthy } from './python.js';

import { PyFloat, Undefined, isFloat, isNumber, mkFloat, num, typeName } from './values.js';
import { bool, filterTable } from './filter-registry.js';
import { humanToBytes, roundHalfEven, SIZE_RANGES } from '../util/human-bytes.js';

const { def, table } = filterTable();


export function toInt(v: unknown, dflt: unknown = 0, base: unknown = 10): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (isNumber(v)) return Math.trunc(num(v));
  if (typeof v === 'string') {
    const s = v.trim().replace(/_/g, '');
    const b = num(base);
    if (b !== 10) {
      const cleaned = s.replace(b === 16 ? /^0x/i : b === 8 ? /^0o/i : b === 2 ? /^0b/i : /^$/, '');
      const n = parseInt(cleaned, b);
      return Number.isNaN(n) || !new RegExp(`^[-+]?[0-9a-z]+$`, 'i').test(cleaned) ? dflt : n;
    }
    if (/^[-+]?\d+$/.test(s)) return parseInt(s, 10);
    if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Math.trunc(parseFloat(s));
    return dflt;
  }
  return dflt;
}

export function toFloat(v: unknown, dflt: unknown = new PyFloat(0)): unknown {
  if (isNumber(v) || typeof v === 'boolean') return mkFloat(num(v));
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(s)) return mkFloat(parseFloat(s));
    if (/^[-+]?(inf|infinity)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
    if (/^[-+]?nan$/.test(s)) return NaN;
  }
  return dflt;
}

/**
 * Ansible's `bool` filter, which is not module_utils' boolean(): its own short word list, so
 * `'y' | bool` and `'t' | bool` are False in ansible-core 2.14 (checked with ansible-playbook).
 */
export function toBool(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1;
  return ['yes', 'on', '1', 'true'].includes(str(v).toLowerCase());
}

// --- defaults and types
def(['default', 'd'], ['default_value', 'boolean'], (v, dflt = '', boolean) => {
  if (v instanceof Undefined || (bool(boolean) && !truthy(v))) return dflt;
  return v;
}, true);
def('mandatory', ['msg'], (v, msg) => {
  if (v instanceof Undefined) {
    if (msg !== undefined) throw new EvalError(str(msg));
    throw new EvalError(`Mandatory variable ${v.variable === '<expression>' ? '' : `'${v.variable}' `}not defined.`.replace('  ', ' '));
  }
  return v;
}, true);
def('bool', [], (v) => (v === null ? null : toBool(v)));
def('int', ['default', 'base'], (v, d = 0, b = 10) => toInt(v, d, b));
def('float', ['default'], (v, d) => toFloat(v, d));
def('string', [], (v) => str(v));
def('type_debug', [], (v) => typeName(v));
def('list', [], (v) => [...iterate(v)]);
def(['length', 'count'], [], (v) => length(v));
def('abs', [], (v) => (isFloat(v) ? mkFloat(Math.abs(num(v))) : Math.abs(num(v))));
def('round', ['precision', 'method'], (v, precision = 0, method = 'common') => {
  const p = num(precision);
  const f = 10 ** p;
  const x = num(v) * f;
  const r = method === 'ceil' ? Math.ceil(x) : method === 'floor' ? Math.floor(x) : roundHalfEven(x);
  // Python's round() of an int stays an int
  if (method === 'common' && typeof v === 'number' && Number.isInteger(v)) return v;
  return mkFloat(r / f);
});

// --- versions and misc
/**
 * Ansible's bytes_to_human: the largest unit the size reaches (or the one asked for, the last
 * range "B" when it names none), "Bytes"/"bits" for the unit of 1. A size that is not a number
 * fails as Python's comparison or division does.
 */
def('human_readable', ['isbits', 'unit'], (v, isbits, unit) => {
  const base = bool(isbits) ? 'bits' : 'Bytes';
  const badInput = (why: string) => new EvalError(`human_readable() failed on bad input: ${why}`);
  const real = typeof v === 'boolean' || isNumber(v);
  const wanted = unit === undefined || unit === null ? undefined : str(unit).toUpperCase();
  let suffix = 'B';
  let limit = 1;
  for (const [s, l] of Object.entries(SIZE_RANGES)) {
    suffix = s;
    limit = l;
    if (wanted === undefined) {
      if (!real) throw badInput(`'>=' not supported between instances of '${typeName(v)}' and 'int'`);
      if (num(v) >= l) break;
    } else if (wanted === s) break;
  }
  if (!real) throw badInput(`unsupported operand type(s) for /: '${typeName(v)}' and 'int'`);
  return `${(num(v) / limit).toFixed(2)} ${limit === 1 ? base : suffix + base[0]}`;
});
def('human_to_bytes', ['default_unit', 'isbits'], (v, defaultUnit, isbits) => {
  const unit = defaultUnit === undefined || defaultUnit === null ? undefined : str(defaultUnit);
  const n = humanToBytes(str(v), unit, bool(isbits));
  if (n === undefined) throw new EvalError(`human_to_bytes() can't interpret following string: ${str(v)}`);
  return n;
});
/**
 * Python's math functions take real numbers (bool included) and nothing else; Ansible's math
 * filters turn their TypeError into "<name>() can only be used on numbers: ...".
 */
function real(fn: string, v: unknown): number {
  if (typeof v === 'boolean' || isNumber(v)) return num(v);
  throw new EvalError(`${fn}() can only be used on numbers: must be real number, not ${typeName(v)}`);
}

/** math's ValueError, which Ansible does not catch in log and pow. */
const domainError = () => new EvalError('math domain error');

/** math.pow: a finite result of finite operands must stay finite (OverflowError), and no complex results. */
function mathPow(x: number, y: number, onDomain: () => Error): number {
  if ((x < 0 && Number.isFinite(y) && !Number.isInteger(y)) || (x === 0 && y < 0)) throw onDomain();
  const r = x ** y;
  if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) throw new PythonException('OverflowError', 'math range error');
  return r;
}

def('pow', ['y'], (v, y) => mkFloat(mathPow(real('pow', v), real('pow', y), domainError)));
def('log', ['base'], (v, base) => {
  const x = real('log', v);
  const b = base === undefined ? Math.E : real('log', base);
  if (x <= 0 || b <= 0) throw domainError();
  // Ansible calls math.log10 for base 10, which is exact where log(x)/log(10) is not (1000 -> 3.0)
  if (b === 10) return mkFloat(Math.log10(x));
  if (b === 1) throw new PythonException('ZeroDivisionError', 'float division by zero');
  return mkFloat(base === undefined ? Math.log(x) : Math.log(x) / Math.log(b));
});
def('root', ['base'], (v, base = 2) => {
  const fail = (why: string) => new EvalError(`root() can only be used on numbers: ${why}`);
  const isReal = typeof v === 'boolean' || isNumber(v);
  if (isNumber(base) && num(base) === 2) {
    if (!isReal) throw fail(`must be real number, not ${typeName(v)}`);
    if (num(v) < 0) throw fail('math domain error');
    return mkFloat(Math.sqrt(num(v)));
  }
  // float(base): numbers and numeric text
  const b = toFloat(base, null);
  if (b === null) {
    throw fail(typeof base === 'string' ? `could not convert string to float: '${base}'` : `float() argument must be a string or a real number, not '${typeName(base)}'`);
  }
  if (num(b) === 0) throw new PythonException('ZeroDivisionError', 'float division by zero');
  if (!isReal) throw fail(`must be real number, not ${typeName(v)}`);
  return mkFloat(mathPow(num(v), 1 / num(b), () => fail('math domain error')));
});

/** The convert filters, by name (composed into FILTERS in filters.ts). */
export const CONVERT_FILTERS = table;
