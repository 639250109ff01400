import { lex, type Token } from './lexer.js';
import { mkFloat } from './values.js';

const NO = Symbol('not a literal');

/**
 * Python's ast.literal_eval for the text Ansible gets from rendering: lists, dicts, tuples,
 * strings, numbers, True/False/None. Returns undefined when the text is not such a literal.
 */
export function literalEval(text: string): { value: unknown } | undefined {
  let tokens: Token[];
  try {
    tokens = lex(text).tokens;
  } catch {
    return undefined;
  }
  let i = 0;
  const isOp = (v: string) => tokens[i].type === 'op' && tokens[i].value === v;
  const value = (): unknown => {
    const t = tokens[i];
    if (t.type === 'string') {
      let s = '';
      while (tokens[i].type === 'string') s += tokens[i++].value;
      return s;
    }
    if (t.type === 'int' || t.type === 'float') {
      i++;
      return t.type === 'int' ? parseInt(t.value, 10) : mkFloat(parseFloat(t.value));
    }
    if (t.type === 'op' && (t.value === '-' || t.value === '+')) {
      i++;
      const n = tokens[i];
      if (n.type !== 'int' && n.type !== 'float') return NO;
      const v = value() as number | { value: number };
      const x = typeof v === 'number' ? v : v.value;
      return n.type === 'int' ? (t.value === '-' ? -x : x) : mkFloat(t.value === '-' ? -x : x);
    }
    if (t.type === 'name') {
      i++;
      // JSON's names too: Ansible maps them to Python's before literal_eval
      if (t.value === 'True' || t.value === 'true') return true;
      if (t.value === 'False' || t.value === 'false') return false;
      if (t.value === 'None' || t.value === 'null') return null;
      return NO;
    }
    if (isOp('[') || isOp('(')) {
      const close = isOp('[') ? ']' : ')';
      i++;
      const items: unknown[] = [];
      let sawComma = false;
      while (!isOp(close)) {
        if (items.length) {
          if (!isOp(',')) return NO;
          i++;
          sawComma = true;
          if (isOp(close)) break;
        }
        const v = value();
        if (v === NO) return NO;
        items.push(v);
      }
      i++;
      if (close === ')' && items.length === 1 && !sawComma && tokens[i - 2].value !== ',') return items[0];
      return items;
    }
    if (isOp('{')) {
      i++;
      const out: Record<string, unknown> = {};
      let first = true;
      while (!isOp('}')) {
        if (!first) {
          if (!isOp(',')) return NO;
          i++;
          if (isOp('}')) break;
        }
        first = false;
        const k = value();
        if (k === NO || !isOp(':')) return NO;
        i++;
        const v = value();
        if (v === NO) return NO;
        out[typeof k === 'string' ? k : String(k)] = v;
      }
      i++;
      return out;
    }
    return NO;
  };
  try {
    const v = value();
    if (v === NO || tokens[i].type !== 'eof') return undefined;
    return { value: v };
  } catch {
    return undefined;
  }
}
