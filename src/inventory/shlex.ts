/**
 * Python's `shlex.split(line, comments=True, posix=True)`, which Ansible's INI plugin uses
 * for host lines: whitespace separates tokens, quotes group and are removed, `#` outside
 * quotes starts a comment (even in the middle of a word), backslash escapes.
 */
export class ShlexError extends Error {}

const WHITESPACE = ' \t\r\n';

export function shlexSplit(line: string): string[] {
  const tokens: string[] = [];
  let token = '';
  let inToken = false; // a quoted empty string still makes a token
  let i = 0;
  while (i < line.length) {
    const ch = line[i];
    if (WHITESPACE.includes(ch)) {
      if (inToken) tokens.push(token);
      token = '';
      inToken = false;
      i++;
    } else if (ch === '#') {
      break;
    } else if (ch === '\\') {
      if (i + 1 >= line.length) throw new ShlexError('No escaped character');
      token += line[i + 1];
      inToken = true;
      i += 2;
    } else if (ch === "'" || ch === '"') {
      const close = readQuoted(line, i + 1, ch);
      token += close.text;
      inToken = true;
      i = close.end + 1;
    } else {
      token += ch;
      inToken = true;
      i++;
    }
  }
  if (inToken) tokens.push(token);
  return tokens;
}

function readQuoted(line: string, start: number, quote: string): { text: string; end: number } {
  let text = '';
  let i = start;
  while (i < line.length) {
    const ch = line[i];
    if (ch === quote) return { text, end: i };
    // Inside double quotes a backslash escapes only `"` and `\`; elsewhere it stays literal.
    if (quote === '"' && ch === '\\') {
      if (i + 1 >= line.length) throw new ShlexError('No escaped character');
      const next = line[i + 1];
      text += next === '"' || next === '\\' ? next : ch + next;
      i += 2;
      continue;
    }
    text += ch;
    i++;
  }
  throw new ShlexError('No closing quotation');
}
