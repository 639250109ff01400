import type { FileDiff, ModuleContext, ModuleResult } from '../types.js';
import { Reply, request } from './reply.js';
import type { ModeSpec } from './file-mode.js';
import { digestOf } from './control-files.js';
import { contentDiff } from './file-diff.js';
import { type RemoteStat, statResultKeys } from './remote-kv.js';
import { prelude } from './remote-prelude.js';
import { attrsSnippet, MAX_DIFF_BYTES, probeSnippet, writeScript } from './remote-write.js';
import { joinShell, rawShell, sh, type ShellText } from './sh.js';

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
    const matchAttrs = attrsSnippet(v, attrs.mode, attrs.owner, attrs.group);
    out.push(
      sh`if [ -f ${v} ]; then _s=$(tsrun_sha1 ${v}); echo "$TSRUN_N" ${rawShell(key('sha1'))}=$_s; if [ "$_s" = ${want} ]; then`,
      sh`  ${attrs.force === false ? sh`:` : matchAttrs}`,
      sh`  tsrun_stat ${key('final')} ${v} -L`,
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
    const before = kv.stat(`f${i}_st`);
    const final = kv.stat(`f${i}_final`);
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
    outcomes.push({ path, changed: true, attrChanged: false, diff, final: w.kv.stat('final_st'), backupFile: w.kv.get('backup_file') });
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
