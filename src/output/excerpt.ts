/**
 * How a positioned error reads on the terminal. Load errors take ansible-playbook 2.14's shape
 * (AnsibleError's extended error), so scripts that grep Ansible's output read tsrun's the same way:
 *
 *     ERROR! 'whn' is not a valid attribute for a Task (did you mean `when`?)
 *
 *     The error appears to be in '/abs/site.yml': line 6, column 7, but may
 *     be elsewhere in the file depending on the exact syntax problem.
 *
 *     The offending line appears to be:
 *
 *           debug: msg=a
 *           whn: true
 *           ^ here
 *
 * Ansible's heuristic hints after the excerpt (quoting advice, "k=v shorthand and YAML") are not
 * repeated: they guess from the line before Ansible's position, and tsrun's positions point at
 * the offending key itself, where those guesses would mislead.
 * Task failures at run time keep the compact excerpt (`sourceExcerpt`) under their fatal line.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatPos, type SourcePos } from '../util/errors.js';

const MAX_BYTES = 16 * 1024 * 1024;

/** file:line[:column] at the start of a message, for errors raised without a structured position. */
export function positionInMessage(message: string): SourcePos | undefined {
  const m = /^(.+?):(\d+)(?::(\d+))?: /.exec(message);
  if (!m || /\s/.test(m[1])) return undefined;
  return { file: m[1], line: Number(m[2]), column: m[3] !== undefined ? Number(m[3]) : undefined };
}

/** The file's lines as Python's readlines() gives them (newlines dropped), or why they cannot be shown. */
function readLines(file: string): string[] | 'unreadable' | 'binary' {
  try {
    const st = statSync(file);
    if (!st.isFile() || st.size > MAX_BYTES) return 'unreadable';
    const text = readFileSync(file, 'utf8');
    if (text.includes('\0')) return 'binary';
    const lines = text.split(/(?<=\n)/);
    return lines.map((l) => l.replace(/\r?\n$/, ''));
  } catch {
    return 'unreadable';
  }
}

/** The caret line: tabs stay tabs, so the caret lines up under the same character on any tab width. */
function arrow(line: string, column: number): string {
  const lead = [...line.slice(0, Math.max(0, column - 1))].map((c) => (c === '\t' ? '\t' : ' ')).join('');
  return `${lead}${' '.repeat(Math.max(0, column - 1 - [...line].length))}^ here`;
}

/**
 * Ansible's "The error appears to be in ..." block for a position with line and column. As in
 * Ansible, a line past the end of the file (where YAML parsers report an unexpected end) shows
 * the last line, blank lines move up to the nearest line with text, and the line before it is
 * shown for context.
 */
export function errorDetails(pos: SourcePos & { line: number; column: number }, cwd: string): string {
  const file = resolve(cwd, pos.file);
  let text = `The error appears to be in '${file}': line ${pos.line}, column ${pos.column}, but may\nbe elsewhere in the file depending on the exact syntax problem.\n`;
  const lines = readLines(file);
  if (lines === 'unreadable') return `${text}\n(could not open file to display line)`;
  if (lines === 'binary') return text;
  let n = Math.min(pos.line - 1, lines.length - 1);
  while (n > 0 && lines[n].trim() === '') n--;
  if (n < 0 || lines[n].trim() === '') return `${text}\n(specified line no longer in file, maybe it changed?)`;
  const prev = n > 0 ? lines[n - 1] : '';
  text += `\nThe offending line appears to be:\n\n${prev.trimEnd()}\n${lines[n].trimEnd()}\n${arrow(lines[n], pos.column)}\n`;
  return text;
}

/**
 * The text after `ERROR! ` for an operator's error: the message, and where it has a line and a
 * column, Ansible's block naming the file and showing the line. A position with a line only
 * (an inventory line) stays in the message as `file:line: ...`, the way Ansible's INI inventory
 * reports it; an error without a position is its message alone.
 */
export function operatorErrorText(err: { message: string; pos?: SourcePos }, cwd: string): string {
  const pos = err.pos ?? positionInMessage(err.message);
  if (!pos || pos.line === undefined || pos.column === undefined || pos.file.startsWith('<')) return err.message;
  const prefix = err.pos ? `${formatPos(err.pos)}: ` : /^(.+?):(\d+)(?::(\d+))?: /.exec(err.message)![0];
  const message = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
  return `${message}\n\n${errorDetails({ ...pos, line: pos.line, column: pos.column }, cwd)}`;
}

/** The compact excerpt under a task's fatal line, or undefined when the file or line cannot be read. */
export function sourceExcerpt(pos: SourcePos | undefined, cwd: string): string | undefined {
  if (!pos?.file || pos.line === undefined || pos.line < 1) return undefined;
  const lines = readLines(resolve(cwd, pos.file));
  if (typeof lines === 'string') return undefined;
  const line = lines[pos.line - 1];
  if (line === undefined) return undefined;
  const num = String(pos.line);
  const gutter = ' '.repeat(num.length);
  const out = [`  ${num} | ${line}`];
  if (pos.column !== undefined && pos.column >= 1 && pos.column <= line.length + 1) {
    out.push(`  ${gutter} | ${arrow(line, pos.column).replace(/ here$/, '')}`);
  }
  return `${out.join('\n')}\n`;
}
