import { ArgError } from './file-args.js';
import { pyRegex, pySubn } from '../../util/pyregex.js';

export interface ReplaceSpec {
  regexp: string;
  replace: string;
  after?: string;
  before?: string;
}

/** Pure replace module: Python re.subn with MULTILINE, optionally limited to an after/before section. */
export function applyReplace(contents: string, spec: ReplaceSpec): { content: string; count: number; changed: boolean; msg: string; noSection?: boolean } {
  let pattern = '';
  if (spec.after !== undefined && spec.before !== undefined) pattern = `${spec.after}(?P<subsection>.*?)${spec.before}`;
  else if (spec.after !== undefined) pattern = `${spec.after}(?P<subsection>.*)`;
  else if (spec.before !== undefined) pattern = `(?P<subsection>.*)${spec.before}`;
  let section = contents;
  let start = 0;
  let end = contents.length;
  if (pattern) {
    const m = pyRegex(pattern, { dotall: true, indices: true }).exec(contents);
    if (!m) return { content: contents, count: 0, changed: false, msg: `Pattern for before/after params did not match the given file: ${pattern}`, noSection: true };
    const idx = m.indices?.groups?.subsection;
    if (!idx) throw new ArgError('internal: subsection indices missing');
    [start, end] = idx;
    section = contents.slice(start, end);
  }
  const r = pySubn(pyRegex(spec.regexp, { multiline: true, global: true }), spec.replace, section);
  if (r.count > 0 && r.text !== section) {
    return { content: contents.slice(0, start) + r.text + contents.slice(end), count: r.count, changed: true, msg: `${r.count} replacements made` };
  }
  return { content: contents, count: 0, changed: false, msg: '' };
}
