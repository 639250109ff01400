/**
 * Putting a file's bytes on the target, the one way every file module does it.
 *
 * putFiles (copy, template) runs one probe script for all files (where each goes, whether it
 * already matches, attributes fixed if it does), then for each file whose content differs the
 * write script with the bytes on its stdin: a temp file beside dest, checked against the length
 * and SHA-256 announced before sending, validated, renamed into place. The pieces (probeSnippet,
 * attrsSnippet, writeScript, verifySnippet) are reused by lineinfile/blockinfile/replace,
 * remote_src copies and unarchive.
 */
import type { FileDiff, ModuleContext, ModuleResult } from '../types.js';
import { type Reply, request } from '../../connection/shell-protocol.js';
import { joinShell, quote, rawShell, sh, type ShellText } from '../../connection/shell-text.js';
import { shlexSplit } from '../../util/shlex.js';
import { digestOf } from './control-files.js';
import { contentDiff, MAX_DIFF_BYTES } from './file-diff.js';
import { modeArg, type ModeSpec } from './file-mode.js';
import { type RemoteStat, statRecord, statResultKeys } from './remote-kv.js';
import { prelude } from './remote-prelude.js';


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
    lines.push(sh`if [ -f ${q} ] && [ -r ${q} ]; then tsrun_digest sha1sum ${q}; printf ${`%s ${key}_sha1=%s\n`} "$TSRUN_N" "$__ts_h"; fi`);
  }
  if (opts.contentUpTo !== undefined) {
    lines.push(sh`if [ -f ${q} ] && [ -r ${q} ] && [ "$(stat -L -c %s -- ${q})" -le ${opts.contentUpTo} ]; then printf ${`%s ${key}_b64=`} "$TSRUN_N"; tsrun_b64 < ${q}; echo; fi`);
  }
  return joinShell(lines);
}

/** `tsrun_attrs` call (undefined when nothing is asked); `pathExpr` is a shell expression such as `"$p"`. */
export function attrsCall(pathExpr: ShellText, mode: ModeSpec | undefined, owner: string | undefined, group: string | undefined, noFollow = false, knownMode?: ShellText): ShellText | undefined {
  if (!mode && !owner && !group) return undefined;
  return sh`tsrun_attrs ${pathExpr} ${modeArg(mode)} ${owner ?? ''} ${group ?? ''} ${noFollow ? '-h' : ''}${knownMode ? sh` ${knownMode}` : sh``}`;
}

/** The `tsrun_attrs` call that aborts the script (exit 0, error already printed) on failure; `:` when nothing is asked. */
export function attrsSnippet(pathExpr: ShellText, mode: ModeSpec | undefined, owner: string | undefined, group: string | undefined, noFollow = false, knownMode?: ShellText): ShellText {
  const call = attrsCall(pathExpr, mode, owner, group, noFollow, knownMode);
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
    sh`_n=$(wc -c <${q}); tsrun_digest sha256sum ${q}; _h=$__ts_h`,
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

// ---- putting files: probe, then write what differs ----
export const sha1 = (b: Buffer | string): string => digestOf(b, 'sha1');
export const md5 = (b: Buffer | string): string => digestOf(b, 'md5');

export interface PutAttrs {
  mode?: ModeSpec;
  owner?: string;
  group?: string;
  backup?: boolean;
  force?: boolean;
  validate?: string;
}

/** One file to put on the target. `dest` may name a directory when `baseName` is given. */
export interface PutFile {
  dest: string;
  /** When dest is an existing directory, the file goes to dest/baseName (copy's rule). */
  baseName?: string;
  content: Buffer;
  /** Shown as diff after_header (src path or "dynamically generated"). */
  label: string;
}

/** Probe script: where each file goes, whether it already matches, attributes fixed if it does. */
export function putProbeScript(files: PutFile[], attrs: PutAttrs, check: boolean, diff: boolean): ShellText {
  const out = [prelude(check)];
  files.forEach((f, i) => {
    // Variable names and keys are built from the index only: `p0`, `f0_path`...
    const name = `p${i}`;
    const v = rawShell(`"$${name}"`);
    const key = (k: string) => `f${i}_${k}`;
    out.push(sh`${rawShell(name)}=${f.dest}`);
    if (f.baseName !== undefined) out.push(sh`if [ -d ${v} ]; then ${rawShell(name)}=${f.dest.replace(/\/+$/, '') + '/' + f.baseName}; fi`);
    out.push(sh`printf ${`%s ${key('path')}=%s\\n`} "$TSRUN_N" ${v}`);
    out.push(sh`if [ -d ${v} ]; then echo "$TSRUN_N" ${`${key('isdir')}=1`}; fi`);
    out.push(probeSnippet(`f${i}`, v, { follow: true }));
    const want = sha1(f.content);
    // The probe has just read the file's mode (following links); it is the mode tsrun_attrs
    // compares unless the path is a link, whose own mode it would read.
    const matchAttrs = attrsSnippet(v, attrs.mode, attrs.owner, attrs.group, false, rawShell('"$_km"'));
    out.push(
      sh`if [ -f ${v} ]; then tsrun_digest sha1sum ${v}; _s=$__ts_h; echo "$TSRUN_N" ${rawShell(key('sha1'))}=$_s; if [ "$_s" = ${want} ]; then`,
      // The content matches: the probe's stat is the final one unless an attribute changed.
      sh`  echo "$TSRUN_N" ${`${key('same')}=1`}; _ac= _km=; [ -L ${v} ] || { _km=\${__ts_st#*|}; _km=\${_km%%|*}; }`,
      sh`  ${attrs.force === false ? sh`:` : matchAttrs}`,
      sh`  [ -z "$_ac" ] || tsrun_stat ${key('final')} ${v} -L`,
      sh`elif [ ${diff ? '1' : '0'} = 1 ] && [ "$(stat -L -c %s -- ${v})" -le ${MAX_DIFF_BYTES} ]; then printf ${`%s ${key('b64')}=`} "$TSRUN_N"; tsrun_b64 < ${v}; echo; fi; fi`,
    );
  });
  return joinShell(out);
}

export interface PutOutcome {
  path: string;
  changed: boolean;
  failed?: ModuleResult;
  final?: RemoteStat;
  backupFile?: string;
  diff?: FileDiff;
  attrChanged: boolean;
}

/** Runs the write script for one file (content on stdin) and parses what it printed. */
export async function runWrite(ctx: ModuleContext, path: string, content: Buffer, attrs: PutAttrs, makeParents = false): Promise<{ kv: Reply; failed?: ModuleResult }> {
  const expect = { size: content.length, sha256: digestOf(content, 'sha256') };
  const script = joinShell([prelude(false), writeScript({ dest: path, mode: attrs.mode, owner: attrs.owner, group: attrs.group, backup: attrs.backup, validate: attrs.validate, makeParents, expect })]);
  const { res: r, reply: kv } = await request(ctx, script, { stdin: content });
  if (kv.has('validate_rc')) {
    const out = kv.b64('validate_b64') ?? '';
    return { kv, failed: { failed: true, changed: false, msg: 'failed to validate', exit_status: Number(kv.get('validate_rc')), stdout: out, stderr: '' } };
  }
  if (kv.has('error')) return { kv, failed: { failed: true, changed: false, msg: kv.get('error') } };
  if (!kv.has('written')) return { kv, failed: { failed: true, changed: false, msg: `writing ${path} failed (rc=${r.rc}): ${r.stderr.trim()}` } };
  return { kv };
}

/** Puts files on the target: one probe round trip, then one write per file whose content differs. */
export async function putFiles(ctx: ModuleContext, files: PutFile[], attrs: PutAttrs, makeParents = false): Promise<PutOutcome[]> {
  const { res: probe, reply: kv } = await request(ctx, putProbeScript(files, attrs, ctx.check, ctx.diff));
  const outcomes: PutOutcome[] = [];
  for (const [i, f] of files.entries()) {
    const path = kv.get(`f${i}_path`) ?? f.dest;
    const fail = (msg: string): PutOutcome => ({ path, changed: false, attrChanged: false, failed: { failed: true, changed: false, msg } });
    if (kv.has('error')) {
      outcomes.push(fail(kv.get('error')!));
      break;
    }
    if (probe.rc !== 0 && !kv.has(`f${i}_path`)) {
      outcomes.push(fail(`probing ${f.dest} failed (rc=${probe.rc}): ${probe.stderr.trim()}`));
      break;
    }
    if (kv.has(`f${i}_isdir`)) {
      outcomes.push(fail(f.baseName === undefined ? 'can not use content with a dir as dest' : `${path} is a directory`));
      continue;
    }
    const before = statRecord(kv, `f${i}_st`);
    const final = statRecord(kv, `f${i}_final`) ?? (kv.has(`f${i}_same`) ? before : undefined);
    if (before && attrs.force === false) {
      outcomes.push({ path, changed: false, attrChanged: false, final: final ?? before });
      continue;
    }
    if (final) {
      const attrChanged = kv.values('attr').length > 0;
      outcomes.push({ path, changed: attrChanged, attrChanged, final });
      continue;
    }
    const beforeText = before ? kv.b64(`f${i}_b64`) : '';
    // A new file has no "before" file to name, so Ansible prints a bare `--- before`.
    const diff = ctx.diff ? contentDiff(beforeText, f.content.toString('utf8'), before ? path : '', f.label) : undefined;
    if (ctx.check) {
      outcomes.push({ path, changed: true, attrChanged: false, diff, final: before });
      continue;
    }
    const w = await runWrite(ctx, path, f.content, attrs, makeParents);
    if (w.failed) {
      outcomes.push({ path, changed: false, attrChanged: false, failed: w.failed });
      break;
    }
    outcomes.push({ path, changed: true, attrChanged: false, diff, final: statRecord(w.kv, 'final_st'), backupFile: w.kv.get('backup_file') });
  }
  return outcomes;
}

/** Ansible's copy/template result for one file. */
export function putResult(o: PutOutcome, content: Buffer, extra: Record<string, unknown> = {}): ModuleResult {
  if (o.failed) return o.failed;
  const res: ModuleResult = { changed: o.changed, dest: o.path, checksum: sha1(content), ...extra };
  if (o.final) Object.assign(res, statResultKeys(o.final));
  if (o.changed && !o.attrChanged) res.md5sum = md5(content);
  else res.path = o.path;
  res.state = 'file';
  if (!o.final || o.changed) res.size = content.length;
  if (o.backupFile) res.backup_file = o.backupFile;
  // Ansible's copy returns its content diff as a one-element list.
  if (o.diff) res.diff = [o.diff];
  return res;
}
