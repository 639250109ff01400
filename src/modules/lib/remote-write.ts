import { shQuote } from './shell.js';
import type { ModeSpec } from './file-mode.js';
import { modeArg } from './file-mode.js';

/** Above this size (Ansible's max_diff_size) no text diff is produced. */
export const MAX_DIFF_BYTES = 104448;

export interface ProbeOptions {
  follow?: boolean;
  checksum?: boolean;
  /** Also print the content (base64) of a regular file up to this many bytes. */
  contentUpTo?: number;
}

/** Snippet printing `KEY_st=`, `KEY_sha1=`, `KEY_b64=` facts about one path (`q`: a quoted shell word). */
export function probeSnippet(key: string, q: string, opts: ProbeOptions = {}): string {
  const lines = [`tsrun_stat ${key}_st ${q}${opts.follow ? ' -L' : ''}`];
  if (opts.checksum) {
    lines.push(`if [ -f ${q} ] && [ -r ${q} ]; then printf '${key}_sha1=%s\\n' "$(tsrun_sha1 ${q})"; fi`);
  }
  if (opts.contentUpTo !== undefined) {
    lines.push(
      `if [ -f ${q} ] && [ -r ${q} ] && [ "$(stat -L -c %s -- ${q})" -le ${opts.contentUpTo} ]; then printf '${key}_b64='; tsrun_b64 < ${q}; echo; fi`,
    );
  }
  return lines.join('\n');
}

/** `tsrun_attrs` call that aborts the script (exit 0, error already printed) on failure. */
export function attrsSnippet(pathExpr: string, mode: ModeSpec | undefined, owner: string | undefined, group: string | undefined, noFollow = false): string {
  if (!mode && !owner && !group) return '';
  return `tsrun_attrs ${pathExpr} ${shQuote(modeArg(mode))} ${shQuote(owner ?? '')} ${shQuote(group ?? '')} ${noFollow ? '-h' : "''"} || exit 0`;
}

export interface WriteSpec {
  dest: string;
  mode?: ModeSpec;
  owner?: string;
  group?: string;
  backup?: boolean;
  /** Command with `%s` standing for the new file, run before it replaces dest. */
  validate?: string;
  /** Create missing parent directories (lineinfile/blockinfile `create`). */
  makeParents?: boolean;
  /** Where the content comes from: stdin (default) or a file already on the target (a shell word). */
  fromRemote?: string;
  /** A shell expression for dest (e.g. `"$d"`) instead of the quoted literal. */
  destExpr?: string;
  /**
   * Length and SHA-256 of the content on stdin, known before it is sent: the temp file must
   * match both before it may replace dest, so a payload cut short can never be installed.
   */
  expect?: Expected;
}

export interface Expected {
  size: number;
  sha256: string;
}

/**
 * Shell lines that end the script with an error unless the file `q` (a quoted shell word) has
 * exactly the expected length and SHA-256. `what` names the destination in the message.
 */
export function verifySnippet(q: string, e: Expected, what: string): string {
  return [
    `_n=$(wc -c <${q}); _h=$(sha256sum <${q} | cut -d' ' -f1)`,
    `[ "$_n" -eq ${e.size} ] && [ "$_h" = ${e.sha256} ] || { tsrun_err "received $_n of ${e.size} bytes for ${what}, or a wrong SHA-256: the transfer was incomplete; ${what} was left as it was"; exit 0; }`,
  ].join('\n');
}

/** `%s` in a validate command becomes the temp file, passed as `$1` so no quoting is needed. */
export function validateCommand(validate: string): string {
  return validate.split('%s').join('"$1"');
}

/** Ansible's backup file name: `dest.PID.YYYY-MM-DD@HH:MM:SS~`. */
export const BACKUP_SNIPPET = `tsrun_backup() { _b="$1.$$.$(date +%Y-%m-%d@%H:%M:%S~)"; cp -p -- "$1" "$_b" && printf 'backup_file=%s\\n' "$_b"; }`;

/**
 * Script that atomically replaces `dest` with stdin (or a remote file): temp file in dest's
 * directory, dest's old attributes then the requested ones applied, optional validate, then
 * rename. The trap removes the temp file on any failure, so dest is never half-written.
 * Prints `written=1` and the new stat as `final_st=`; failures print `error=` and exit 0.
 */
export function writeScript(spec: WriteSpec): string {
  const d = spec.destExpr ?? shQuote(spec.dest);
  const lines: string[] = [
    BACKUP_SNIPPET,
    // Early failures still read stdin so the sender never sees a broken pipe.
    `drain=${spec.fromRemote === undefined ? "'eval cat >/dev/null'" : ':'}`,
    `d=${d}`,
    // `mv` onto a symlink would replace the link; Ansible writes through it to the target.
    'if [ -L "$d" ]; then _t=$(readlink -f -- "$d") && [ -n "$_t" ] && d=$_t; fi',
    'dir=$(dirname -- "$d"); base=$(basename -- "$d")',
  ];
  if (spec.makeParents) {
    lines.push('[ -d "$dir" ] || _e=$(mkdir -p -- "$dir" 2>&1) || { tsrun_err "Error creating $dir: $_e"; $drain; exit 0; }');
  }
  lines.push(
    `[ -d "$dir" ] || { tsrun_err "Destination directory $dir does not exist"; $drain; exit 0; }`,
    `tmp=$(mktemp -- "$dir/.$base.tsrun.XXXXXX" 2>&1) || { tsrun_err "Destination $dir not writable: $tmp"; $drain; exit 0; }`,
    `trap 'rm -f -- "$tmp"' EXIT`,
    `trap 'exit 1' INT TERM HUP`,
  );
  if (spec.fromRemote !== undefined) {
    lines.push(`_e=$(cp -- ${spec.fromRemote} "$tmp" 2>&1) || { tsrun_err "failed to copy: $_e"; exit 0; }`);
  } else {
    // stderr to the capture, stdout to the file: cat's error (ENOSPC...) is the message, not file content.
    lines.push(`_e=$(cat 2>&1 >"$tmp") || { tsrun_err "failed to write $tmp: $_e"; exit 0; }`);
    if (spec.expect) lines.push(verifySnippet('"$tmp"', spec.expect, '$d'));
  }
  lines.push(
    'if [ -e "$d" ]; then',
    '  chmod "$(printf %05d "$(stat -L -c %a -- "$d")")" "$tmp"; chown "$(stat -L -c %u:%g -- "$d")" "$tmp" 2>/dev/null',
    'else',
    '  chmod "$(printf %o $((0666 & ~$(umask))))" "$tmp"',
    'fi',
  );
  if (spec.validate !== undefined) {
    lines.push(
      `_vo=$(sh -c ${shQuote(validateCommand(spec.validate))} sh "$tmp" 2>&1); _vr=$?`,
      `if [ $_vr -ne 0 ]; then printf 'validate_rc=%s\\n' $_vr; printf 'validate_b64='; printf '%s' "$_vo" | tsrun_b64; echo; exit 0; fi`,
    );
  }
  if (spec.backup) lines.push('if [ -f "$d" ]; then tsrun_backup "$d" || { tsrun_err "backup of $d failed"; exit 0; }; fi');
  const attrs = attrsSnippet('"$tmp"', spec.mode, spec.owner, spec.group);
  // Attributes on the temp file never count as "check mode": the file is ours.
  if (attrs) lines.push(`_c=$TSRUN_CHECK; TSRUN_CHECK=0; ${attrs.replace(/ \|\| exit 0$/, '')} >/dev/null || exit 0; TSRUN_CHECK=$_c`);
  lines.push(
    `_e=$(mv -f -- "$tmp" "$d" 2>&1) || { tsrun_err "failed to move into place: $_e"; exit 0; }`,
    'trap - EXIT',
    'echo written=1',
    'tsrun_stat final_st "$d"',
  );
  return lines.join('\n');
}
