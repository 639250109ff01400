import type { BlockSpec } from '../../../src/modules/lib/file-block.js';
import type { LineSpec } from '../../../src/modules/lib/file-lines.js';
import type { ReplaceSpec } from '../../../src/modules/lib/file-replace.js';

// Cases follow the behaviour documented for ansible.builtin.lineinfile.
export const presentCases: [string, string, LineSpec, string, string][] = [
  ['append when nothing matches', 'a\nb\n', { line: 'c' }, 'a\nb\nc\n', 'line added'],
  ['exact line present: unchanged', 'a\nc\nb\n', { line: 'c' }, 'a\nc\nb\n', ''],
  ['append adds newline to unterminated last line', 'a', { line: 'c' }, 'a\nc\n', 'line added'],
  ['empty file', '', { line: 'c' }, 'c\n', 'line added'],
  ['regexp replaces last match', 'x=1\ny\nx=2\n', { regexp: '^x=', line: 'x=9' }, 'x=1\ny\nx=9\n', 'line replaced'],
  ['regexp with firstmatch replaces first', 'x=1\ny\nx=2\n', { regexp: '^x=', line: 'x=9', firstmatch: true }, 'x=9\ny\nx=2\n', 'line replaced'],
  ['regexp matches already-correct line', 'x=9\n', { regexp: '^x=', line: 'x=9' }, 'x=9\n', ''],
  ['regexp no match: append at EOF', 'a\n', { regexp: '^x=', line: 'x=9' }, 'a\nx=9\n', 'line added'],
  ['regexp no match but exact line exists', 'x=9\na\n', { regexp: '^y=', line: 'x=9' }, 'x=9\na\n', ''],
  ['search_string replaces', 'foo bar\nbaz\n', { searchString: 'bar', line: 'qux' }, 'qux\nbaz\n', 'line replaced'],
  ['insertafter regex (last match)', 'a\n#x\nb\n#x\nc\n', { line: 'N', insertafter: '^#x' }, 'a\n#x\nb\n#x\nN\nc\n', 'line added'],
  ['insertafter regex firstmatch', 'a\n#x\nb\n#x\nc\n', { line: 'N', insertafter: '^#x', firstmatch: true }, 'a\n#x\nN\nb\n#x\nc\n', 'line added'],
  ['insertafter: line already after anchor', 'a\n#x\nN\n', { line: 'N', insertafter: '^#x' }, 'a\n#x\nN\n', ''],
  ['insertafter no match: EOF', 'a\n', { line: 'N', insertafter: '^zzz' }, 'a\nN\n', 'line added'],
  // ansible-core 2.14 really joins the line onto an unterminated anchor line (checked by the oracle test).
  ['insertafter at last line without newline', 'a\n#x', { line: 'N', insertafter: '^#x' }, 'a\n#xN\n', 'line added'],
  ['insertbefore regex', 'a\n#x\nb\n', { line: 'N', insertbefore: '^#x' }, 'a\nN\n#x\nb\n', 'line added'],
  ['insertbefore BOF', 'a\nb\n', { line: 'N', insertbefore: 'BOF' }, 'N\na\nb\n', 'line added'],
  ['insertafter BOF', 'a\n', { line: 'N', insertafter: 'BOF' }, 'N\na\n', 'line added'],
  ['insertbefore when line exists elsewhere: unchanged', 'N\na\n#x\n', { line: 'N', insertbefore: '^#x' }, 'N\na\n#x\n', ''],
  ['regexp wins over insertafter', 'a\nx=1\n#x\n', { regexp: '^x=', line: 'x=2', insertafter: '^#x' }, 'a\nx=2\n#x\n', 'line replaced'],
  ['backrefs expand groups', 'port=22\n', { regexp: '^port=(\\d+)$', line: 'Port \\1', backrefs: true }, 'Port 22\n', 'line replaced'],
  ['backrefs named group', 'k: v\n', { regexp: '^(?P<k>\\w+): (?P<v>\\w+)', line: '\\g<v>=\\g<k>', backrefs: true }, 'v=k\n', 'line replaced'],
  ['backrefs without match: unchanged', 'a\n', { regexp: '^port=(\\d+)$', line: 'Port \\1', backrefs: true }, 'a\n', ''],
  ['without backrefs \\1 is literal', 'port=22\n', { regexp: '^port=', line: 'Port \\1' }, 'Port \\1\n', 'line replaced'],
  // Ansible compares the whole line incl. its ending, so an exact CRLF match is rewritten with \n.
  ['CRLF exact line is rewritten with LF', 'a\r\nb\r\n', { line: 'a' }, 'a\nb\r\n', 'line replaced'],
];

export const absentCases: [string, string, LineSpec, string, number][] = [
    ['by line', 'a\nb\na\n', { line: 'a' }, 'b\n', 2],
    ['by regexp', 'x=1\ny\nx=2\n', { regexp: '^x' }, 'y\n', 2],
    ['by search_string', 'foo bar\nbaz\n', { searchString: 'bar' }, 'baz\n', 1],
    ['nothing to remove', 'a\n', { line: 'b' }, 'a\n', 0],
];

export const blockBase: BlockSpec = { block: 'x\ny', present: true, marker: '# {mark} ANSIBLE MANAGED BLOCK', markerBegin: 'BEGIN', markerEnd: 'END' };
export const B = '# BEGIN ANSIBLE MANAGED BLOCK\nx\ny\n# END ANSIBLE MANAGED BLOCK\n';

export const blockCases: [string, string, Partial<BlockSpec>, string, string][] = [
    ['insert at EOF', 'a\n', {}, `a\n${B}`, 'Block inserted'],
    ['insert after unterminated last line', 'a', {}, `a\n${B}`, 'Block inserted'],
    ['already present: unchanged', `a\n${B}b\n`, {}, `a\n${B}b\n`, ''],
    ['replace existing block in place', 'a\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\nb\n', {}, `a\n${B}b\n`, 'Block inserted'],
    ['insertbefore BOF', 'a\n', { insertbefore: 'BOF' }, `${B}a\n`, 'Block inserted'],
    ['insertafter regex', 'a\nb\nc\n', { insertafter: '^b' }, `a\nb\n${B}c\n`, 'Block inserted'],
    ['insertbefore regex', 'a\nb\nc\n', { insertbefore: '^b' }, `a\n${B}b\nc\n`, 'Block inserted'],
    ['absent removes block', `a\n${B}b\n`, { present: false }, 'a\nb\n', 'Block removed'],
    ['empty block removes', `a\n${B}`, { block: '' }, 'a\n', 'Block removed'],
    // A (?m) pattern is searched in the whole text and may span lines (Ansible 2.14).
    ['insertafter (?m) spanning two lines', 'a\nSID =\n  (LIST =\nb\n', { insertafter: '(?m)SID =\\n.*\\(LIST =' }, `a\nSID =\n  (LIST =\n${B}b\n`, 'Block inserted'],
    ['insertbefore (?m) spanning two lines', 'a\nSID =\n  (LIST =\nb\n', { insertbefore: '(?m)SID =\\n.*\\(LIST =' }, `a\n${B}SID =\n  (LIST =\nb\n`, 'Block inserted'],
    ['the same pattern without (?m) matches no single line: EOF', 'a\nSID =\n  (LIST =\nb\n', { insertafter: 'SID =\\n.*\\(LIST =' }, `a\nSID =\n  (LIST =\nb\n${B}`, 'Block inserted'],
    ['custom markers', 'a\n', { marker: '<!-- {mark} -->', markerBegin: 'S', markerEnd: 'E' }, 'a\n<!-- S -->\nx\ny\n<!-- E -->\n', 'Block inserted'],
];

export const replaceCases: [string, string, ReplaceSpec, string, string][] = [
    ['simple', 'a1 b2\nc3\n', { regexp: '\\d', replace: '#' }, 'a# b#\nc#\n', '3 replacements made'],
    ['multiline anchors', 'x=1\ny=2\n', { regexp: '^(\\w)=', replace: '\\1: ' }, 'x: 1\ny: 2\n', '2 replacements made'],
    ['named groups', 'k=v\n', { regexp: '(?P<a>\\w)=(?P<b>\\w)', replace: '\\g<b>=\\g<a>' }, 'v=k\n', '1 replacements made'],
    ['after limits section', 'x\n[s]\nx\n', { regexp: 'x', replace: 'y', after: '\\[s\\]' }, 'x\n[s]\ny\n', '1 replacements made'],
    ['before limits section', 'x\n[s]\nx\n', { regexp: 'x', replace: 'y', before: '\\[s\\]' }, 'y\n[s]\nx\n', '1 replacements made'],
    ['after+before', 'x<a>x</a>x', { regexp: 'x', replace: 'y', after: '<a>', before: '</a>' }, 'x<a>y</a>x', '1 replacements made'],
    ['no match', 'abc', { regexp: 'z', replace: 'y' }, 'abc', ''],
    ['same replacement is unchanged', 'abc', { regexp: 'b', replace: 'b' }, 'abc', ''],
];
