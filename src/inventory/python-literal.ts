/**
 * A subset of Python's `ast.literal_eval`, which Ansible's INI plugin applies to variable
 * values: numbers, strings, True/False/None, lists, tuples, sets and dicts. Anything else
 * (a bare word, an expression) is not a literal and the caller keeps the raw text.
 * Tuples and sets become arrays, as they do once Ansible serialises them to JSON.
 */
import { decodePyEscapes, PyEscapeError } from '../util/python-escapes.js';

export type LiteralResult = { ok: true; value: unknown } | { ok: false };

class NotLiteral extends Error {}

type Tok =
  | { kind: 'num'; value: number }
  | { kind: 'str'; value: string }
  | { kind: 'name'; value: string }
  | { kind: 'op'; value: string }
  | { kind: 'end' };

const NUMBER_RE =
  /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.?)(?:[eE][+-]?[0-9](?:_?[0-9])*)?)/;

function parseNumber(text: string): number {
  const clean = text.replace(/_/g, '');
  if (/^0[xX]/.test(clean)) return parseInt(clean.slice(2), 16);
  if (/^0[oO]/.test(clean)) return parseInt(clean.slice(2), 8);
  if (/^0[bB]/.test(clean)) return parseInt(clean.slice(2), 2);
  // Python rejects decimal integers with leading zeros ("010"), but accepts "00".
  if (/^0[0-9]+$/.test(clean) && /[1-9]/.test(clean)) throw new NotLiteral();
  return Number(clean);
}

function decodeEscapes(body: string): string {
  try {
    return decodePyEscapes(body);
  } catch (err) {
    if (err instanceof PyEscapeError) throw new NotLiteral();
    throw err;
  }
}

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === ' ' || ch === '\t' || ch === '\f') {
      i++;
      continue;
    }
    if (ch === '#') break; // a Python comment ends the expression
    const strStart = /^([rRbBuU]{0,2})('''|"""|'|")/.exec(src.slice(i));
    if (strStart && (strStart[1] === '' || /^(?:[rR]|[bB]|[uU]|[rR][bB]|[bB][rR])$/.test(strStart[1]))) {
      const prefix = strStart[1].toLowerCase();
      const quote = strStart[2];
      let j = i + strStart[0].length;
      let body = '';
      for (;;) {
        if (j >= src.length) throw new NotLiteral();
        if (src.startsWith(quote, j)) break;
        if (src[j] === '\\' && j + 1 < src.length) {
          body += src[j] + src[j + 1];
          j += 2;
          continue;
        }
        if (src[j] === '\n' && quote.length === 1) throw new NotLiteral();
        body += src[j];
        j++;
      }
      toks.push({ kind: 'str', value: prefix.includes('r') ? body : decodeEscapes(body) });
      i = j + quote.length;
      continue;
    }
    const num = /^[0-9.]/.test(ch) ? NUMBER_RE.exec(src.slice(i)) : null;
    if (num && num[0] !== '.') {
      const after = src[i + num[0].length];
      if (after !== undefined && /[A-Za-z0-9_]/.test(after)) throw new NotLiteral(); // 1j, 1abc
      toks.push({ kind: 'num', value: parseNumber(num[0]) });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (name) {
      toks.push({ kind: 'name', value: name[0] });
      i += name[0].length;
      continue;
    }
    if ('[](){},:+-'.includes(ch)) {
      toks.push({ kind: 'op', value: ch });
      i++;
      continue;
    }
    throw new NotLiteral();
  }
  toks.push({ kind: 'end' });
  return toks;
}

class Parser {
  private pos = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok {
    return this.toks[this.pos];
  }
  private isOp(value: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.value === value;
  }
  private expectOp(value: string): void {
    if (!this.isOp(value)) throw new NotLiteral();
    this.pos++;
  }

  parseTop(): unknown {
    const value = this.parseValue();
    // A bare top-level tuple: "1, 2"
    if (this.isOp(',')) {
      const items = [value];
      while (this.isOp(',')) {
        this.pos++;
        if (this.peek().kind === 'end') break;
        items.push(this.parseValue());
      }
      if (this.peek().kind !== 'end') throw new NotLiteral();
      return items;
    }
    if (this.peek().kind !== 'end') throw new NotLiteral();
    return value;
  }

  parseValue(): unknown {
    const t = this.peek();
    if (t.kind === 'num') {
      this.pos++;
      return t.value;
    }
    if (t.kind === 'str') {
      this.pos++;
      let s = t.value;
      // Adjacent literals concatenate: 'a' 'b'
      for (let n = this.peek(); n.kind === 'str'; n = this.peek()) {
        s += n.value;
        this.pos++;
      }
      return s;
    }
    if (t.kind === 'name') {
      this.pos++;
      if (t.value === 'True') return true;
      if (t.value === 'False') return false;
      if (t.value === 'None') return null;
      throw new NotLiteral();
    }
    if (t.kind === 'op') {
      if (t.value === '-' || t.value === '+') {
        this.pos++;
        const n = this.peek();
        if (n.kind !== 'num') throw new NotLiteral();
        this.pos++;
        return t.value === '-' ? -n.value : n.value;
      }
      if (t.value === '[') return this.parseSeq('[', ']');
      if (t.value === '(') return this.parseSeq('(', ')');
      if (t.value === '{') return this.parseBrace();
    }
    throw new NotLiteral();
  }

  private parseSeq(open: string, close: string): unknown {
    this.expectOp(open);
    const items: unknown[] = [];
    let sawComma = false;
    while (!this.isOp(close)) {
      items.push(this.parseValue());
      if (this.isOp(',')) {
        this.pos++;
        sawComma = true;
      } else break;
    }
    this.expectOp(close);
    // "(1)" is just 1 in Python; "(1,)" is a tuple.
    if (open === '(' && items.length === 1 && !sawComma) return items[0];
    return items;
  }

  private parseBrace(): unknown {
    this.expectOp('{');
    if (this.isOp('}')) {
      this.pos++;
      return {};
    }
    const first = this.parseValue();
    if (this.isOp(':')) {
      const out: Record<string, unknown> = {};
      this.pos++;
      out[dictKey(first)] = this.parseValue();
      while (this.isOp(',')) {
        this.pos++;
        if (this.isOp('}')) break;
        const k = this.parseValue();
        this.expectOp(':');
        out[dictKey(k)] = this.parseValue();
      }
      this.expectOp('}');
      return out;
    }
    const items = [first];
    while (this.isOp(',')) {
      this.pos++;
      if (this.isOp('}')) break;
      items.push(this.parseValue());
    }
    this.expectOp('}');
    return items;
  }
}

function dictKey(k: unknown): string {
  if (k === null) return 'null';
  if (typeof k === 'object') throw new NotLiteral(); // unhashable
  return String(k);
}

export function literalEval(text: string): LiteralResult {
  try {
    const src = text.replace(/^[ \t]+/, '');
    if (src.includes('\n') || src.includes('\r')) return { ok: false };
    const toks = tokenize(src);
    if (toks.length === 1) return { ok: false };
    return { ok: true, value: new Parser(toks).parseTop() };
  } catch (err) {
    if (err instanceof NotLiteral) return { ok: false };
    throw err;
  }
}

/** Ansible's `InventoryModule._parse_value`: the literal if there is one, else the text. */
export function iniValue(text: string): unknown {
  const r = literalEval(text);
  return r.ok ? r.value : text;
}
