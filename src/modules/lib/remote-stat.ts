import { prelude } from './remote-prelude.js';
import { joinShell, sh, type ShellText } from './sh.js';

export const CHECKSUM_TOOLS: Record<string, string> = {
  md5: 'md5sum',
  sha1: 'sha1sum',
  sha224: 'sha224sum',
  sha256: 'sha256sum',
  sha384: 'sha384sum',
  sha512: 'sha512sum',
};

/** The stat module's one script: stat line, link facts, access bits, optional checksum. */
export function statScript(path: string, opts: { follow: boolean; checksum?: string }): ShellText {
  const lines = [
    prelude(false),
    sh`p=${path}`,
    sh`tsrun_stat st "$p" ${opts.follow ? ['-L'] : []}`,
    sh`if [ -L "$p" ]; then printf 'lnk_target=%s\\n' "$(readlink -- "$p")"; printf 'lnk_source=%s\\n' "$(readlink -f -- "$p")"; fi`,
    sh`[ -r "$p" ] && echo readable=1`,
    sh`[ -w "$p" ] && echo writeable=1`,
    sh`[ -x "$p" ] && echo executable=1`,
  ];
  if (opts.checksum) {
    const tool = CHECKSUM_TOOLS[opts.checksum];
    if (!tool) throw new Error(`unknown checksum algorithm ${opts.checksum}`);
    lines.push(sh`if [ -f "$p" ] && [ -r "$p" ]; then printf 'checksum=%s\\n' "$(${tool} < "$p" | cut -d' ' -f1)"; fi`);
  }
  lines.push(sh`echo done=1`);
  return joinShell(lines);
}
