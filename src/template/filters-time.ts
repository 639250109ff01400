/** Date filters: strftime (time.strftime of an epoch) and to_datetime (datetime.strptime). */
import { EvalError } from './errors.js';
import { str } from './python.js';
import { fieldsOf, strftime, strptime } from './datetime.js';
import { bool, filterTable } from './filter-registry.js';
import { num } from './values.js';

const { def, table } = filterTable();

def('strftime', ['second', 'utc'], (fmt, second, utc) => {
  let epoch = Date.now() / 1000;
  if (second !== undefined && second !== null) {
    epoch = typeof second === 'string' ? Number(second.trim()) : num(second);
    if (!Number.isFinite(epoch) || (typeof second === 'string' && second.trim() === '')) throw new EvalError(`Invalid value for epoch value (${str(second)})`);
  }
  const d = new Date(Math.floor(epoch) * 1000);
  const isUtc = bool(utc);
  const zone = isUtc ? 'GMT' : (Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? '');
  return strftime(str(fmt), fieldsOf(d, isUtc), zone === 'UTC' && !isUtc ? 'UTC' : zone);
});

def('to_datetime', ['format'], (v, format = '%Y-%m-%d %H:%M:%S') => strptime(str(v), str(format)));

/** The time filters, by name (composed into FILTERS in filters.ts). */
export const TIME_FILTERS = table;
