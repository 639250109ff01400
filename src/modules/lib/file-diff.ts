import type { FileDiff } from '../types.js';

/** Above this size (Ansible's max_diff_size) no text diff is produced. */
export const MAX_DIFF_BYTES = 104448;

/** Text diff of a file's content, or undefined when either side is binary or too large. */
export function contentDiff(before: string | undefined, after: string, beforeHeader: string, afterHeader: string): FileDiff | undefined {
  if (before === undefined) return undefined;
  if (Buffer.byteLength(after) > MAX_DIFF_BYTES || Buffer.byteLength(before) > MAX_DIFF_BYTES) return undefined;
  if (before.includes('\0') || after.includes('\0')) return undefined;
  const diff: FileDiff = { before, after, after_header: afterHeader };
  if (beforeHeader !== '') diff.before_header = beforeHeader;
  return diff;
}

/**
 * Ansible's file module diffs dicts ({path, state, mode...}); FileDiff carries text, so the
 * dicts are rendered the way Ansible's callback renders them (sorted JSON, 4-space indent).
 */
export function dictDiff(path: string, before: Record<string, unknown>, after: Record<string, unknown>): FileDiff {
  const render = (o: Record<string, unknown>) => {
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) sorted[k] = o[k];
    return JSON.stringify(sorted, null, 4) + '\n';
  };
  return { before: render({ path, ...before }), after: render({ path, ...after }), before_header: path, after_header: path };
}
