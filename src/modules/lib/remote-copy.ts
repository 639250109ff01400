import type { PutAttrs } from './remote-put.js';
import { prelude } from './remote-prelude.js';
import { attrsSnippet, writeScript } from './remote-write.js';
import { quote as shQuote } from './sh.js';

/** copy with remote_src: one script compares checksums on the target and copies if needed. */
export function copyRemoteScript(src: string, dest: string, attrs: PutAttrs, check: boolean): string {
  const attrsLine = attrsSnippet('"$d"', attrs.mode, attrs.owner, attrs.group) || ':';
  return [
    prelude(check),
    `s=${shQuote(src)}`,
    `d=${shQuote(dest)}`,
    '[ -e "$s" ] || { echo missing=1; exit 0; }',
    '[ -d "$s" ] && { tsrun_err "remote_src with a directory src is not supported by tsrun"; exit 0; }',
    '[ -r "$s" ] || { tsrun_err "Source $s not readable"; exit 0; }',
    'if [ -d "$d" ]; then d="${d%/}/$(basename -- "$s")"; fi',
    `printf 'dest=%s\\n' "$d"`,
    '_ss=$(tsrun_sha1 "$s"); echo sha1=$_ss',
    'if [ -f "$d" ] && [ "$(tsrun_sha1 "$d")" = "$_ss" ]; then',
    `  ${attrs.force === false ? ':' : attrsLine}`,
    `elif [ -e "$d" ] && [ ${attrs.force === false ? 1 : 0} = 1 ]; then :`,
    'elif [ "$TSRUN_CHECK" = 1 ]; then echo would_write=1',
    'else',
    writeScript({ dest, destExpr: '"$d"', fromRemote: '"$s"', mode: attrs.mode, owner: attrs.owner, group: attrs.group, backup: attrs.backup, validate: attrs.validate }),
    'fi',
    'tsrun_stat final_st "$d" -L',
    'echo done=1',
  ].join('\n');
}
