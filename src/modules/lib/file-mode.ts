import { ArgError } from './file-args.js';

/**
 * A requested file mode. Octal modes are kept as the digits `stat -c %a` prints (no leading
 * zeros) so the remote script compares strings; symbolic modes are resolved on the target.
 */
export type ModeSpec = { kind: 'octal'; digits: string } | { kind: 'symbolic'; text: string };

const SYMBOLIC = /^([ugoa]*)([-+=])([rwxXst]*|[ugo])$/;

/** Ansible's rules: an int is the mode value; a string of octal digits is octal; else symbolic. */
export function parseMode(value: unknown): ModeSpec | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 0o7777) throw new ArgError(`mode must be in octal or symbolic form: ${value}`);
    return { kind: 'octal', digits: value.toString(8) };
  }
  const s = String(value).trim();
  if (/^[0-7]+$/.test(s)) {
    const n = parseInt(s, 8);
    if (n > 0o7777) throw new ArgError(`mode must be in octal or symbolic form: ${s}`);
    return { kind: 'octal', digits: n.toString(8) };
  }
  if (s === 'preserve') throw new ArgError('mode=preserve is not supported by tsrun');
  if (s !== '' && s.split(',').every((part) => SYMBOLIC.test(part))) return { kind: 'symbolic', text: s };
  throw new ArgError(`mode must be in octal or symbolic form: ${s}`);
}

/** Ansible reports modes as a 4-digit zero-padded octal string. */
export function modeString(statDigits: string): string {
  return parseInt(statDigits, 8).toString(8).padStart(4, '0');
}

/** What goes to the remote `tsrun_attrs` function: digits, or the symbolic text. */
export function modeArg(mode: ModeSpec | undefined): string {
  if (!mode) return '';
  return mode.kind === 'octal' ? mode.digits : mode.text;
}
