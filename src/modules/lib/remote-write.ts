import { shlexSplit } from '../../util/shlex.js';
import { joinShell, quote, rawShell, sh, type ShellText } from './sh.js';
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

/** Snippet printing `KEY_st=`, `KEY_sha1=`, `KEY_b64=` facts about one path (`q`: a shell expression such as `"$v"`). */
export function probeSnippet(key: string, q: ShellText, opts: ProbeOptions = {}): ShellText {
  const lines = [sh`tsrun_stat ${`${key}_st`} ${q} ${opts.follow ? ['-L'] : []}`];
  if (opts.checksum) {
    lines.push(sh`if [ -f ${q} ] && [ -r ${q} ]; then printf ${`%s ${key}_sha1=%s\n`} "$TSRUN_N" "$(tsrun_sha1 ${q})"; fi`);
  }
  if (opts.contentUpTo !== undefined) {
    lines.push(sh`if [ -f ${q} ] && [ -r ${q} ] && [ "$(stat -L -c %s -- ${q})" -le ${opts.contentUpTo} ]; then printf ${`%s ${key}_b64=`} "$TSRUN_N"; tsrun_b64 < ${q}; echo; fi`);
  }
  return joinShell(lines);
}

/** `tsrun_attrs` call (undefined when nothing is asked); `pathExpr` is a shell expression such as `"$p"`. */
export function attrsCall(pathExpr: ShellText, mode: ModeSpec | undefined, owner: string | undefined, group: string | undefined, noFollow = false): ShellText | undefined {
  if (!mode && !owner && !group) return undefined;
  return sh`tsrun_attrs ${pathExpr} ${modeArg(mode)} ${owner ?? ''} ${group ?? ''} ${noFollow ? '-h' : ''}`;
}

/** The `tsrun_attrs` call that aborts the script (exit 0, error already printed) on failure; `:` when nothing is asked. */
export function attrsSnippet(pathExpr: ShellText, mode: ModeSpec | undefined, owner: string | undefined, group: string | undefined, noFollow = false): ShellText {
  const call = attrsCall(pathExpr, mode, owner, group, noFollow);
  return call ? sh`${call} || exit 0` : sh`:`;
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
  /** Where the content comes from: stdin (default) or a file already on the target (a shell expression). */
  fromRemote?: ShellText;
  /** A shell expression for dest (e.g. `"$d"`) instead of the quoted literal. */
  destExpr?: ShellText;
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
 * Shell lines that end the script with an error unless the file `q` (a shell expression such as
 * `"$tmp"`) has exactly the expected length and SHA-256. `what` (shell text) names the destination.
 */
export function verifySnippet(q: ShellText, e: Expected, what: ShellText): ShellText {
  if (!/^[0-9a-f]{64}$/.test(e.sha256)) throw new TypeError('not a SHA-256 digest');
  return joinShell([
    sh`_n=$(wc -c <${q}); _h=$(sha256sum <${q} | cut -d' ' -f1)`,
    sh`[ "$_n" -eq ${e.size} ] && [ "$_h" = ${e.sha256} ] || { tsrun_err "received $_n of ${rawShell(String(e.size))} bytes for ${what}, or a wrong SHA-256: the transfer was incomplete; ${what} was left as it was"; exit 0; }`,
  ]);
}

/**
 * The validate command as Ansible runs it: split like a command line (no shell: `;`, `$()` and
 * pipes are plain characters), each `%s` standing for the temp file, passed as `$1`.
 */
export function validateCommand(validate: string): ShellText {
  const words = shlexSplit(validate);
  // Every piece of a word is quoted; only the `"$1"` joints are shell text.
  return joinShell(words.map((w) => rawShell(w.split('%s').map((part) => (part === '' ? '' : quote(part))).join('"$1"') || "''")), ' ');
}

/** Ansible's backup file name: `dest.PID.YYYY-MM-DD@HH:MM:SS~`. */
export const BACKUP_SNIPPET = rawShell(`tsrun_backup() { _b="$1.$$.$(date +%Y-%m-%d@%H:%M:%S~)"; cp -p -- "$1" "$_b" && printf '%s backup_file=%s\\n' "$TSRUN_N" "$_b"; }`);

/**
 * Script that atomically replaces `dest` with stdin (or a remote file): temp file in dest's
 * directory, dest's old attributes then the requested ones applied, optional validate, then
 * rename. The trap removes the temp file on any failure, so dest is never half-written.
 * Prints `written=1` and the new stat as `final_st=`; failures print `error=` and exit 0.
 */
export function writeScript(spec: WriteSpec): ShellText {
  const d = spec.destExpr ?? sh`${spec.dest}`;
  const lines: ShellText[] = [
    BACKUP_SNIPPET,
    // Early failures still read stdin so the sender never sees a broken pipe.
    spec.fromRemote === undefined ? sh`drain='eval cat >/dev/null'` : sh`drain=:`,
    sh`d=${d}`,
    // `mv` onto a symlink would replace the link; Ansible writes through it to the target.
    sh`if [ -L "$d" ]; then _t=$(readlink -f -- "$d") && [ -n "$_t" ] && d=$_t; fi`,
    sh`dir=$(dirname -- "$d"); base=$(basename -- "$d")`,
  ];
  if (spec.makeParents) {
    lines.push(sh`[ -d "$dir" ] || _e=$(mkdir -p -- "$dir" 2>&1) || { tsrun_err "Error creating $dir: $_e"; $drain; exit 0; }`);
  }
  lines.push(
    sh`[ -d "$dir" ] || { tsrun_err "Destination directory $dir does not exist"; $drain; exit 0; }`,
    sh`tmp=$(mktemp -- "$dir/.$base.tsrun.XXXXXX" 2>&1) || { tsrun_err "Destination $dir not writable: $tmp"; $drain; exit 0; }`,
    // PIPE too: a connection lost mid-push fails the next write to stdout, and an untrapped
    // SIGPIPE would end the script without its EXIT trap, leaving the temp file behind.
    sh`trap 'rm -f -- "$tmp"' EXIT`,
    sh`trap 'exit 1' INT TERM HUP PIPE`,
  );
  if (spec.fromRemote !== undefined) {
    lines.push(sh`_e=$(cp -- ${spec.fromRemote} "$tmp" 2>&1) || { tsrun_err "failed to copy: $_e"; exit 0; }`);
  } else {
    // stderr to the capture, stdout to the file: cat's error (ENOSPC...) is the message, not file content.
    lines.push(sh`_e=$(cat 2>&1 >"$tmp") || { tsrun_err "failed to write $tmp: $_e"; exit 0; }`);
    if (spec.expect) lines.push(verifySnippet(rawShell('"$tmp"'), spec.expect, rawShell('$d')));
  }
  lines.push(
    sh`if [ -e "$d" ]; then`,
    sh`  chmod "$(printf %05d "$(stat -L -c %a -- "$d")")" "$tmp"; chown "$(stat -L -c %u:%g -- "$d")" "$tmp" 2>/dev/null`,
    sh`else`,
    sh`  chmod "$(printf %o $((0666 & ~$(umask))))" "$tmp"`,
    sh`fi`,
  );
  if (spec.validate !== undefined) {
    lines.push(
      sh`_vo=$(set -- "$tmp"; ${validateCommand(spec.validate)} 2>&1); _vr=$?`,
      sh`if [ $_vr -ne 0 ]; then printf '%s validate_rc=%s\\n' "$TSRUN_N" $_vr; printf '%s validate_b64=' "$TSRUN_N"; printf '%s' "$_vo" | tsrun_b64; echo; exit 0; fi`,
    );
  }
  if (spec.backup) lines.push(sh`if [ -f "$d" ]; then tsrun_backup "$d" || { tsrun_err "backup of $d failed"; exit 0; }; fi`);
  const attrs = attrsCall(rawShell('"$tmp"'), spec.mode, spec.owner, spec.group);
  // Attributes on the temp file never count as "check mode": the file is ours.
  if (attrs) lines.push(sh`_c=$TSRUN_CHECK; TSRUN_CHECK=0; ${attrs} >/dev/null || exit 0; TSRUN_CHECK=$_c`);
  lines.push(
    sh`_e=$(mv -f -- "$tmp" "$d" 2>&1) || { tsrun_err "failed to move into place: $_e"; exit 0; }`,
    sh`trap - EXIT`,
    sh`echo "$TSRUN_N" written=1`,
    sh`tsrun_stat final_st "$d"`,
  );
  return joinShell(lines);
}
