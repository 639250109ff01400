/** Ansible's default colours. */
export const COLORS = {
  ok: '32',
  changed: '33',
  skipped: '36',
  failed: '31',
  unreachable: '1;31',
  warn: '1;35',
  diffAdd: '32',
  diffRemove: '31',
  diffLines: '36',
  debug: '90',
} as const;

export function colorize(text: string, code: string, enabled: boolean): string {
  return enabled ? `\x1b[${code}m${text}\x1b[0m` : text;
}
