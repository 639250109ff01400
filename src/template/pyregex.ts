import { EvalError } from './errors.js';

/**
 * Translates a Python `re` pattern into a JS RegExp: named groups, \A \Z, leading inline
 * flags, and Python's `$` (which also matches before a final newline).
 */
export function pyRegex(pattern: string, flags: { ignorecase?: boolean; multiline?: boolean; dotall?: boolean; global?: boolean } = {}): RegExp {
  let p = pattern;
  let f = '';
  const inline = /^\(\?([aiLmsux]+)\)/.exec(p);
  if (inline) {
    p = p.slice(inline[0].length);
    for (const c of inline[1]) if (c === 'i' || c === 'm' || c === 's') f += c;
  }
  if (flags.ignorecase && !f.includes('i')) f += 'i';
  if (flags.multiline && !f.includes('m')) f += 'm';
  if (flags.dotall && !f.includes('s')) f += 's';
  const multiline = f.includes('m');
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      const n = p[i + 1];
      if (!inClass && n === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && n === 'Z') out += '(?![\\s\\S])';
      else out += c + (n ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (p[i + 1] === '^') out += p[++i];
      if (p[i + 1] === ']') out += `\\${p[++i]}`;
      continue;
    }
    if (p.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (p.startsWith('(?P=', i)) {
      const end = p.indexOf(')', i);
      out += `\\k<${p.slice(i + 4, end)}>`;
      i = end;
      continue;
    }
    if (c === '$' && !multiline) {
      out += '(?=\\n?(?![\\s\\S]))';
      continue;
    }
    out += c;
  }
  try {
    return new RegExp(out, f + (flags.global ? 'g' : ''));
  } catch (err) {
    throw new EvalError(`invalid regular expression '${pattern}': ${(err as Error).message}`);
  }
}

/** Expands a Python replacement template (\1, \g<1>, \g<name>, \n) for one match. */
export function expandReplacement(template: string, m: RegExpExecArray | string[], groups?: Record<string, string | undefined>): string {
  return template.replace(/\\(g<([^>]+)>|\d{1,2}|[ntr\\])/g, (_all, what: string, g: string | undefined) => {
    if (g !== undefined) return (/^\d+$/.test(g) ? m[Number(g)] : groups?.[g]) ?? '';
    if (/^\d+$/.test(what)) return m[Number(what)] ?? '';
    return { n: '\n', t: '\t', r: '\r', '\\': '\\' }[what] ?? what;
  });
}
