import { EvalError, PythonException } from './errors.js';
import { repr, str } from './python.js';
import { PyFloat, PyObject, PyTuple, isFloat, isMapping, isNumber, mkFloat, num, typeName } from './values.js';

function isNumeric(v: unknown): boolean {
  return isNumber(v) || typeof v === 'boolean';
}

function unsupported(op: string, a: unknown, b: unknown): EvalError {
  return new EvalError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

/** Python arithmetic on Jinja values; `b` is unused for the unary 'neg'/'pos'. */
export function arith(op: string, a: unknown, b: unknown): unknown {
  const own = a instanceof PyObject ? a.arith(op, b, false) : b instanceof PyObject ? b.arith(op, a, true) : undefined;
  if (own !== undefined) return own;
  if (op === 'neg' || op === 'pos') {
    if (!isNumeric(a)) throw new EvalError(`bad operand type for unary ${op === 'neg' ? '-' : '+'}: '${typeName(a)}'`);
    const x = op === 'neg' ? -num(a) : num(a);
    return isFloat(a) ? mkFloat(x) : x;
  }
  if (isNumeric(a) && isNumeric(b)) {
    const x = num(a);
    const y = num(b);
    const float = isFloat(a) || isFloat(b);
    const out = (n: number) => (float ? mkFloat(n) : n);
    switch (op) {
      case '+':
        return out(x + y);
      case '-':
        return out(x - y);
      case '*':
        return out(x * y);
      case '/':
        if (y === 0) throw new PythonException('ZeroDivisionError', 'division by zero');
        return mkFloat(x / y);
      case '//':
        if (y === 0) throw new PythonException('ZeroDivisionError', 'integer division or modulo by zero');
        return out(Math.floor(x / y));
      case '%':
        if (y === 0) throw new PythonException('ZeroDivisionError', 'integer division or modulo by zero');
        return out(((x % y) + y) % y);
      case '**': {
        if (!float && y < 0) return x ** y;
        return out(x ** y);
      }
    }
  }
  if (op === '+') {
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
    if (typeof a === 'string') throw new EvalError(`can only concatenate str (not "${typeName(b)}") to str`);
    if (Array.isArray(a)) throw new EvalError(`can only concatenate list (not "${typeName(b)}") to list`);
  }
  if (op === '*') {
    const [seq, n] = typeof b === 'number' || typeof b === 'boolean' ? [a, b] : [b, a];
    if ((typeof seq === 'string' || Array.isArray(seq)) && (typeof n === 'number' || typeof n === 'boolean')) {
      const times = Math.max(0, num(n));
      if (typeof seq === 'string') return seq.repeat(times);
      const res: unknown[] = [];
      for (let i = 0; i < times; i++) res.push(...seq);
      return res;
    }
  }
  if (op === '%' && typeof a === 'string') return percentFormat(a, b);
  throw unsupported(op, a, b);
}

/** Python's printf-style `'%s-%d' % (a, b)`. */
export function percentFormat(fmt: string, args: unknown): string {
  const list = args instanceof PyTuple ? args : [args];
  const named = isMapping(args) ? args : undefined;
  let idx = 0;
  const out = fmt.replace(/%(\(([^)]*)\))?([-+ 0#]*)(\*|\d+)?(?:\.(\d+))?([diouxXeEfFgGcrsa%])/g, (_m, _k, key, flags: string, width, prec, conv: string) => {
    if (conv === '%') return '%';
    const v = key !== undefined && named ? named[key] : list[idx++];
    let s: string;
    switch (conv) {
      case 's':
        s = str(v);
        break;
      case 'r':
      case 'a':
        s = repr(v);
        break;
      case 'd':
      case 'i':
      case 'u':
        s = String(Math.trunc(num(v)));
        if (flags.includes('+') && num(v) >= 0) s = `+${s}`;
        break;
      case 'x':
      case 'X':
      case 'o': {
        const n = Math.trunc(num(v));
        s = Math.abs(n).toString(conv === 'o' ? 8 : 16);
        if (conv === 'X') s = s.toUpperCase();
        if (n < 0) s = `-${s}`;
        break;
      }
      case 'f':
      case 'F':
        s = num(v).toFixed(prec === undefined ? 6 : Number(prec));
        break;
      case 'e':
      case 'E':
        s = num(v).toExponential(prec === undefined ? 6 : Number(prec)).replace(/e([+-])(\d)$/, 'e$10$2');
        if (conv === 'E') s = s.toUpperCase();
        break;
      case 'g':
      case 'G':
        s = String(Number(num(v).toPrecision(prec === undefined ? 6 : Number(prec) || 1)));
        break;
      case 'c':
        s = typeof v === 'number' ? String.fromCodePoint(v) : str(v);
        break;
      default:
        s = str(v);
    }
    if (conv === 's' && prec !== undefined) s = s.slice(0, Number(prec));
    const w = width === undefined ? 0 : Number(width);
    if (s.length < w) {
      if (flags.includes('-')) s = s.padEnd(w);
      else if (flags.includes('0') && conv !== 's') {
        const neg = s.startsWith('-');
        s = (neg ? '-' : '') + s.slice(neg ? 1 : 0).padStart(w - (neg ? 1 : 0), '0');
      } else s = s.padStart(w);
    }
    return s;
  });
  if (!named && idx < list.length && args instanceof PyTuple) throw new EvalError('not all arguments converted during string formatting');
  return out;
}

export { PyFloat };
