/**
 * The one shell quoter (Python's shlex.quote, which Ansible's `quote` filter is): safe words
 * stay as they are, anything else is single-quoted so it survives one round of POSIX sh parsing
 * as one word. Module scripts use it only through the `sh` tagged template (connection/shell-text.ts).
 */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quote(word: string | number | bigint): string {
  const s = String(word);
  if (s === '') return "''";
  if (SAFE.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}
