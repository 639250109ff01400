import { pyRegex, pyExpand } from '../../util/pyregex.js';

/** Pure lineinfile (Ansible's present()/absent() on a file's text, lines keep their `\n`). */
export interface LineSpec {
  regexp?: string;
  searchString?: string;
  line?: string;
  insertafter?: string;
  insertbefore?: string;
  backrefs?: boolean;
  firstmatch?: boolean;
}

export interface LineEdit {
  content: string;
  changed: boolean;
  msg: string;
  /** Lines removed (absent). */
  found?: number;
}

/** Python's readlines(): split after each `\n`, keeping it. */
export function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

const stripEol = (s: string) => s.replace(/[\r\n]+$/, '');
const endsWithEol = (s: string) => s.endsWith('\n') || s.endsWith('\r');

export function linePresent(text: string, spec: LineSpec): LineEdit {
  const lines = splitLines(text);
  const line = spec.line ?? '';
  const re = spec.regexp !== undefined ? pyRegex(spec.regexp) : undefined;
  let insRe: RegExp | undefined;
  if (spec.insertafter !== undefined && spec.insertafter !== 'BOF' && spec.insertafter !== 'EOF') insRe = pyRegex(spec.insertafter);
  else if (spec.insertbefore !== undefined && spec.insertbefore !== 'BOF') insRe = pyRegex(spec.insertbefore);
  let matchIdx = -1;
  let insIdx = -1;
  let match: RegExpExecArray | null = null;
  // A regexp or search_string match wins; insertafter/insertbefore only matter without one.
  if (re) {
    for (const [n, cur] of lines.entries()) {
      const m = re.exec(cur);
      if (m) {
        matchIdx = n;
        match = m;
        if (spec.firstmatch) break;
      }
    }
  }
  let stringMatched = false;
  if (spec.searchString !== undefined) {
    for (const [n, cur] of lines.entries()) {
      if (cur.includes(spec.searchString)) {
        matchIdx = n;
        stringMatched = true;
        if (spec.firstmatch) break;
      }
    }
  }
  const matched = match !== null || stringMatched;
  if (!matched) {
    for (const [n, cur] of lines.entries()) {
      if (line === stripEol(cur)) {
        matchIdx = n;
      } else if (insRe && insRe.test(cur)) {
        if (spec.insertafter !== undefined) {
          insIdx = n + 1;
          if (spec.firstmatch) break;
        }
        if (spec.insertbefore !== undefined) {
          insIdx = n;
          if (spec.firstmatch) break;
        }
      }
    }
  }
  let msg = '';
  let changed = false;
  const added = () => {
    msg = 'line added';
    changed = true;
  };
  if (matchIdx !== -1) {
    let newLine = spec.backrefs && match ? pyExpand(line, match) : line;
    if (!newLine.endsWith('\n')) newLine += '\n';
    if (lines[matchIdx] !== newLine) {
      lines[matchIdx] = newLine;
      msg = 'line replaced';
      changed = true;
    }
  } else if (spec.backrefs) {
    // Without a match the backrefs cannot be filled in: leave the file alone.
  } else if (spec.insertbefore === 'BOF' || spec.insertafter === 'BOF') {
    lines.unshift(line + '\n');
    added();
  } else if (spec.insertafter === 'EOF' || insIdx === -1) {
    if (lines.length && !endsWithEol(lines[lines.length - 1]!)) lines.push('\n');
    lines.push(line + '\n');
    added();
  } else if (spec.insertafter !== undefined && insIdx !== -1) {
    if (lines.length === insIdx) {
      if (stripEol(lines[insIdx - 1]!) !== line) {
        // Like ansible-core 2.14: no newline is added to an unterminated last line here.
        lines.push(line + '\n');
        added();
      }
    } else if (line !== stripEol(lines[insIdx]!)) {
      lines.splice(insIdx, 0, line + '\n');
      added();
    }
  } else {
    lines.splice(insIdx, 0, line + '\n');
    added();
  }
  return { content: lines.join(''), changed, msg };
}

export function lineAbsent(text: string, spec: LineSpec): LineEdit {
  const lines = splitLines(text);
  const re = spec.regexp !== undefined ? pyRegex(spec.regexp) : undefined;
  let found = 0;
  const kept = lines.filter((cur) => {
    const hit = re ? re.test(cur) : spec.searchString !== undefined ? cur.includes(spec.searchString) : (spec.line ?? '') === stripEol(cur);
    if (hit) found++;
    return !hit;
  });
  return { content: kept.join(''), changed: found > 0, msg: found > 0 ? `${found} line(s) removed` : '', found };
}
