/** Ansible's default colours, as its COLOR_CODES spell them (green is `0;32`, not `32`). */
export const COLORS = {
  ok: '0;32',
  changed: '0;33',
  skipped: '0;36',
  failed: '0;31',
  unreachable: '1;31',
  warn: '1;35',
  diffAdd: '0;32',
  diffRemove: '0;31',
  diffLines: '0;36',
  debug: '1;30',
  // COLOR_VERBOSE: -vvv connection lines
  verbose: '0;34',
} as const;

/** Ansible's stringc: every line is wrapped on its own, so a multi-line result stays coloured line by line. */
export function colorize(text: string, code: string, enabled: boolean): string {
  if (!enabled) return text;
  return text
    .split('\n')
    .map((line) => `\x1b[${code}m${line}\x1b[0m`)
    .join('\n');
}
