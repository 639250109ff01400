/**
 * Python's repr() and str() of plain data (None, bools, numbers, strings, lists, dicts), the
 * text Ansible shows wherever Python formats a value: Jinja output of lists and dicts,
 * `ansible-inventory --graph --vars`, loop item labels. Layers with their own value types
 * (the template engine's floats, tuples, undefined) extend it through `special`.
 */

/** Python repr() of a str: single quotes unless the text has ' and no ", escapes for controls. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** Python repr() of a float: shortest round-trip digits, exponent outside [1e-4, 1e16). */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e16 || abs < 1e-4) {
    const [mant, exp] = n.toExponential().split('e');
    const e = Number(exp);
    return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const s = String(n);
  if (s.includes('e')) return n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '.0');
  return s.includes('.') ? s : `${s}.0`;
}

/**
 * For values plain data cannot tell apart (a float 1.0 from an int 1, a tuple from a list):
 * the repr text, or undefined to fall back to the plain-data rules. `repr` recurses.
 */
export type SpecialRepr = (value: unknown, repr: (v: unknown) => string) => string | undefined;

/** Python repr(). A JS number is an int when it is integral, else a float. */
export function pyRepr(value: unknown, special?: SpecialRepr): string {
  const repr = (v: unknown): string => {
    const own = special?.(v, repr);
    if (own !== undefined) return own;
    if (v === null || v === undefined) return 'None';
    if (v === true) return 'True';
    if (v === false) return 'False';
    if (typeof v === 'string') return pyStrRepr(v);
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
    if (Array.isArray(v)) return `[${v.map(repr).join(', ')}]`;
    if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${pyStrRepr(k)}: ${repr(x)}`).join(', ')}}`;
    return String(v);
  };
  return repr(value);
}

/** Python str(): a string as itself, anything else as its repr(). */
export function pyStr(value: unknown, special?: SpecialRepr): string {
  return typeof value === 'string' ? value : pyRepr(value, special);
}
