import { readdirSync, statSync } from 'node:fs';
import { request } from '../connection/shell-protocol.js';
import { basename, join } from 'node:path';
import { sourceBytes } from './lib/control-files.js';
import { defineModule, type ModuleContext, type ModuleResult } from './types.js';
import type { Infer } from './schema-types.js';
import { ArgError, guarded } from './lib/file-args.js';
import { parseMode } from './lib/file-mode.js';
import { bool, fileCommonProps, modeProp, objectSchema, str, unsupported } from './lib/file-schema.js';
import { type PutAttrs, type PutFile, putFiles, putResult, sha1 } from './lib/file-transfer.js';
import { copyRemoteScript } from './lib/remote-copy.js';
import { statRecord, statResultKeys } from './lib/remote-kv.js';
import { prelude } from './lib/remote-prelude.js';
import { joinShell, sh } from '../connection/shell-text.js';

/** The write attributes copy and template share, as their (validated) arguments give them. */
export interface PutArgs {
  mode?: string | number;
  owner?: string;
  group?: string;
  backup?: boolean;
  force?: boolean;
  validate?: string;
}

/** Common write attributes of copy and template. */
export function putAttrsFromArgs(a: PutArgs): PutAttrs {
  if (a.validate !== undefined && !a.validate.includes('%s')) throw new ArgError(`validate must contain %s: ${a.validate}`);
  return { mode: parseMode(a.mode), owner: a.owner, group: a.group, backup: a.backup ?? false, force: a.force ?? true, validate: a.validate };
}

function notFound(src: string): string {
  return `Could not find or access '${src}' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option`;
}

interface Walked {
  dirs: string[];
  files: { rel: string; abs: string }[];
}

/** Control-side tree under `root`, symlinks followed (Ansible's local_follow default). */
function walk(root: string, rel = '', acc: Walked = { dirs: [], files: [] }): Walked {
  for (const name of readdirSync(join(root, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    const st = statSync(join(root, r));
    if (st.isDirectory()) {
      acc.dirs.push(r);
      walk(root, r, acc);
    } else acc.files.push({ rel: r, abs: join(root, r) });
  }
  return acc;
}

async function copyDirectory(ctx: ModuleContext<CopyArgs>, src: string, dest: string, attrs: PutAttrs): Promise<ModuleResult> {
  const root = src.endsWith('/') ? dest.replace(/\/+$/, '') : `${dest.replace(/\/+$/, '')}/${basename(src)}`;
  const tree = walk(src);
  const dirMode = parseMode(ctx.args.directory_mode);
  // Directories first, in one script; created ones get directory_mode, all get owner/group.
  const lines = [prelude(ctx.check)];
  for (const d of ['', ...tree.dirs]) {
    const q = d ? `${root}/${d}` : root;
    lines.push(
      sh`if [ ! -d ${q} ]; then printf '%s created=%s\\n' "$TSRUN_N" ${q}; if [ "$TSRUN_CHECK" != 1 ]; then _e=$(mkdir -p -- ${q} 2>&1) || { tsrun_err "$_e"; exit 0; }`,
      dirMode ? sh`tsrun_attrs ${q} ${dirMode.kind === 'octal' ? dirMode.digits : dirMode.text} '' '' '' >/dev/null || exit 0; fi; fi` : sh`fi; fi`,
    );
    if (attrs.owner || attrs.group) {
      lines.push(sh`if [ -d ${q} ]; then tsrun_attrs ${q} '' ${attrs.owner ?? ''} ${attrs.group ?? ''} '' || exit 0; fi`);
    }
  }
  const { reply: dkv } = await request(ctx, joinShell(lines));
  if (dkv.has('error')) return { failed: true, changed: false, msg: dkv.get('error') };
  let changed = dkv.has('created') || dkv.has('attr');
  if (ctx.check && dkv.has('created')) {
    return { changed: true, dest: root.endsWith('/') ? root : root + '/', src };
  }
  const decrypt = ctx.args.decrypt ?? true;
  const files: PutFile[] = tree.files.map((f) => ({ dest: `${root}/${f.rel}`, content: sourceBytes(f.abs, decrypt), label: f.abs }));
  const outcomes = files.length ? await putFiles(ctx, files, attrs) : [];
  for (const o of outcomes) {
    if (o.failed) return o.failed;
    changed ||= o.changed;
  }
  const diffs = outcomes.flatMap((o) => (o.diff ? [o.diff] : []));
  const res: ModuleResult = { changed, dest: root.endsWith('/') ? root : root + '/', src };
  if (diffs.length) res.diff = diffs;
  return res;
}

async function copyRemote(ctx: ModuleContext, src: string, dest: string, attrs: PutAttrs): Promise<ModuleResult> {
  const { res: r, reply: kv } = await request(ctx, copyRemoteScript(src, dest, attrs, ctx.check));
  if (kv.has('error')) return { failed: true, changed: false, msg: kv.get('error') };
  if (kv.has('missing')) return { failed: true, changed: false, msg: `Source ${src} not found` };
  const final = statRecord(kv, 'final_st');
  const changed = kv.has('written') || kv.has('would_write') || kv.has('attr');
  const res: ModuleResult = { changed, dest: kv.get('dest') ?? dest, src, state: 'file' };
  if (kv.get('sha1')) res.checksum = kv.get('sha1');
  if (final) Object.assign(res, statResultKeys(final));
  if (kv.get('backup_file')) res.backup_file = kv.get('backup_file');
  if (!r.stdout.includes('done=1') && !kv.has('would_write')) {
    return { failed: true, changed: false, msg: `copy on the target failed (rc=${r.rc}): ${r.stderr.trim()}` };
  }
  return res;
}

async function run(ctx: ModuleContext<CopyArgs>): Promise<ModuleResult> {
  const a = ctx.args;
  const { dest, src, content } = a;
  if (src !== undefined && content !== undefined) throw new ArgError('parameters are mutually exclusive: content|src');
  if (src === undefined && content === undefined) throw new ArgError('src (or content) is required');
  // thirsty is Ansible's old alias of force.
  const attrs = putAttrsFromArgs({ ...a, force: a.force ?? a.thirsty });
  if (a.remote_src) {
    if (src === undefined) throw new ArgError('src is required with remote_src');
    if (a.checksum !== undefined) throw new ArgError('checksum is not supported by tsrun with remote_src');
    return copyRemote(ctx, src, dest, attrs);
  }
  let body: Buffer;
  let label: string;
  let baseName: string | undefined;
  if (content !== undefined) {
    // Ansible writes non-string content (a dict or list) as JSON.
    body = Buffer.from(typeof content === 'string' ? content : JSON.stringify(content));
    label = 'dynamically generated';
  } else {
    let path: string;
    try {
      path = ctx.findFile('files', src!);
    } catch {
      return { failed: true, changed: false, msg: notFound(src!) };
    }
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) return { failed: true, changed: false, msg: notFound(src!) };
    if (st.isDirectory()) return copyDirectory(ctx, src!.endsWith('/') && !path.endsWith('/') ? path + '/' : path, dest, attrs);
    body = sourceBytes(path, a.decrypt ?? true);
    label = path;
    baseName = basename(path);
  }
  // Ansible's checksum: the SHA1 the source must have, checked before anything is written.
  if (a.checksum !== undefined && a.checksum !== sha1(body)) {
    return { failed: true, changed: false, msg: 'Copied file does not match the expected checksum. Transfer failed.', checksum: sha1(body), expected_checksum: a.checksum };
  }
  let target = dest;
  let makeParents = false;
  if (dest.endsWith('/')) {
    if (baseName === undefined) throw new ArgError('can not use content with a dir as dest');
    target = dest + baseName;
    baseName = undefined;
    makeParents = true;
  }
  const [o] = await putFiles(ctx, [{ dest: target, baseName, content: body, label }], attrs, makeParents);
  return putResult(o!, body, src !== undefined ? { src } : {});
}

export const copySchema = objectSchema(
  {
    src: str,
    content: {},
    dest: str,
    backup: { ...bool, default: false },
    force: { ...bool, default: true },
    thirsty: bool,
    remote_src: { ...bool, default: false },
    local_follow: unsupported(bool, 'control-side symlinks are always followed', [true]),
    follow: unsupported(bool, 'a symlink at dest is replaced, not followed', [false]),
    validate: str,
    directory_mode: modeProp,
    decrypt: { ...bool, default: true },
    checksum: str,
    ...fileCommonProps,
  },
  { required: ['dest'] },
);

export type CopyArgs = Infer<typeof copySchema>;

const copy = defineModule({
  name: 'copy',
  aliases: ['ansible.builtin.copy'],
  checkMode: true,
  freeForm: false,
  argsSchema: copySchema,
  run: (ctx) => guarded(() => run(ctx)),
});

export { sha1 };
export default copy;
