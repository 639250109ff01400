/** Python's textwrap.wrap as Jinja's wordwrap filter calls it (no tab expansion, whitespace kept). */

function chunksOf(text: string, breakOnHyphens: boolean): string[] {
  const parts = text.split(/(\s+)/).filter((p) => p !== '');
  if (!breakOnHyphens) return parts;
  // a hyphenated word may break after each hyphen that follows a letter
  return parts.flatMap((p) => (/\s/.test(p) ? [p] : p.split(/(?<=[A-Za-z]-)(?=[A-Za-z])/)));
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
      const room = Math.max(width - len, 1);
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
