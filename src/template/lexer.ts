import { TemplateError } from './errors.js';
import { decodePyEscapes, PyEscapeError } from '../util/python-escapes.js';

export type TokenType = 'name' | 'int' | 'float' | 'string' | 'op' | 'eof';
export interface Token {
  type: TokenType;
  value: string;
  pos: number;
}

const OPERATORS = ['**', '//', '==', '!=', '<=', '>=', '+', '-', '*', '/', '%', '~', '(', ')', '[', ']', '{', '}', ',', '.', ':', '|', '=', '<', '>'];

/** Decodes a Python string literal body (Jinja unescapes with Python rules). */
function unescape(body: string): string {
  try {
    return decodePyEscapes(body);
  } catch (err) {
    if (err instanceof PyEscapeError) throw new TemplateError(err.message);
    throw err;
  }
}

/**
 * Tokenizes expression text starting at `start`. Stops (without consuming) at `end`
 * (e.g. "}}" or "%}", optionally preceded by "-", or "+" when `plusEnd`) once no bracket is
 * open, as Jinja does.
 * Returns the tokens and the index where the end marker starts.
 */
export function lex(text: string, start = 0, end?: string, rawStrings = false, plusEnd = false): { tokens: Token[]; stop: number } {
  const tokens: Token[] = [];
  const depth: string[] = [];
  let i = start;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (end && depth.length === 0) {
      if (text.startsWith(end, i)) return { tokens: [...tokens, { type: 'eof', value: '', pos: i }], stop: i };
      // "-%}" / "-}}" strip the whitespace after; "+%}" keeps the newline trim_blocks would eat
      if ((ch === '-' || (ch === '+' && plusEnd)) && text.startsWith(end, i + 1)) return { tokens: [...tokens, { type: 'eof', value: '', pos: i }], stop: i };
    }
    const prev = tokens[tokens.length - 1];
    if (/[0-9]/.test(ch)) {
      // after '.', only an integer index (foo.0.1 is foo[0][1])
      const re = prev && prev.type === 'op' && prev.value === '.' ? /[0-9](_?[0-9])*/y : /([0-9](_?[0-9])*)(\.[0-9](_?[0-9])*)?([eE][+-]?[0-9]+)?/y;
      re.lastIndex = i;
      const m = re.exec(text)!;
      const raw = m[0];
      const isFloat = /[.eE]/.test(raw);
      tokens.push({ type: isFloat ? 'float' : 'int', value: raw.replace(/_/g, ''), pos: i });
      i += raw.length;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const re = /[A-Za-z_][A-Za-z0-9_]*/y;
      re.lastIndex = i;
      const m = re.exec(text)!;
      tokens.push({ type: 'name', value: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== ch) j += text[j] === '\\' && !rawStrings ? 2 : 1;
      if (j >= text.length) throw new TemplateError(`unexpected end of string (unterminated string literal starting at character ${i + 1})`);
      const body = text.slice(i + 1, j);
      tokens.push({ type: 'string', value: rawStrings ? body : unescape(body), pos: i });
      i = j + 1;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new TemplateError(`unexpected char '${ch}' at ${i - start}`);
    if (op === '(' || op === '[' || op === '{') depth.push(op);
    else if (op === ')' || op === ']' || op === '}') {
      if (depth.length === 0) throw new TemplateError(`unexpected '${op}'`);
      const open = depth.pop();
      if ({ '(': ')', '[': ']', '{': '}' }[open!] !== op) throw new TemplateError(`unexpected '${op}', expected '${{ '(': ')', '[': ']', '{': '}' }[open!]}'`);
    }
    tokens.push({ type: 'op', value: op, pos: i });
    i += op.length;
  }
  if (end) throw new TemplateError(`unexpected end of template, expected '${end}'`);
  tokens.push({ type: 'eof', value: '', pos: i });
  return { tokens, stop: i };
}
