import { registerSessionPrelude } from '../../connection/session-preludes.js';
import { rawShell, type ShellText } from '../../connection/shell-text.js';

/**
 * Shell functions every file-module script starts with (sent once per long-lived shell, see
 * connection/session-preludes.ts). They report as every script does (connection/shell-protocol.ts Reply): one
 * `$TSRUN_N key=value` record per fact (values never contain newlines; free text is base64).
 * `TSRUN_CHECK=1` makes tsrun_attrs report without acting (check mode); it sets `_ac=1` when an
 * attribute differs. Its 6th argument, when given, is the path's mode as the caller has just read
 * it. The mode check reads the path's whole stat line; if nothing changed, the script's next
 * `tsrun_stat KEY PATH` of that path (no -L) prints that line instead of starting `stat` again:
 * each request is a subshell of its own, so the line never outlives the script, and a script
 * that changes the path by other means after tsrun_attrs clears `__ts_sp` first. `tsrun_digest TOOL FILE` sets `__ts_h` to the file's digest with one process
 * (a `| cut` after it was two more, on every probe of an unchanged file).
 */
export const STAT_FORMAT = '%F|%a|%u|%g|%U|%G|%s|%Y|%X|%Z|%i|%d|%h|%b|%B';

const FILE_FUNCTIONS = registerSessionPrelude(`tsrun_err() { printf '%s error=%s\\n' "$TSRUN_N" "$(printf '%s' "$*" | tr '\\n' ' ')"; }
tsrun_b64() { base64 | tr -d '\\n'; }
tsrun_stat() {
  if [ "$3" = -L ]; then [ -e "$2" ] || return 0; else [ -e "$2" ] || [ -L "$2" ] || return 0; fi
  if [ -n "$3" ] || [ "$__ts_sp" != "$2" ]; then __ts_st=$(stat $3 -c '${STAT_FORMAT}' -- "$2") || { printf '%s %s=\n' "$TSRUN_N" "$1"; return 1; }; fi
  printf '%s %s=%s\n' "$TSRUN_N" "$1" "$__ts_st"
}
tsrun_sha1() { tsrun_digest sha1sum "$1"; printf '%s\n' "$__ts_h"; }
tsrun_digest() { __ts_h=$($1 < "$2") && __ts_h=\${__ts_h%% *}; }
tsrun_symmode() {
  if [ -d "$1" ]; then _t=$(mktemp -d) || return 1; else _t=$(mktemp) || return 1; fi
  _r=0
  chmod "$(printf %05d "$2")" "$_t" && (umask 0; chmod -- "$3" "$_t") && stat -c %a -- "$_t" || _r=1
  rm -rf -- "$_t"; return $_r
}
tsrun_attrs() {
  _p=$1 _m=$2 _o=$3 _g=$4 _h=$5 _chg= _full=
  __ts_sp=
  if [ -n "$_o" ]; then
    case ":$(stat -c %U:%u -- "$_p"):" in *":$_o:"*) ;; *)
      _ac=1 _chg=1; echo "$TSRUN_N" attr=owner; printf '%s attr_before_owner=%s\n' "$TSRUN_N" "$(stat -c %u -- "$_p")"
      if [ "$TSRUN_CHECK" != 1 ]; then _e=$(chown $_h -- "$_o" "$_p" 2>&1) || { tsrun_err "chown failed: $_e"; return 1; }; fi;;
    esac
  fi
  if [ -n "$_g" ]; then
    case ":$(stat -c %G:%g -- "$_p"):" in *":$_g:"*) ;; *)
      _ac=1 _chg=1; echo "$TSRUN_N" attr=group; printf '%s attr_before_group=%s\n' "$TSRUN_N" "$(stat -c %g -- "$_p")"
      if [ "$TSRUN_CHECK" != 1 ]; then _e=$(chgrp $_h -- "$_g" "$_p" 2>&1) || { tsrun_err "chgrp failed: $_e"; return 1; }; fi;;
    esac
  fi
  if [ -n "$_m" ] && [ -z "$_h" ]; then
    if [ -n "$6" ]; then _cm=$6
    else __ts_st=$(stat -c '${STAT_FORMAT}' -- "$_p") || return 1; _full=1; _cm=\${__ts_st#*|}; _cm=\${_cm%%|*}; fi
    case $_m in
      [0-7]*) _wm=$_m ;;
      *) _wm=$(tsrun_symmode "$_p" "$_cm" "$_m") || { tsrun_err "bad mode $_m"; return 1; } ;;
    esac
    if [ "$_cm" != "$_wm" ]; then
      _ac=1 _chg=1; echo "$TSRUN_N" attr=mode; printf '%s attr_before_mode=%04o\n' "$TSRUN_N" "0$_cm"
      if [ "$TSRUN_CHECK" != 1 ]; then _e=$(chmod -- "$(printf %05d "$_wm")" "$_p" 2>&1) || { tsrun_err "chmod failed: $_e"; return 1; }; fi
    fi
  fi
  [ -n "$_chg" ] || [ -z "$_full" ] || __ts_sp=$_p
  return 0
}
`);

export function prelude(check: boolean): ShellText {
  // Fixed functions; only the check flag (0/1) is interpolated.
  return rawShell(`${FILE_FUNCTIONS}TSRUN_CHECK=${check ? 1 : 0}`);
}
