/**
 * The offending line under an error, the way a compiler shows it:
 *
 *     ERROR! site.yml:6:7: 'whn' is not a valid attribute for a Task (did you mean `when`?)
 *        6 |       whn: true
 *          |       ^
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SourcePos } from '../util/errors.js';

const MAX_BYTES = 16 * 1024 * 1024;

/** file:line[:column] at the start of a message, for errors raised without a structured position. */
export function positionInMessage(message: string): SourcePos | undefined {
  const m = /^(.+?):(\d+)(?::(\d+))?: /.exec(message);
  if (!m || /\s/.test(m[1])) return undefined;
  return { file: m[1], line: Number(m[2]), column: m[3] !== undefined ? Number(m[3]) : undefined };
}

/** The excerpt, or undefined when the file or line cannot be read (never an error of its own). */
export function sourceExcerpt(pos: SourcePos | undefined, cwd: string): string | undefined {
  if (!pos?.file || pos.line === undefined || pos.line < 1) return undefined;
  let text: string;
  try {
    const file = resolve(cwd, pos.file);
    const st = statSync(file);
    if (!st.isFile() || st.size > MAX_BYTES) return undefined;
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split(/\r?\n/);
  const line = lines[pos.line - 1];
  if (line === undefined || line.includes('\0')) return undefined;
  const num = String(pos.line);
  const gutter = ' '.repeat(num.length);
  const out = [`  ${num} | ${line}`];
  if (pos.column !== undefined && pos.column >= 1 && pos.column <= line.length + 1) {
    // Tabs stay tabs, so the caret lines up under the same character on any tab width.
    const lead = [...line.slice(0, pos.column - 1)].map((c) => (c === '\t' ? '\t' : ' ')).join('');
    out.push(`  ${gutter} | ${lead}^`);
  }
  return `${out.join('\n')}\n`;
}
