/**
 * The one way tsrun builds remote shell text. `sh` is a tagged template that single-quotes
 * every interpolated value, so a module argument can only ever be one word for the target's
 * `sh`, whatever it contains. Shell text that is meant to be code (a `shell:`/`raw:` task, a
 * fixed fragment built by tsrun itself) must be wrapped explicitly with `rawShell`, which makes
 * every such place visible in review: `grep -rn rawShell src`.
 */
import { quote } from '../util/shell-quote.js';

// Quoting does not stop a leading `-` from being read as an option: scripts put `--` before operands.
export class ShellText {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** What may go into `sh`: words (quoted), lists of words (each quoted, space separated), shell text (as is). */
export type ShellValue = string | number | bigint | ShellText | readonly ShellValue[];

export { quote };

function render(v: ShellValue): string {
  if (v instanceof ShellText) return v.text;
  if (Array.isArray(v)) return (v as readonly ShellValue[]).map(render).join(' ');
  if (typeof v === 'number' && !Number.isFinite(v)) throw new TypeError(`not a shell word: ${v}`);
  return quote(v as string | number | bigint);
}

/** sh`mkdir -p -- ${path}`: the text as written, each `${}` quoted as one word. */
export function sh(strings: TemplateStringsArray, ...values: ShellValue[]): ShellText {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new ShellText(out);
}

/** Shell code taken as is: only for `shell:`/`raw:` payloads and fixed fragments written in tsrun's source. */
export function rawShell(code: string): ShellText {
  return new ShellText(code);
}

/** Joins pieces of shell text (lines of a script) with `sep`. */
export function joinShell(parts: readonly (ShellText | undefined | false)[], sep = '\n'): ShellText {
  return new ShellText(parts.filter((p): p is ShellText => p instanceof ShellText).map((p) => p.text).join(sep));
}

/** Shell that prints one reply record (see Reply in shell-protocol.ts); `value` is quoted (one line: the caller keeps newlines out). */
export function say(key: string, value: ShellValue = ''): ShellText {
  return sh`printf '%s %s=%s\\n' "$TSRUN_N" ${key} ${value}`;
}

/** Shell that starts a record line whose value the next command prints (`$(...)`-free streaming: `printf ...; base64 <f`). */
export function sayStart(key: string): ShellText {
  return sh`printf '%s %s=' "$TSRUN_N" ${key}`;
}
