/**
 * Python's textwrap.wrap: Jinja's wordwrap filter calls it without tab expansion and keeping
 * whitespace; Ansible's Display wraps warnings with the defaults (`munge` first).
 */

// textwrap's character classes: its own whitespace set, "letter" is \w without digits.
const WS = '[\\t\\n\\v\\f\\r ]';
const NWS = '[^\\t\\n\\v\\f\\r ]';
const W = '[\\p{L}\\p{M}\\p{N}_]';
const LT = '[\\p{L}\\p{M}\\p{Nl}\\p{No}_]';
const WP = '[\\p{L}\\p{M}\\p{N}_!"\'&.,?]';
/** TextWrapper.wordsep_re: whitespace, an em-dash between words, a word split after the hyphens Python breaks at. */
const WORDSEP = new RegExp(
  `(${WS}+|(?<=${WP})-{2,}(?=${W})|${NWS}+?(?:-(?:(?<=${LT}{2}-)|(?<=${LT}-${LT}-))(?=${LT}-?${LT})|(?=${WS}|$)|(?<=${WP})(?=-{2,}${W})))`,
  'u',
);
const WORDSEP_SIMPLE = new RegExp(`(${WS}+)`);

function chunksOf(text: string, breakOnHyphens: boolean): string[] {
  return text.split(breakOnHyphens ? WORDSEP : WORDSEP_SIMPLE).filter((p) => p !== '');
}

/** TextWrapper's defaults before wrapping: tabs expanded to 8 columns, each whitespace character a space. */
export function munge(text: string): string {
  let col = 0;
  let out = '';
  for (const c of text) {
    if (c === '\t') {
      const n = 8 - (col % 8);
      out += ' '.repeat(n);
      col += n;
    } else {
      out += c;
      col = c === '\n' || c === '\r' ? 0 : col + 1;
    }
  }
  return out.replace(/[\t\n\v\f\r]/g, ' ');
}

export function wrap(text: string, width: number, breakLongWords: boolean, breakOnHyphens: boolean): string[] {
  const chunks = chunksOf(text, breakOnHyphens).reverse();
  const lines: string[] = [];
  const blank = (s: string) => s.trim() === '';
  while (chunks.length > 0) {
    const line: string[] = [];
    let len = 0;
    if (blank(chunks[chunks.length - 1]) && lines.length > 0) chunks.pop();
    while (chunks.length > 0 && len + chunks[chunks.length - 1].length <= width) {
      const c = chunks.pop() as string;
      line.push(c);
      len += c.length;
    }
    if (chunks.length > 0 && chunks[chunks.length - 1].length > width) {
      const chunk = chunks[chunks.length - 1];
      const room = width < 1 ? 1 : width - len;
      if (breakLongWords) {
        let end = room;
        const hyphen = breakOnHyphens ? chunk.lastIndexOf('-', room - 1) : -1;
        if (hyphen > 0 && /[^-]/.test(chunk.slice(0, hyphen))) end = hyphen + 1;
        line.push(chunk.slice(0, end));
        chunks[chunks.length - 1] = chunk.slice(end);
      } else if (line.length === 0) line.push(chunks.pop() as string);
    }
    if (line.length > 0 && blank(line[line.length - 1])) line.pop();
    if (line.length > 0) lines.push(line.join(''));
  }
  return lines;
}

/** str.splitlines(): the line boundaries Python recognises. */
export function splitLines(s: string): string[] {
  const lines = s.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
