import type { FileDiff, ModuleContext, ModuleResult } from '../types.js';
import { request } from '../../connection/shell-protocol.js';
import { contentDiff } from './file-diff.js';
import { type RemoteStat, statRecord } from './remote-kv.js';
import { prelude } from './remote-prelude.js';
import { attrsCall, attrsSnippet, runWrite, type WriteSpec } from './file-transfer.js';
import { joinShell, rawShell, sh, type ShellText } from '../../connection/shell-text.js';

/** The file an edit module rewrites: a path with a write's attributes, backup and validate. */
export interface EditTarget extends Pick<WriteSpec, 'mode' | 'owner' | 'group' | 'backup' | 'validate' | 'makeParents'> {
  path: string;
}

/** One script: is it a directory, its stat, its whole content (base64), would attributes change. */
export function editProbeScript(t: EditTarget): ShellText {
  const attrs = attrsCall(rawShell('"$p"'), t.mode, t.owner, t.group) ?? sh`:`;
  return joinShell([
    prelude(true),
    sh`p=${t.path}`,
    sh`if [ -d "$p" ]; then echo "$TSRUN_N" isdir=1; exit 0; fi`,
    sh`tsrun_stat st "$p" -L`,
    sh`if [ -f "$p" ]; then [ -r "$p" ] || { tsrun_err "Source $p not readable"; exit 0; }; printf '%s b64=' "$TSRUN_N"; tsrun_b64 < "$p"; echo; ${attrs}; fi`,
    sh`printf '%s parent_exists=%s\\n' "$TSRUN_N" "$([ -d "$(dirname -- "$p")" ] && echo 1 || echo 0)"`,
    sh`echo "$TSRUN_N" done=1`,
  ]);
}

export interface EditProbe {
  exists: boolean;
  text: string;
  stat?: RemoteStat;
  attrWouldChange: boolean;
  parentExists: boolean;
}

export type EditFailure = { failed: true; changed: false; msg: string; rc?: number };

export async function probeEdit(ctx: ModuleContext, t: EditTarget): Promise<EditProbe | EditFailure> {
  const { res: r, reply: kv } = await request(ctx, editProbeScript(t));
  if (kv.has('isdir')) return { failed: true, changed: false, rc: 256, msg: `Path ${t.path} is a directory !` };
  if (kv.has('error')) return { failed: true, changed: false, msg: kv.get('error')! };
  if (!kv.has('done')) return { failed: true, changed: false, msg: `reading ${t.path} failed (rc=${r.rc}): ${r.stderr.trim()}` };
  const st = statRecord(kv, 'st');
  return {
    exists: st !== undefined,
    text: kv.b64('b64') ?? '',
    stat: st,
    attrWouldChange: kv.values('attr').length > 0,
    parentExists: kv.get('parent_exists') === '1',
  };
}

export interface EditOutcome {
  changed: boolean;
  attrChanged: boolean;
  backupFile?: string;
  diff?: FileDiff;
  failed?: ModuleResult;
}

/**
 * Writes `after` if it differs from the probed content (atomically, with backup/validate), or
 * only fixes attributes. Check mode writes nothing but reports the same outcome.
 */
export async function commitEdit(ctx: ModuleContext, t: EditTarget, probe: EditProbe, after: string, contentChanged: boolean, header = `${t.path} (content)`): Promise<EditOutcome> {
  const diff = ctx.diff ? contentDiff(probe.exists ? probe.text : '', after, header, header) : undefined;
  if (contentChanged) {
    if (ctx.check) return { changed: true, attrChanged: probe.attrWouldChange, diff };
    const w = await runWrite(ctx, t.path, Buffer.from(after), { mode: t.mode, owner: t.owner, group: t.group, backup: t.backup, validate: t.validate }, t.makeParents);
    // lineinfile/blockinfile/replace word a failed validate their own way (not copy's).
    const failed = w.failed && w.kv.has('validate_rc') ? { failed: true, changed: false, msg: `failed to validate: rc:${w.kv.get('validate_rc')} error:${w.kv.b64('validate_b64') ?? ''}` } : w.failed;
    if (failed) return { changed: false, attrChanged: false, failed };
    return { changed: true, attrChanged: probe.attrWouldChange, backupFile: w.kv.get('backup_file'), diff };
  }
  if (!probe.attrWouldChange) return { changed: false, attrChanged: false };
  if (!ctx.check) {
    const { res: r, reply: kv } = await request(ctx, joinShell([prelude(false), sh`p=${t.path}`, attrsSnippet(rawShell('"$p"'), t.mode, t.owner, t.group), sh`echo "$TSRUN_N" done=1`]));
    if (kv.has('error') || !kv.has('done')) return { changed: false, attrChanged: false, failed: { failed: true, changed: false, msg: kv.get('error') ?? r.stderr.trim() } };
  }
  return { changed: true, attrChanged: true };
}

/** Ansible's message suffix when only (or also) attributes changed. */
export function withAttrMsg(msg: string, attrChanged: boolean): string {
  if (!attrChanged) return msg;
  return msg ? `${msg} and ownership, perms or SE linux context changed` : 'ownership, perms or SE linux context changed';
}
