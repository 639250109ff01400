/**
 * Python's naive datetime and timedelta, as the `to_datetime` and `strftime` filters hand them to
 * templates: attributes (.year, .days), methods (.strftime(), .total_seconds()) and subtraction.
 * A naive datetime is kept as milliseconds on a UTC clock plus microseconds, so no time zone moves it.
 */
import { EvalError } from './errors.js';
import { str } from './python.js';
import { PyObject, isNumber, mkFloat, num } from './values.js';

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export interface Fields {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  micro: number;
  weekday: number; // Monday = 0
  yday: number; // 1-366
}

const pad = (n: number, w = 2, c = '0') => String(n).padStart(w, c);

export function fieldsOf(d: Date, utc: boolean, micro = 0): Fields {
  const g = utc
    ? [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCDay()]
    : [d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getDay()];
  const yday = Math.floor((Date.UTC(g[0], g[1], g[2]) - Date.UTC(g[0], 0, 1)) / 86400000) + 1;
  return { year: g[0], month: g[1] + 1, day: g[2], hour: g[3], minute: g[4], second: g[5], micro, weekday: (g[6] + 6) % 7, yday };
}

function weekOfYear(f: Fields, firstDay: 0 | 6): number {
  // %U counts weeks starting Sunday (weekday 6), %W weeks starting Monday (weekday 0)
  const wd = firstDay === 0 ? f.weekday : (f.weekday + 1) % 7;
  return Math.floor((f.yday + 6 - wd) / 7);
}

/** C-locale strftime, the directives Python's time.strftime and datetime.strftime share. */
export function strftime(fmt: string, f: Fields, zone = ''): string {
  return fmt.replace(/%([a-zA-Z%])/g, (all, c: string) => {
    switch (c) {
      case 'Y': return String(f.year);
      case 'y': return pad(f.year % 100);
      case 'C': return pad(Math.floor(f.year / 100));
      case 'm': return pad(f.month);
      case 'd': return pad(f.day);
      case 'e': return pad(f.day, 2, ' ');
      case 'H': return pad(f.hour);
      case 'I': return pad(f.hour % 12 || 12);
      case 'M': return pad(f.minute);
      case 'S': return pad(f.second);
      case 'f': return pad(f.micro, 6);
      // glibc's %s: the fields read as local time (mktime), as Python's strftime on Linux
      case 's': return String(Math.floor(new Date(f.year, f.month - 1, f.day, f.hour, f.minute, f.second).getTime() / 1000));
      case 'p': return f.hour < 12 ? 'AM' : 'PM';
      case 'j': return pad(f.yday, 3);
      case 'a': return DAYS[f.weekday].slice(0, 3);
      case 'A': return DAYS[f.weekday];
      case 'b': case 'h': return MONTHS[f.month - 1].slice(0, 3);
      case 'B': return MONTHS[f.month - 1];
      case 'w': return String((f.weekday + 1) % 7);
      case 'u': return String(f.weekday + 1);
      case 'U': return pad(weekOfYear(f, 6));
      case 'W': return pad(weekOfYear(f, 0));
      case 'D': return strftime('%m/%d/%y', f);
      case 'F': return strftime('%Y-%m-%d', f);
      case 'T': return strftime('%H:%M:%S', f);
      case 'R': return strftime('%H:%M', f);
      case 'c': return strftime('%a %b %e %H:%M:%S %Y', f);
      case 'x': return strftime('%m/%d/%y', f);
      case 'X': return strftime('%H:%M:%S', f);
      case 'Z': return zone;
      case 'n': return '\n';
      case 't': return '\t';
      case '%': return '%';
      default: return all;
    }
  });
}

const PARSERS: Record<string, [string, (f: Partial<Fields> & { pm?: boolean }, s: string) => void]> = {
  Y: ['\\d{4}', (f, s) => (f.year = Number(s))],
  y: ['\\d{1,2}', (f, s) => (f.year = Number(s) + (Number(s) < 69 ? 2000 : 1900))],
  m: ['\\d{1,2}', (f, s) => (f.month = Number(s))],
  d: ['\\d{1,2}', (f, s) => (f.day = Number(s))],
  H: ['\\d{1,2}', (f, s) => (f.hour = Number(s))],
  I: ['\\d{1,2}', (f, s) => (f.hour = Number(s) % 12)],
  M: ['\\d{1,2}', (f, s) => (f.minute = Number(s))],
  S: ['\\d{1,2}', (f, s) => (f.second = Number(s))],
  f: ['\\d{1,6}', (f, s) => (f.micro = Number(s.padEnd(6, '0')))],
  p: ['[AaPp][Mm]', (f, s) => (f.pm = s.toUpperCase() === 'PM')],
  j: ['\\d{1,3}', (f, s) => (f.yday = Number(s))],
  b: ['[A-Za-z]{3}', (f, s) => (f.month = MONTHS.findIndex((m) => m.slice(0, 3).toLowerCase() === s.toLowerCase()) + 1)],
  B: ['[A-Za-z]+', (f, s) => (f.month = MONTHS.findIndex((m) => m.toLowerCase() === s.toLowerCase()) + 1)],
  a: ['[A-Za-z]{3}', () => undefined],
  A: ['[A-Za-z]+', () => undefined],
};

/** datetime.strptime for the common directives; a mismatch is Python's ValueError text. */
export function strptime(text: string, fmt: string): PyDateTime {
  const setters: ((f: Partial<Fields> & { pm?: boolean }, s: string) => void)[] = [];
  let re = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c === '%' && i + 1 < fmt.length) {
      const d = fmt[++i];
      if (d === '%') re += '%';
      else if (PARSERS[d]) {
        re += `(${PARSERS[d][0]})`;
        setters.push(PARSERS[d][1]);
      } else throw new EvalError(`'${d}' is a bad directive in format '${fmt}'`);
    } else if (/\s/.test(c)) re += '\\s+';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const m = new RegExp(`^${re}$`, 'i').exec(text);
  const fail = () => new EvalError(`time data '${text}' does not match format '${fmt}'`);
  if (!m) throw fail();
  const f: Partial<Fields> & { pm?: boolean } = {};
  setters.forEach((set, i) => set(f, m[i + 1]));
  if (f.pm !== undefined && f.hour !== undefined) f.hour = (f.hour % 12) + (f.pm ? 12 : 0);
  const year = f.year ?? 1900;
  let month = f.month ?? 1;
  let day = f.day ?? 1;
  if (f.yday !== undefined && f.month === undefined) {
    const d = new Date(Date.UTC(year, 0, f.yday));
    [month, day] = [d.getUTCMonth() + 1, d.getUTCDate()];
  }
  const ms = Date.UTC(year, month - 1, day, f.hour ?? 0, f.minute ?? 0, f.second ?? 0);
  const check = new Date(ms);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) throw new EvalError('day is out of range for month');
  return new PyDateTime(ms, f.micro ?? 0);
}

export class PyTimeDelta extends PyObject {
  readonly pyType = 'timedelta';
  readonly days: number;
  readonly seconds: number;
  readonly microseconds: number;
  constructor(totalMicro: number) {
    super();
    this.days = Math.floor(totalMicro / 86400e6);
    const rest = totalMicro - this.days * 86400e6;
    this.seconds = Math.floor(rest / 1e6);
    this.microseconds = Math.round(rest - this.seconds * 1e6);
  }
  get totalMicro(): number {
    return this.days * 86400e6 + this.seconds * 1e6 + this.microseconds;
  }
  pyStr(): string {
    const h = Math.floor(this.seconds / 3600);
    const clock = `${h}:${pad(Math.floor((this.seconds % 3600) / 60))}:${pad(this.seconds % 60)}${this.microseconds ? `.${pad(this.microseconds, 6)}` : ''}`;
    if (this.days === 0) return clock;
    return `${this.days} day${Math.abs(this.days) === 1 ? '' : 's'}, ${clock}`;
  }
  override toString(): string {
    const parts = [['days', this.days], ['seconds', this.seconds], ['microseconds', this.microseconds]].filter(([, v]) => v !== 0);
    return `datetime.timedelta(${parts.map(([k, v]) => `${k}=${v}`).join(', ')})`;
  }
  attr(name: string): unknown {
    if (name === 'days' || name === 'seconds' || name === 'microseconds') return this[name];
    return undefined;
  }
  hasMethod(name: string): boolean {
    return name === 'total_seconds';
  }
  callMethod(name: string): unknown {
    if (name === 'total_seconds') return mkFloat(this.totalMicro / 1e6);
    throw new EvalError(`'timedelta' object has no attribute '${name}'`);
  }
  override arith(op: string, other: unknown, reflected: boolean): unknown {
    if (other instanceof PyTimeDelta && op === '+') return new PyTimeDelta(this.totalMicro + other.totalMicro);
    if (other instanceof PyTimeDelta && op === '-') return new PyTimeDelta((reflected ? -1 : 1) * (this.totalMicro - other.totalMicro));
    if (op === '-' && reflected && other instanceof PyDateTime) return other.shift(-this.totalMicro);
    if (op === '+' && other instanceof PyDateTime) return other.shift(this.totalMicro);
    if (op === '*' && isNumber(other)) return new PyTimeDelta(Math.round(this.totalMicro * num(other)));
    return undefined;
  }
}

export class PyDateTime extends PyObject {
  readonly pyType = 'datetime';
  constructor(
    /** Milliseconds of the naive wall-clock time read as UTC. */
    readonly ms: number,
    readonly micro = 0,
  ) {
    super();
  }
  get fields(): Fields {
    return fieldsOf(new Date(this.ms), true, this.micro);
  }
  shift(micro: number): PyDateTime {
    const total = this.ms * 1000 + this.micro + micro;
    const ms = Math.floor(total / 1e6) * 1000;
    return new PyDateTime(ms, total - ms * 1000);
  }
  pyStr(): string {
    return strftime(this.micro ? '%Y-%m-%d %H:%M:%S.%f' : '%Y-%m-%d %H:%M:%S', this.fields);
  }
  override toString(): string {
    const f = this.fields;
    const parts = [f.year, f.month, f.day, f.hour, f.minute];
    if (f.second || f.micro) parts.push(f.second);
    if (f.micro) parts.push(f.micro);
    return `datetime.datetime(${parts.join(', ')})`;
  }
  attr(name: string): unknown {
    const f = this.fields;
    const map: Record<string, number> = { year: f.year, month: f.month, day: f.day, hour: f.hour, minute: f.minute, second: f.second, microsecond: f.micro };
    return map[name];
  }
  hasMethod(name: string): boolean {
    return ['strftime', 'isoformat', 'weekday', 'isoweekday', 'timestamp'].includes(name);
  }
  callMethod(name: string, args: unknown[]): unknown {
    const f = this.fields;
    switch (name) {
      case 'strftime':
        return strftime(str(args[0]), f);
      case 'isoformat':
        return strftime(this.micro ? '%Y-%m-%dT%H:%M:%S.%f' : '%Y-%m-%dT%H:%M:%S', f).replace('T', args[0] === undefined ? 'T' : str(args[0]));
      case 'weekday':
        return f.weekday;
      case 'isoweekday':
        return f.weekday + 1;
      case 'timestamp': {
        // a naive datetime is local time, as in Python
        const local = new Date(f.year, f.month - 1, f.day, f.hour, f.minute, f.second).getTime();
        return mkFloat(local / 1000 + f.micro / 1e6);
      }
    }
    throw new EvalError(`'datetime.datetime' object has no attribute '${name}'`);
  }
  override arith(op: string, other: unknown, reflected: boolean): unknown {
    if (op === '-' && !reflected && other instanceof PyDateTime) return new PyTimeDelta((this.ms - other.ms) * 1000 + this.micro - other.micro);
    if (op === '-' && !reflected && other instanceof PyTimeDelta) return this.shift(-other.totalMicro);
    if (op === '+' && other instanceof PyTimeDelta) return this.shift(other.totalMicro);
    return undefined;
  }
}

/** Ansible's `now()` template global: the current local (or UTC) time as a naive datetime, or formatted with `fmt`. */
export function now(utc: boolean, fmt?: string): PyDateTime | string {
  const t = Date.now();
  const wall = utc ? t : t - new Date(t).getTimezoneOffset() * 60000;
  const whole = Math.floor(wall / 1000) * 1000;
  const dt = new PyDateTime(whole, (wall - whole) * 1000);
  return fmt === undefined ? dt : strftime(fmt, dt.fields);
}
