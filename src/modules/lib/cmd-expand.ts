import { quote as shQuote, rawShell, type ShellText } from '../../connection/shell-text.js';

const VAR_RE = /\$(\w+|\{[^}]*\})/g;
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A sh word that reaches the program as Python's `os.path.expanduser(os.path.expandvars(arg))`
 * would make it on the target: `$VAR`/`${VAR}` expand when set in the environment (left literal
 * otherwise), a leading `~`/`~user` expands, and nothing else (`$(...)`, `;`, `>`, globs) is
 * interpreted. Only the environment counts, as for Python's os.environ: the shell's own
 * variables (IFS, PPID, tsrun's internals) are not exported, so `printenv` does not see them.
 * (A value's trailing newlines are lost to the command substitution; Python would keep them.)
 */
export function expandingWord(arg: string): ShellText {
  // Nothing to expand (most words): the quoted word, without the scans below.
  if (!arg.includes('$') && !arg.startsWith('~')) return rawShell(shQuote(arg));
  const parts: string[] = [];
  let rest = arg;
  const tilde = /^~[A-Za-z0-9_.-]*(?=\/|$)/.exec(rest);
  if (tilde) {
    parts.push(tilde[0]);
    rest = rest.slice(tilde[0].length);
  }
  let last = 0;
  for (const m of rest.matchAll(VAR_RE)) {
    const name = m[1].startsWith('{') ? m[1].slice(1, -1) : m[1];
    if (!NAME_RE.test(name)) continue;
    if (m.index > last) parts.push(shQuote(rest.slice(last, m.index)));
    parts.push(`"$(printenv ${name} || printf '%s\\n' ${shQuote(m[0])})"`);
    last = m.index + m[0].length;
  }
  if (last < rest.length || parts.length === 0) parts.push(shQuote(rest.slice(last)));
  // Every piece taken from `arg` is quoted or a validated name/tilde: the word is safe shell text.
  return rawShell(parts.join(''));
}

/** A sh word that expands only glob characters (for `creates`/`removes`, checked with glob). */
export function globWord(pattern: string): ShellText {
  const parts: string[] = [];
  let rest = pattern;
  const tilde = /^~[A-Za-z0-9_.-]*(?=\/|$)/.exec(rest);
  if (tilde) {
    parts.push(tilde[0]);
    rest = rest.slice(tilde[0].length);
  }
  for (const m of rest.matchAll(/([*?[\]]+)|([^*?[\]]+)/g)) parts.push(m[1] ?? shQuote(m[2]));
  // Only glob characters and a validated ~user stay unquoted.
  return rawShell(parts.join('') || "''");
}
