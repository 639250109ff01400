import { diffArrays } from 'diff';
import type { FileDiff } from '../modules/types.js';
import { pyJson } from './pyjson.js';

type Tag = 'equal' | 'replace' | 'delete' | 'insert';
type Opcode = [Tag, number, number, number, number];

/** Python's str.splitlines(True): lines keep their terminators. */
function splitKeepEnds(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/** Edit script as difflib's get_opcodes names it; adjacent removals and additions form one "replace". */
function opcodes(a: string[], b: string[]): Opcode[] {
  const codes: Opcode[] = [];
  let i = 0;
  let j = 0;
  let pending: { del: number; ins: number } | undefined;
  const flush = () => {
    if (!pending) return;
    const tag: Tag = pending.del && pending.ins ? 'replace' : pending.del ? 'delete' : 'insert';
    codes.push([tag, i, i + pending.del, j, j + pending.ins]);
    i += pending.del;
    j += pending.ins;
    pending = undefined;
  };
  for (const part of diffArrays(a, b)) {
    const n = part.value.length;
    if (part.removed || part.added) {
      pending ??= { del: 0, ins: 0 };
      if (part.removed) pending.del += n;
      else pending.ins += n;
      continue;
    }
    flush();
    codes.push(['equal', i, i + n, j, j + n]);
    i += n;
    j += n;
  }
  flush();
  return codes;
}

/** difflib.SequenceMatcher.get_grouped_opcodes(n). */
function groupedOpcodes(codes: Opcode[], n: number): Opcode[][] {
  if (codes.length === 0) codes = [['equal', 0, 1, 0, 1]];
  const c = codes.map((x) => [...x] as Opcode);
  if (c[0][0] === 'equal') {
    const [, i1, i2, j1, j2] = c[0];
    c[0] = ['equal', Math.max(i1, i2 - n), i2, Math.max(j1, j2 - n), j2];
  }
  const last = c.length - 1;
  if (c[last][0] === 'equal') {
    const [, i1, i2, j1, j2] = c[last];
    c[last] = ['equal', i1, Math.min(i2, i1 + n), j1, Math.min(j2, j1 + n)];
  }
  const groups: Opcode[][] = [];
  let group: Opcode[] = [];
  for (const code of c) {
    let [tag, i1, i2, j1, j2] = code;
    if (tag === 'equal' && i2 - i1 > 2 * n) {
      group.push([tag, i1, Math.min(i2, i1 + n), j1, Math.min(j2, j1 + n)]);
      groups.push(group);
      group = [];
      i1 = Math.max(i1, i2 - n);
      j1 = Math.max(j1, j2 - n);
    }
    group.push([tag, i1, i2, j1, j2]);
  }
  if (group.length && !(group.length === 1 && group[0][0] === 'equal')) groups.push(group);
  return groups;
}

function range(start: number, stop: number): string {
  const length = stop - start;
  if (length === 1) return String(start + 1);
  return `${length === 0 ? start : start + 1},${length}`;
}

/** difflib.unified_diff with lineterm '\n': lines, each ending as the input lines did. */
export function unifiedDiff(a: string[], b: string[], fromFile: string, toFile: string, context = 3): string[] {
  const out: string[] = [];
  for (const group of groupedOpcodes(opcodes(a, b), context)) {
    if (out.length === 0) out.push(`--- ${fromFile}\n`, `+++ ${toFile}\n`);
    const first = group[0];
    const last = group[group.length - 1];
    out.push(`@@ -${range(first[1], last[2])} +${range(first[3], last[4])} @@\n`);
    for (const [tag, i1, i2, j1, j2] of group) {
      if (tag === 'equal') {
        for (const line of a.slice(i1, i2)) out.push(` ${line}`);
        continue;
      }
      if (tag === 'replace' || tag === 'delete') for (const line of a.slice(i1, i2)) out.push(`-${line}`);
      if (tag === 'replace' || tag === 'insert') for (const line of b.slice(j1, j2)) out.push(`+${line}`);
    }
  }
  return out;
}

function asText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return `${pyJson(v, 4)}\n`;
  return String(v);
}

function lines(text: string): string[] {
  const l = splitKeepEnds(text);
  if (l.length && !l[l.length - 1].endsWith('\n')) l[l.length - 1] += '\n\\ No newline at end of file\n';
  return l;
}

/**
 * The text Ansible's CallbackBase._get_diff builds for a result's `diff`: notes for binary or
 * large files, a unified diff (3 lines of context) followed by an empty line, `prepared` as is.
 */
export function formatDiff(diff: FileDiff | FileDiff[]): string {
  const out: string[] = [];
  for (const d of Array.isArray(diff) ? diff : [diff]) {
    const r = d as unknown as Record<string, unknown>;
    if ('dst_binary' in r) out.push('diff skipped: destination file appears to be binary\n');
    if ('src_binary' in r) out.push('diff skipped: source file appears to be binary\n');
    if ('dst_larger' in r) out.push(`diff skipped: destination file size is greater than ${String(r.dst_larger)}\n`);
    if ('src_larger' in r) out.push(`diff skipped: source file size is greater than ${String(r.src_larger)}\n`);
    if ('before' in r && 'after' in r) {
      const before = 'before_header' in r ? `before: ${String(r.before_header)}` : 'before';
      const after = 'after_header' in r ? `after: ${String(r.after_header)}` : 'after';
      const diffLines = unifiedDiff(lines(asText(r.before)), lines(asText(r.after)), before, after);
      if (diffLines.length) out.push(...diffLines, '\n');
    }
    if (typeof r.prepared === 'string') out.push(r.prepared);
  }
  return out.join('');
}
