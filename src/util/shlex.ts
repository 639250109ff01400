/**
 * Python's `shlex.split(text, comments=..., posix=True)`, the one tokenizer Ansible uses for
 * INI host lines (with comments), the command/script modules' free-form text and
 * ansible_ssh_*_args. Whitespace (space, tab, CR, LF) separates words; quotes group and are
 * removed; a backslash escapes the next character outside quotes, and only `"` and `\` inside
 * double quotes; single quotes escape nothing. Errors carry Python's messages.
 */
export class ShlexError extends Error {}

export interface ShlexOptions {
  /** `#` outside quotes, even inside a word, skips to the end of the line (comments=True). */
  comments?: boolean;
}

const WHITESPACE = ' \t\r\n';

export function shlexSplit(text: string, opts: ShlexOptions = {}): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false; // a quoted empty string still makes a word
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (WHITESPACE.includes(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (ch === '#' && opts.comments) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? text.length : eol + 1;
    } else if (ch === '\\') {
      if (i + 1 >= text.length) throw new ShlexError('No escaped character');
      word += text[i + 1];
      inWord = true;
      i += 2;
    } else if (ch === "'" || ch === '"') {
      const quoted = readQuoted(text, i + 1, ch);
      word += quoted.text;
      inWord = true;
      i = quoted.end + 1;
    } else {
      word += ch;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

function readQuoted(text: string, start: number, quote: string): { text: string; end: number } {
  let out = '';
  let i = start;
  while (i < text.length) {
    const ch = text[i];
    if (ch === quote) return { text: out, end: i };
    if (quote === '"' && ch === '\\') {
      if (i + 1 >= text.length) throw new ShlexError('No escaped character');
      const next = text[i + 1];
      out += next === '"' || next === '\\' ? next : ch + next;
      i += 2;
      continue;
    }
    out += ch;
    i++;
  }
  throw new ShlexError('No closing quotation');
}
