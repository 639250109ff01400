/** Filters that convert types and do arithmetic. */
import { EvalError } from './errors.js';
import { iterate, length, str, truthy } from './python.js';

import { PyFloat, Undefined, isFloat, isNumber, mkFloat, num, typeName } from './values.js';
import { bool, filterTable } from './filter-registry.js';
import { humanToBytes, roundHalfEven } from '../util/human-bytes.js';

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
def('human_readable', ['isbits', 'unit'], (v, isbits) => {
  const n = num(toFloat(v));
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
  let i = 0;
  let x = n;
  while (Math.abs(x) >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${x.toFixed(2)} ${units[i]}${bool(isbits) ? 'b' : 'B'}`;
});
def('human_to_bytes', ['default_unit', 'isbits'], (v, defaultUnit, isbits) => {
  const unit = defaultUnit === undefined || defaultUnit === null ? undefined : str(defaultUnit);
  const n = humanToBytes(str(v), unit, bool(isbits));
  if (n === undefined) throw new EvalError(`human_to_bytes() can't interpret following string: ${str(v)}`);
  return n;
});
def('pow', ['y'], (v, y) => mkFloat(num(v) ** num(y)));
def('log', ['base'], (v, base) => mkFloat(base === undefined ? Math.log(num(v)) : Math.log(num(v)) / Math.log(num(base))));
def('root', ['base'], (v, base = 2) => mkFloat(num(base) === 2 ? Math.sqrt(num(v)) : num(v) ** (1 / num(base))));

/** The convert filters, by name (composed into FILTERS in filters.ts). */
export const CONVERT_FILTERS = table;
