import { EvalError } from './errors.js';
import { iterate, pyCompare, pyEquals, repr, str } from './python.js';
import { PyObject, isLazyMapping, isMapping, isNumber, materialize, num, tuple } from './values.js';

const STR_METHODS = new Set([
  'split', 'rsplit', 'strip', 'lstrip', 'rstrip', 'lower', 'upper', 'capitalize', 'title', 'replace', 'startswith',
  'endswith', 'find', 'rfind', 'index', 'count', 'join', 'format', 'isdigit', 'isalpha', 'isalnum', 'isspace',
  'islower', 'isupper', 'isnumeric', 'zfill', 'center', 'ljust', 'rjust', 'splitlines', 'partition', 'rpartition', 'swapcase', 'casefold',
]);
const LIST_METHODS = new Set(['append', 'extend', 'insert', 'pop', 'remove', 'index', 'count', 'reverse', 'sort', 'copy']);
const DICT_METHODS = new Set(['keys', 'values', 'items', 'get', 'update', 'pop', 'copy', 'setdefault']);

export function hasMethod(obj: unknown, name: string): boolean {
  if (typeof obj === 'string') return STR_METHODS.has(name);
  if (Array.isArray(obj)) return LIST_METHODS.has(name);
  if (isMapping(obj) && !(obj instanceof Map)) return DICT_METHODS.has(name);
  return false;
}

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  const set = chars === undefined || chars === null ? null : new Set([...str(chars)]);
  const isStrip = (c: string) => (set ? set.has(c) : /\s/.test(c));
  const cs = [...s];
  let a = 0;
  let b = cs.length;
  if (left) while (a < b && isStrip(cs[a])) a++;
  if (right) while (b > a && isStrip(cs[b - 1])) b--;
  return cs.slice(a, b).join('');
}

export function pySplit(s: string, sep: unknown, maxsplit: unknown): string[] {
  const max = maxsplit === undefined || maxsplit === null ? -1 : num(maxsplit);
  if (sep === undefined || sep === null) {
    const parts: string[] = [];
    let rest = s.replace(/^\s+/, '');
    while (rest.length) {
      if (max >= 0 && parts.length === max) {
        parts.push(rest);
        break;
      }
      const m = /\s+/.exec(rest);
      if (!m) {
        parts.push(rest);
        break;
      }
      parts.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return parts;
  }
  const sp = str(sep);
  if (sp === '') throw new EvalError('empty separator');
  const all = s.split(sp);
  if (max < 0 || all.length <= max + 1) return all;
  return [...all.slice(0, max), all.slice(max).join(sp)];
}

function title(s: string): string {
  return s.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase());
}

function formatSpec(v: unknown, spec: string): string {
  const m = /^(?:(.)?([<>^=]))?([-+ ])?(0)?(\d+)?(,)?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/.exec(spec);
  if (!m) throw new EvalError(`invalid format specifier '${spec}'`);
  const [, fillCh, align, sign, zero, width, comma, prec, type] = m;
  let s: string;
  const n = isNumber(v) || typeof v === 'boolean' ? num(v) : NaN;
  switch (type) {
    case 'd':
    case 'n':
      s = String(Math.trunc(n));
      break;
    case 'f':
    case 'F':
      s = n.toFixed(prec === undefined ? 6 : Number(prec));
      break;
    case 'e':
    case 'E':
      s = n.toExponential(prec === undefined ? 6 : Number(prec)).replace(/e([+-])(\d)$/, 'e$10$2');
      break;
    case 'x':
    case 'X':
      s = Math.trunc(n).toString(16);
      if (type === 'X') s = s.toUpperCase();
      break;
    case 'o':
      s = Math.trunc(n).toString(8);
      break;
    case 'b':
      s = Math.trunc(n).toString(2);
      break;
    case '%':
      s = `${(n * 100).toFixed(prec === undefined ? 6 : Number(prec))}%`;
      break;
    default:
      s = str(v);
      if (prec !== undefined && typeof v === 'string') s = s.slice(0, Number(prec));
      else if (prec !== undefined && !Number.isNaN(n)) s = String(Number(n.toPrecision(Number(prec))));
  }
  if (comma) s = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  if (sign === '+' && !Number.isNaN(n) && n >= 0) s = `+${s}`;
  const w = width ? Number(width) : 0;
  const fill = fillCh ?? (zero ? '0' : ' ');
  const al = align ?? (zero ? '=' : typeof v === 'string' ? '<' : '>');
  if (s.length < w) {
    const pad = w - s.length;
    if (al === '<') s += fill.repeat(pad);
    else if (al === '>') s = fill.repeat(pad) + s;
    else if (al === '^') s = fill.repeat(Math.floor(pad / 2)) + s + fill.repeat(Math.ceil(pad / 2));
    else {
      const neg = /^[-+]/.test(s) ? s[0] : '';
      s = neg + fill.repeat(pad) + s.slice(neg.length);
    }
  }
  return s;
}

/** Python str.format with positional/keyword fields and common format specs. */
export function strFormat(fmt: string, args: unknown[], kwargs: Record<string, unknown>): string {
  let auto = 0;
  return fmt.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rs]))?(?::([^{}]*))?\}/g, (m, field: string | undefined, conv, spec) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const [head, ...rest] = (field ?? '').split('.');
    let v: unknown = head === '' ? args[auto++] : /^\d+$/.test(head) ? args[Number(head)] : kwargs[head];
    for (const attr of rest) v = isMapping(v) ? (v as Record<string, unknown>)[attr] : undefined;
    if (v === undefined && !(head in kwargs)) throw new EvalError(`Replacement index ${head || auto - 1} out of range for positional args tuple`);
    if (conv === 'r') v = repr(v);
    return spec ? formatSpec(v, spec) : str(v);
  });
}

export function callMethod(self: unknown, name: string, args: unknown[], kwargs: Record<string, unknown>): unknown {
  if (isLazyMapping(self)) self = materialize(self);
  if (self instanceof PyObject) return self.callMethod(name, args, kwargs);
  if (typeof self === 'string') return strMethod(self, name, args, kwargs);
  if (Array.isArray(self)) return listMethod(self, name, args);
  if (isMapping(self)) return dictMethod(self as Record<string, unknown>, name, args);
  throw new EvalError(`'${name}' is not callable`);
}

function strMethod(s: string, name: string, args: unknown[], kwargs: Record<string, unknown>): unknown {
  const a0 = args[0];
  switch (name) {
    case 'split':
      return pySplit(s, a0 ?? kwargs.sep, args[1] ?? kwargs.maxsplit);
    case 'rsplit': {
      const max = args[1] ?? kwargs.maxsplit;
      if (max === undefined || num(max) < 0) return pySplit(s, a0 ?? kwargs.sep, undefined);
      const rev = (x: string) => [...x].reverse().join('');
      const sep = a0 ?? kwargs.sep;
      return pySplit(rev(s), sep === undefined || sep === null ? sep : rev(str(sep)), max).map(rev).reverse();
    }
    case 'strip':
      return stripChars(s, a0, true, true);
    case 'lstrip':
      return stripChars(s, a0, true, false);
    case 'rstrip':
      return stripChars(s, a0, false, true);
    case 'lower':
    case 'casefold':
      return s.toLowerCase();
    case 'upper':
      return s.toUpperCase();
    case 'swapcase':
      return [...s].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
    case 'capitalize':
      return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
    case 'title':
      return title(s);
    case 'replace': {
      const count = args[2] === undefined ? -1 : num(args[2]);
      const parts = s.split(str(a0));
      if (count < 0 || parts.length - 1 <= count) return parts.join(str(args[1]));
      return parts.slice(0, count + 1).join(str(args[1])) + str(a0) + parts.slice(count + 1).join(str(a0));
    }
    case 'startswith':
    case 'endswith': {
      const opts = Array.isArray(a0) ? a0.map(str) : [str(a0)];
      return opts.some((p) => (name === 'startswith' ? s.startsWith(p) : s.endsWith(p)));
    }
    case 'find':
      return s.indexOf(str(a0));
    case 'rfind':
      return s.lastIndexOf(str(a0));
    case 'index': {
      const i = s.indexOf(str(a0));
      if (i < 0) throw new EvalError('substring not found');
      return i;
    }
    case 'count':
      return str(a0) === '' ? s.length + 1 : s.split(str(a0)).length - 1;
    case 'join':
      return iterate(a0).map(str).join(s);
    case 'format':
      return strFormat(s, args, kwargs);
    case 'isdigit':
    case 'isnumeric':
      return /^[0-9]+$/.test(s);
    case 'isalpha':
      return /^\p{L}+$/u.test(s);
    case 'isalnum':
      return /^[\p{L}0-9]+$/u.test(s);
    case 'isspace':
      return /^\s+$/.test(s);
    case 'islower':
      return /[a-z]/.test(s) && s === s.toLowerCase();
    case 'isupper':
      return /[A-Z]/.test(s) && s === s.toUpperCase();
    case 'zfill': {
      const w = num(a0);
      const neg = /^[-+]/.test(s) ? s[0] : '';
      return neg + s.slice(neg.length).padStart(w - neg.length, '0');
    }
    case 'center':
    case 'ljust':
    case 'rjust': {
      const w = num(a0);
      const fill = args[1] === undefined ? ' ' : str(args[1]);
      if (s.length >= w) return s;
      const pad = w - s.length;
      if (name === 'ljust') return s + fill.repeat(pad);
      if (name === 'rjust') return fill.repeat(pad) + s;
      const left = Math.floor(pad / 2) + (pad & w & 1);
      return fill.repeat(left) + s + fill.repeat(pad - left);
    }
    case 'splitlines':
      return s.split(/\r\n|\r|\n/).filter((x, i, arr) => i < arr.length - 1 || x !== '');
    case 'partition':
    case 'rpartition': {
      const sep = str(a0);
      const i = name === 'partition' ? s.indexOf(sep) : s.lastIndexOf(sep);
      if (i < 0) return tuple(name === 'partition' ? [s, '', ''] : ['', '', s]);
      return tuple([s.slice(0, i), sep, s.slice(i + sep.length)]);
    }
  }
  throw new EvalError(`'str object' has no attribute '${name}'`);
}

function listMethod(l: unknown[], name: string, args: unknown[]): unknown {
  switch (name) {
    case 'append':
      l.push(args[0]);
      return null;
    case 'extend':
      l.push(...iterate(args[0]));
      return null;
    case 'insert':
      l.splice(num(args[0]), 0, args[1]);
      return null;
    case 'pop': {
      if (l.length === 0) throw new EvalError('pop from empty list');
      const i = args[0] === undefined ? l.length - 1 : num(args[0]) < 0 ? l.length + num(args[0]) : num(args[0]);
      return l.splice(i, 1)[0];
    }
    case 'remove': {
      const i = l.findIndex((x) => pyEquals(x, args[0]));
      if (i < 0) throw new EvalError('list.remove(x): x not in list');
      l.splice(i, 1);
      return null;
    }
    case 'index': {
      const i = l.findIndex((x) => pyEquals(x, args[0]));
      if (i < 0) throw new EvalError(`${repr(args[0])} is not in list`);
      return i;
    }
    case 'count':
      return l.filter((x) => pyEquals(x, args[0])).length;
    case 'reverse':
      l.reverse();
      return null;
    case 'sort':
      l.sort(pyCompare);
      return null;
    case 'copy':
      return [...l];
  }
  throw new EvalError(`'list object' has no attribute '${name}'`);
}

function dictMethod(d: Record<string, unknown>, name: string, args: unknown[]): unknown {
  const has = (k: unknown) => Object.prototype.hasOwnProperty.call(d, str(k));
  switch (name) {
    case 'keys':
      return Object.keys(d);
    case 'values':
      return Object.values(d);
    case 'items':
      return Object.entries(d).map((e) => tuple(e));
    case 'get':
      return has(args[0]) ? d[str(args[0])] : args[1] === undefined ? null : args[1];
    case 'update':
      Object.assign(d, args[0]);
      return null;
    case 'pop': {
      if (!has(args[0])) {
        if (args.length > 1) return args[1];
        throw new EvalError(`KeyError: ${repr(args[0])}`);
      }
      const v = d[str(args[0])];
      delete d[str(args[0])];
      return v;
    }
    case 'setdefault':
      if (!has(args[0])) d[str(args[0])] = args[1] ?? null;
      return d[str(args[0])];
    case 'copy':
      return { ...d };
  }
  throw new EvalError(`'dict object' has no attribute '${name}'`);
}
