import { prelude } from './remote-prelude.js';
import { joinShell, sh, type ShellText } from '../../connection/shell-text.js';

export const CHECKSUM_TOOLS: Record<string, string> = {
  md5: 'md5sum',
  sha1: 'sha1sum',
  sha224: 'sha224sum',
  sha256: 'sha256sum',
  sha384: 'sha384sum',
  sha512: 'sha512sum',
};

/** The stat module's one script: stat line, link facts, access bits, optional checksum. */
export function statScript(path: string, opts: { follow: boolean; checksum?: string; mime?: boolean }): ShellText {
  const lines = [
    prelude(false),
    sh`p=${path}`,
    sh`tsrun_stat st "$p" ${opts.follow ? ['-L'] : []}`,
    sh`if [ -L "$p" ]; then printf '%s lnk_target=%s\\n' "$TSRUN_N" "$(readlink -- "$p")"; printf '%s lnk_source=%s\\n' "$TSRUN_N" "$(readlink -f -- "$p")"; fi`,
    sh`[ -r "$p" ] && echo "$TSRUN_N" readable=1`,
    sh`[ -w "$p" ] && echo "$TSRUN_N" writeable=1`,
    sh`[ -x "$p" ] && echo "$TSRUN_N" executable=1`,
  ];
  if (opts.checksum) {
    const tool = CHECKSUM_TOOLS[opts.checksum];
    if (!tool) throw new Error(`unknown checksum algorithm ${opts.checksum}`);
    lines.push(sh`if [ -f "$p" ] && [ -r "$p" ]; then tsrun_digest ${tool} "$p"; printf '%s checksum=%s\\n' "$TSRUN_N" "$__ts_h"; fi`);
  }
  if (opts.mime) {
    // Ansible asks `file` when the target has it and reports 'unknown' otherwise
    lines.push(sh`if [ -e "$p" ]; then if command -v file >/dev/null 2>&1; then printf '%s mime=%s\\n' "$TSRUN_N" "$(file -b --mime-type --mime-encoding -- "$p" 2>/dev/null)"; else echo "$TSRUN_N" mime=; fi; fi`);
  }
  lines.push(sh`echo "$TSRUN_N" done=1`);
  return joinShell(lines);
}
