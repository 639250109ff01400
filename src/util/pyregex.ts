/**
 * Python `re` patterns and replacement templates on JS RegExps: what Jinja's regex filters and
 * tests, lineinfile/blockinfile/replace and wait_for's search_regex are written in.
 * Covers (?P<n>..), (?P=n), leading inline flags, \A \Z, Python's `$` (also before a final
 * newline), `^`/`$` under MULTILINE (only around \n, as in Python) and `[]...]` classes.
 * Errors are PyRegexError; each layer turns them into its own user error.
 */
export class PyRegexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PyRegexError';
  }
}

export interface PyRegexOptions {
  ignorecase?: boolean;
  multiline?: boolean;
  dotall?: boolean;
  global?: boolean;
  /** JS `d` flag: match.indices (for slicing by group position). */
  indices?: boolean;
}

export function pyRegex(pattern: string, opts: PyRegexOptions = {}): RegExp {
  let flags = (opts.global ? 'g' : '') + (opts.indices ? 'd' : '');
  let ignorecase = !!opts.ignorecase;
  let multiline = !!opts.multiline;
  let dotall = !!opts.dotall;
  let src = pattern;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (inline) {
    src = src.slice(inline[0].length);
    for (const f of inline[1]!) {
      if (f === 'i') ignorecase = true;
      else if (f === 'm') multiline = true;
      else if (f === 's') dotall = true;
      else if (f === 'x') throw new PyRegexError(`regex flag (?x) is not supported: ${pattern}`);
    }
  }
  if (ignorecase) flags += 'i';
  if (dotall) flags += 's';
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) throw new PyRegexError(`bad escape (end of pattern) in ${pattern}`);
      if (n === 'A') out += '(?<![\\s\\S])';
      else if (n === 'Z') out += '(?![\\s\\S])';
      else out += c + n;
      i += 2;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      let cls = '[';
      if (src[j] === '^') {
        cls += '^';
        j++;
      }
      if (src[j] === ']') {
        cls += '\\]';
        j++;
      }
      while (j < src.length && src[j] !== ']') {
        if (src[j] === '\\') {
          cls += src.slice(j, j + 2);
          j += 2;
        } else if (src[j] === '[') {
          cls += '\\[';
          j++;
        } else cls += src[j++];
      }
      if (j >= src.length) throw new PyRegexError(`unterminated character set in ${pattern}`);
      out += cls + ']';
      i = j + 1;
      continue;
    }
    if (src.startsWith('(?P<', i)) {
      out += '(?<';
      i += 4;
      continue;
    }
    if (src.startsWith('(?P=', i)) {
      const end = src.indexOf(')', i);
      if (end < 0) throw new PyRegexError(`missing ), unterminated name in ${pattern}`);
      out += `\\k<${src.slice(i + 4, end)}>`;
      i = end + 1;
      continue;
    }
    if (c === '$') {
      out += multiline ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))';
      i++;
      continue;
    }
    if (c === '^' && multiline) {
      out += '(?<![^\\n])';
      i++;
      continue;
    }
    out += c;
    i++;
  }
  try {
    return new RegExp(out, flags);
  } catch (e) {
    throw new PyRegexError(`invalid regular expression ${pattern}: ${(e as Error).message}`);
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', '\\': '\\' };

/** Python's match.expand / re.sub template: \1, \g<1>, \g<name>, \n...; unmatched groups are ''. */
export function pyExpand(template: string, m: RegExpExecArray | RegExpMatchArray): string {
  let out = '';
  let i = 0;
  const group = (ref: string): string => {
    if (/^\d+$/.test(ref)) {
      const n = Number(ref);
      if (n >= m.length) throw new PyRegexError(`invalid group reference ${ref}`);
      return m[n] ?? '';
    }
    if (!m.groups || !(ref in m.groups)) throw new PyRegexError(`unknown group name '${ref}'`);
    return m.groups[ref] ?? '';
  };
  while (i < template.length) {
    const c = template[i]!;
    if (c !== '\\' || i + 1 >= template.length) {
      out += c;
      i++;
      continue;
    }
    const n = template[i + 1]!;
    if (n === 'g' && template[i + 2] === '<') {
      const end = template.indexOf('>', i);
      if (end < 0) throw new PyRegexError(`missing >, unterminated name in ${template}`);
      out += group(template.slice(i + 3, end));
      i = end + 1;
    } else if (/[1-9]/.test(n)) {
      const two = /^[0-9]{1,2}/.exec(template.slice(i + 1))![0];
      out += group(two);
      i += 1 + two.length;
    } else if (n === '0') {
      const oct = /^[0-7]{1,3}/.exec(template.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(oct, 8));
      i += 1 + oct.length;
    } else if (n in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[n];
      i += 2;
    } else {
      out += c + n;
      i += 2;
    }
  }
  return out;
}

/**
 * Python's re.subn: non-overlapping matches replaced through pyExpand, at most `count` of them
 * when count > 0; returns the new text and how many were replaced.
 */
export function pySubn(re: RegExp, template: string, text: string, count = 0): { text: string; count: number } {
  const g = re.global ? re : new RegExp(re.source, re.flags + 'g');
  g.lastIndex = 0;
  let out = '';
  let last = 0;
  let done = 0;
  for (let m = g.exec(text); m && (count <= 0 || done < count); m = g.exec(text)) {
    out += text.slice(last, m.index) + pyExpand(template, m);
    last = m.index + m[0].length;
    done++;
    // An empty match: step past it; the skipped char is copied by the next slice.
    if (m[0].length === 0) g.lastIndex++;
  }
  return { text: out + text.slice(last), count: done };
}
