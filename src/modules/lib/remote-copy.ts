import type { PutAttrs } from './file-transfer.js';
import { prelude } from './remote-prelude.js';
import { attrsSnippet, writeScript } from './file-transfer.js';
import { joinShell, rawShell, sh, type ShellText } from '../../connection/shell-text.js';

/** copy with remote_src: one script compares checksums on the target and copies if needed. */
export function copyRemoteScript(src: string, dest: string, attrs: PutAttrs, check: boolean): ShellText {
  const d = rawShell('"$d"');
  const attrsLine = attrsSnippet(d, attrs.mode, attrs.owner, attrs.group);
  return joinShell([
    prelude(check),
    sh`s=${src}`,
    sh`d=${dest}`,
    sh`[ -e "$s" ] || { echo "$TSRUN_N" missing=1; exit 0; }`,
    sh`[ -d "$s" ] && { tsrun_err "remote_src with a directory src is not supported by tsrun"; exit 0; }`,
    sh`[ -r "$s" ] || { tsrun_err "Source $s not readable"; exit 0; }`,
    sh`if [ -d "$d" ]; then d="\${d%/}/$(basename -- "$s")"; fi`,
    sh`printf '%s dest=%s\\n' "$TSRUN_N" "$d"`,
    sh`tsrun_digest sha1sum "$s"; _ss=$__ts_h; echo "$TSRUN_N" sha1=$_ss`,
    sh`if [ -f "$d" ] && [ "$(tsrun_sha1 "$d")" = "$_ss" ]; then`,
    sh`  ${attrs.force === false ? sh`:` : attrsLine}`,
    sh`elif [ -e "$d" ] && [ ${attrs.force === false ? '1' : '0'} = 1 ]; then :`,
    sh`elif [ "$TSRUN_CHECK" = 1 ]; then echo "$TSRUN_N" would_write=1`,
    sh`else`,
    writeScript({ dest, destExpr: d, fromRemote: rawShell('"$s"'), mode: attrs.mode, owner: attrs.owner, group: attrs.group, backup: attrs.backup, validate: attrs.validate }),
    sh`fi`,
    sh`tsrun_stat final_st "$d" -L`,
    sh`echo "$TSRUN_N" done=1`,
  ]);
}
