import { pyRegex } from '../../util/pyregex.js';
import { splitLines } from './file-lines.js';

export interface BlockSpec {
  block: string;
  present: boolean;
  marker: string;
  markerBegin: string;
  markerEnd: string;
  insertafter?: string;
  insertbefore?: string;
}

/** Pure blockinfile: `original` undefined means the file does not exist yet. */
export function applyBlock(original: string | undefined, spec: BlockSpec): { content: string; changed: boolean; msg: string } {
  const lines = original === undefined ? [] : splitLines(original);
  const marker0 = spec.marker.split('{mark}').join(spec.markerBegin);
  const marker1 = spec.marker.split('{mark}').join(spec.markerEnd);
  let block = spec.block;
  let blockLines: string[] = [];
  if (spec.present && block !== '') {
    if (!block.endsWith('\n') && !block.endsWith('\r')) block += '\n';
    blockLines = [marker0 + '\n', ...splitLines(block), marker1 + '\n'];
  }
  let n0: number | undefined;
  let n1: number | undefined;
  lines.forEach((l, i) => {
    const bare = l.replace(/\r?\n$/, '');
    if (bare === marker0) n0 = i;
    if (bare === marker1) n1 = i;
  });
  let at: number;
  if (n0 === undefined || n1 === undefined) {
    const ins = spec.insertafter !== undefined && spec.insertafter !== 'EOF' ? spec.insertafter : spec.insertbefore !== undefined && spec.insertbefore !== 'BOF' ? spec.insertbefore : undefined;
    if (ins !== undefined) {
      const re = pyRegex(ins);
      let found: number | undefined;
      if (/^\(\?[aiLsux]*m[aiLmsux]*\)/.test(ins)) {
        // Ansible: a (?m) pattern is searched in the whole text (it may span lines); the block
        // goes after the line where the match ends (insertafter) or before the one it starts in.
        const m = re.exec(original ?? '');
        if (m) found = (original ?? '').slice(0, spec.insertafter !== undefined ? m.index + m[0].length : m.index).split('\n').length - 1;
      } else {
        lines.forEach((l, i) => {
          if (re.test(l)) found = i;
        });
      }
      if (found === undefined) at = lines.length;
      else at = spec.insertafter !== undefined ? found + 1 : found;
    } else if (spec.insertbefore !== undefined) at = 0;
    else at = lines.length;
  } else if (n0 < n1) {
    lines.splice(n0, n1 - n0 + 1);
    at = n0;
  } else {
    lines.splice(n1, n0 - n1 + 1);
    at = n1;
  }
  // The line before the block must end with a newline or the marker would join it.
  if (at > 0 && blockLines.length && !lines[at - 1]!.endsWith('\n')) lines[at - 1] += '\n';
  lines.splice(at, 0, ...blockLines);
  const content = lines.join('');
  if (original === content) return { content, changed: false, msg: '' };
  if (original === undefined) return { content, changed: true, msg: 'File created' };
  if (!blockLines.length) return { content, changed: true, msg: 'Block removed' };
  return { content, changed: true, msg: 'Block inserted' };
}
