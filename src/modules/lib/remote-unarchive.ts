import type { ModeSpec } from './file-mode.js';
import { prelude } from './remote-prelude.js';
import { attrsSnippet, type Expected, verifySnippet } from './remote-write.js';
import { shQuote } from './shell.js';

export type ArchiveFormat = 'tar' | 'tar.gz' | 'tar.xz' | 'tar.bz2' | 'tar.zst' | 'zip';

const TAR_FLAG: Record<Exclude<ArchiveFormat, 'zip'>, string> = { tar: '', 'tar.gz': '-z', 'tar.xz': '-J', 'tar.bz2': '-j', 'tar.zst': '--zstd' };

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
export function unarchiveScript(s: UnarchiveSpec, check: boolean): string {
  const drain = s.remoteSrc === undefined ? 'cat >/dev/null; ' : '';
  const fail = (msg: string) => `{ tsrun_err "${msg}"; ${drain}exit 0; }`;
  const extra = s.extraOpts.map(shQuote).join(' ');
  const L = [prelude(check), `d=${shQuote(s.dest)}`];
  if (s.creates) L.push(`if [ -e ${shQuote(s.creates)} ]; then echo skipped=1; ${drain}exit 0; fi`);
  L.push(
    `[ -d "$d" ] || ${fail("dest '$d' must be an existing dir")}`,
    `w=$(mktemp -d "$d/.tsrun-unarchive.XXXXXX" 2>&1) || ${fail('cannot write to $d: $w')}`,
    `trap 'rm -rf -- "$w"' EXIT`,
    `trap 'exit 1' INT TERM HUP`,
  );
  if (s.remoteSrc !== undefined) {
    L.push(`a=${shQuote(s.remoteSrc)}`, `[ -f "$a" ] || { tsrun_err "Source '$a' does not exist"; exit 0; }`);
  } else {
    L.push('a="$w/archive"', '_e=$(cat 2>&1 >"$a") || { tsrun_err "failed to receive the archive: $_e"; exit 0; }');
    if (s.expect) L.push(verifySnippet('"$a"', s.expect, 'the archive'));
  }
  const fmtVar = s.format
    ? `fmt=${s.format}`
    : [
        'case "$(od -An -tx1 -N6 "$a" | tr -d \' \\n\')" in',
        '  1f8b*) fmt=tar.gz;; fd377a585a00) fmt=tar.xz;; 425a68*) fmt=tar.bz2;; 28b52ffd*) fmt=tar.zst;; 504b0304*) fmt=zip;;',
        '  *) fmt=tar;;',
        'esac',
      ].join('\n');
  L.push(fmtVar);
  const excl = s.exclude.map((e) => `--exclude=${shQuote(e)}`).join(' ');
  const zipExcl = s.exclude.length ? `-x ${s.exclude.map(shQuote).join(' ')}` : '';
  L.push(
    'case $fmt in',
    `  zip) command -v unzip >/dev/null 2>&1 || { tsrun_err "Unable to find required 'unzip' binary in the path (zip archives need unzip on the target)"; exit 0; }`,
    `       lst() { unzip -Z1 "$a"; }; ext() { unzip -q -o ${extra} "$a" ${zipExcl} -d "$1"; } ;;`,
    '  tar) tf=;; tar.gz) tf=-z;; tar.xz) tf=-J;; tar.bz2) tf=-j;; tar.zst) tf=--zstd;;',
    'esac',
    `if [ $fmt != zip ]; then lst() { tar $tf -t -f "$a"; }; ext() { tar $tf -x -f "$a" -C "$1" ${excl} ${extra}; }; fi`,
    '_e=$(lst 2>&1 >"$w/members") || { tsrun_err "Failed to list archive members ($fmt): $_e"; exit 0; }',
  );
  if (s.listFiles) L.push('while IFS= read -r f; do printf \'file=%s\\n\' "$f"; done < "$w/members"');
  L.push(
    'mkdir "$w/x" && _e=$(ext "$w/x" 2>&1) || { tsrun_err "failed to unpack $a to $d: $_e"; exit 0; }',
    'echo fmt=$fmt',
    '(cd "$w/x" && find . ! -name .) > "$w/list"',
    'same=1',
    'while IFS= read -r f; do',
    '  t="$d/${f#./}"; x="$w/x/${f#./}"',
    '  if [ -L "$x" ]; then [ -L "$t" ] && [ "$(readlink -- "$x")" = "$(readlink -- "$t")" ] || { same=0; break; }',
    '  elif [ -d "$x" ]; then [ -d "$t" ] && [ ! -L "$t" ] || { same=0; break; }',
    '  else [ -f "$t" ] && [ ! -L "$t" ] && cmp -s -- "$x" "$t" || { same=0; break; }; fi',
    s.mode ? '' : '  [ -L "$x" ] || [ "$(stat -c %a -- "$x")" = "$(stat -c %a -- "$t")" ] || { same=0; break; }',
    'done < "$w/list"',
    'if [ $same = 1 ]; then echo unchanged=1',
    'elif [ "$TSRUN_CHECK" = 1 ]; then echo would_extract=1',
    // Copy each top-level entry: copying "$w/x/." would also stamp the scratch dir's mode and owner onto dest itself.
    'else for _x in "$w/x"/* "$w/x"/.[!.]* "$w/x"/..?*; do { [ -e "$_x" ] || [ -L "$_x" ]; } || continue; _e=$(cp -a -- "$_x" "$d/" 2>&1) || { tsrun_err "failed to copy extracted files into $d: $_e"; exit 0; }; done; echo extracted=1; fi',
  );
  const attrs = attrsSnippet('"$t"', s.mode, s.owner, s.group);
  if (attrs) {
    L.push(
      'if [ $same = 1 ] || [ "$TSRUN_CHECK" != 1 ]; then while IFS= read -r f; do t="$d/${f#./}"',
      `  if [ -L "$t" ]; then ${attrsSnippet('"$t"', undefined, s.owner, s.group, true) || ':'}; else ${attrs}; fi`,
      'done < "$w/list"; fi',
    );
  }
  L.push('tsrun_stat final_st "$d"', 'echo done=1');
  return L.filter((l) => l !== '').join('\n');
}
