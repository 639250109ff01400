/** Text Python's int() and float() accept (surrounding whitespace, a sign; no hex, no empty). */
export const INT_TEXT = /^\s*[-+]?\d+\s*$/;
export const FLOAT_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
const FLOAT_WORDS = /^\s*([-+]?)(inf|infinity|nan)\s*$/i;

/** Python's int(text), or undefined where it raises ValueError. */
export function pyInt(text: string): number | undefined {
  return INT_TEXT.test(text) ? Number.parseInt(text, 10) : undefined;
}

/** Python's float(text), or undefined where it raises ValueError. */
export function pyFloat(text: string): number | undefined {
  if (FLOAT_TEXT.test(text)) return Number(text);
  const w = FLOAT_WORDS.exec(text);
  if (!w) return undefined;
  if (w[2].toLowerCase() === 'nan') return Number.NaN;
  return w[1] === '-' ? -Infinity : Infinity;
}
