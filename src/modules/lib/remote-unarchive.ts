import type { ModeSpec } from './file-mode.js';
import { prelude } from './remote-prelude.js';
import { attrsSnippet, type Expected, verifySnippet } from './file-transfer.js';
import { joinShell, rawShell, sh, type ShellText } from '../../connection/shell-text.js';

export type ArchiveFormat = 'tar' | 'tar.gz' | 'tar.xz' | 'tar.bz2' | 'tar.zst' | 'zip';

/** Format from the leading bytes (what Ansible's handlers probe), falling back to the name. */
export function detectFormat(name: string, head?: Buffer): ArchiveFormat | undefined {
  if (head && head.length >= 4) {
    if (head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz';
    if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'tar.xz';
    if (head.subarray(0, 3).toString('latin1') === 'BZh') return 'tar.bz2';
    if (head.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))) return 'tar.zst';
    if (head.subarray(0, 4).toString('latin1') === 'PK\x03\x04') return 'zip';
    if (head.length > 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  }
  const n = name.toLowerCase();
  if (n.endsWith('.zip')) return 'zip';
  if (n.endsWith('.tar.gz') || n.endsWith('.tgz')) return 'tar.gz';
  if (n.endsWith('.tar.xz') || n.endsWith('.txz')) return 'tar.xz';
  if (n.endsWith('.tar.bz2') || n.endsWith('.tbz2') || n.endsWith('.tbz')) return 'tar.bz2';
  if (n.endsWith('.tar.zst')) return 'tar.zst';
  if (n.endsWith('.tar')) return 'tar';
  return undefined;
}

export interface UnarchiveSpec {
  dest: string;
  /** Archive already on the target; otherwise it arrives on stdin. */
  remoteSrc?: string;
  /** Length and SHA-256 of the archive sent on stdin: a cut-off archive is never extracted. */
  expect?: Expected;
  /** undefined: detect on the target with `file`-less magic probing (remote_src only). */
  format?: ArchiveFormat;
  creates?: string;
  mode?: ModeSpec;
  owner?: string;
  group?: string;
  extraOpts: string[];
  exclude: string[];
  listFiles: boolean;
}

/**
 * One script: extract into a scratch dir inside dest, compare with dest (content, link targets,
 * and mode unless `mode` is set), copy over only when something differs. Prints `file=` per
 * archive member (list_files), `unchanged=1` / `extracted=1` / `would_extract=1`, `attr=` lines.
 */
export function unarchiveScript(s: UnarchiveSpec, check: boolean): ShellText {
  const drain = s.remoteSrc === undefined ? sh`cat >/dev/null; ` : sh``;
  // `msg` is fixed text naming shell variables ($d, $w), expanded inside double quotes.
  const fail = (msg: string) => sh`{ tsrun_err ${rawShell(`"${msg}"`)}; ${drain}exit 0; }`;
  // extra_opts are options by definition (as in Ansible), each passed as one word.
  const extra = s.extraOpts;
  const L: ShellText[] = [prelude(check), sh`d=${s.dest}`];
  if (s.creates) L.push(sh`if [ -e ${s.creates} ]; then echo "$TSRUN_N" skipped=1; ${drain}exit 0; fi`);
  L.push(
    sh`[ -d "$d" ] || ${fail("dest '$d' must be an existing dir")}`,
    sh`w=$(mktemp -d "$d/.tsrun-unarchive.XXXXXX" 2>&1) || ${fail('cannot write to $d: $w')}`,
    sh`trap 'rm -rf -- "$w"' EXIT`,
    sh`trap 'exit 1' INT TERM HUP`,
  );
  if (s.remoteSrc !== undefined) {
    L.push(sh`a=${s.remoteSrc}`, sh`[ -f "$a" ] || { tsrun_err "Source '$a' does not exist"; exit 0; }`);
  } else {
    L.push(sh`a="$w/archive"`, sh`_e=$(cat 2>&1 >"$a") || { tsrun_err "failed to receive the archive: $_e"; exit 0; }`);
    if (s.expect) L.push(verifySnippet(rawShell('"$a"'), s.expect, rawShell('the archive')));
  }
  L.push(
    s.format
      ? sh`fmt=${s.format}`
      : joinShell([
          sh`case "$(od -An -tx1 -N6 "$a" | tr -d ' \\n')" in`,
          sh`  1f8b*) fmt=tar.gz;; fd377a585a00) fmt=tar.xz;; 425a68*) fmt=tar.bz2;; 28b52ffd*) fmt=tar.zst;; 504b0304*) fmt=zip;;`,
          sh`  *) fmt=tar;;`,
          sh`esac`,
        ]),
  );
  const excl = s.exclude.map((e) => `--exclude=${e}`);
  const zipExcl = s.exclude.length ? ['-x', ...s.exclude] : [];
  L.push(
    sh`case $fmt in`,
    sh`  zip) command -v unzip >/dev/null 2>&1 || { tsrun_err "Unable to find required 'unzip' binary in the path (zip archives need unzip on the target)"; exit 0; }`,
    sh`       lst() { unzip -Z1 "$a"; }; ext() { unzip -q -o ${extra} "$a" ${zipExcl} -d "$1"; } ;;`,
    sh`  tar) tf=;; tar.gz) tf=-z;; tar.xz) tf=-J;; tar.bz2) tf=-j;; tar.zst) tf=--zstd;;`,
    sh`esac`,
    sh`if [ $fmt != zip ]; then lst() { tar $tf -t -f "$a"; }; ext() { tar $tf -x -f "$a" -C "$1" ${excl} ${extra}; }; fi`,
    sh`_e=$(lst 2>&1 >"$w/members") || { tsrun_err "Failed to list archive members ($fmt): $_e"; exit 0; }`,
  );
  if (s.listFiles) L.push(sh`while IFS= read -r f; do printf '%s file=%s\\n' "$TSRUN_N" "$f"; done < "$w/members"`);
  L.push(
    sh`mkdir "$w/x" && _e=$(ext "$w/x" 2>&1) || { tsrun_err "failed to unpack $a to $d: $_e"; exit 0; }`,
    sh`echo "$TSRUN_N" fmt=$fmt`,
    sh`(cd "$w/x" && find . ! -name .) > "$w/list"`,
    sh`same=1`,
    sh`while IFS= read -r f; do`,
    sh`  t="$d/\${f#./}"; x="$w/x/\${f#./}"`,
    sh`  if [ -L "$x" ]; then [ -L "$t" ] && [ "$(readlink -- "$x")" = "$(readlink -- "$t")" ] || { same=0; break; }`,
    sh`  elif [ -d "$x" ]; then [ -d "$t" ] && [ ! -L "$t" ] || { same=0; break; }`,
    sh`  else [ -f "$t" ] && [ ! -L "$t" ] && cmp -s -- "$x" "$t" || { same=0; break; }; fi`,
    s.mode ? sh`` : sh`  [ -L "$x" ] || [ "$(stat -c %a -- "$x")" = "$(stat -c %a -- "$t")" ] || { same=0; break; }`,
    sh`done < "$w/list"`,
    sh`if [ $same = 1 ]; then echo "$TSRUN_N" unchanged=1`,
    sh`elif [ "$TSRUN_CHECK" = 1 ]; then echo "$TSRUN_N" would_extract=1`,
    // Copy each top-level entry: copying "$w/x/." would also stamp the scratch dir's mode and owner onto dest itself.
    sh`else for _x in "$w/x"/* "$w/x"/.[!.]* "$w/x"/..?*; do { [ -e "$_x" ] || [ -L "$_x" ]; } || continue; _e=$(cp -a -- "$_x" "$d/" 2>&1) || { tsrun_err "failed to copy extracted files into $d: $_e"; exit 0; }; done; echo "$TSRUN_N" extracted=1; fi`,
  );
  if (s.mode || s.owner || s.group) {
    const t = rawShell('"$t"');
    L.push(
      sh`if [ $same = 1 ] || [ "$TSRUN_CHECK" != 1 ]; then while IFS= read -r f; do t="$d/\${f#./}"`,
      sh`  if [ -L "$t" ]; then ${attrsSnippet(t, undefined, s.owner, s.group, true)}; else ${attrsSnippet(t, s.mode, s.owner, s.group)}; fi`,
      sh`done < "$w/list"; fi`,
    );
  }
  L.push(sh`tsrun_stat final_st "$d"`, sh`echo "$TSRUN_N" done=1`);
  return joinShell(L.filter((l) => l.text !== ''));
}
