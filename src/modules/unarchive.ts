import { digestOf, readControlFile } from './lib/control-files.js';
import { request } from '../connection/shell-protocol.js';
import { statSync } from 'node:fs';
import { maybeDecryptBytes } from '../vault/keyring.js';
import { defineModule, type ModuleContext, type ModuleResult } from './types.js';
import type { Infer } from './schema-types.js';
import { ArgError, guarded } from './lib/file-args.js';
import { parseMode } from './lib/file-mode.js';
import { bool, fileCommonProps, objectSchema, str, unsupported } from './lib/file-schema.js';
import { statRecord, statResultKeys } from './lib/remote-kv.js';
import { detectFormat, unarchiveScript } from './lib/remote-unarchive.js';

const HANDLERS: Record<string, string> = { zip: 'ZipArchive', 'tar.gz': 'TgzArchive', tar: 'TarArchive', 'tar.xz': 'TarXzArchive', 'tar.bz2': 'TarBzipArchive', 'tar.zst': 'TarZstdArchive' };

async function run(ctx: ModuleContext<UnarchiveArgs>): Promise<ModuleResult> {
  const a = ctx.args;
  const { src, dest } = a;
  // `copy: no` is the older spelling of `remote_src: yes`.
  const remote = a.remote_src ?? (a.copy !== undefined ? !a.copy : false);
  if (/^https?:\/\//.test(src) && !remote) throw new ArgError('downloading archives from URLs is not supported by tsrun');
  let body: Buffer | undefined;
  let format = undefined as ReturnType<typeof detectFormat>;
  if (!remote) {
    let path: string;
    try {
      path = ctx.findFile('files', src);
    } catch {
      return { failed: true, changed: false, msg: `Could not find or access '${src}' on the Ansible Controller.` };
    }
    if (!statSync(path, { throwIfNoEntry: false })?.isFile()) return { failed: true, changed: false, msg: `Could not find or access '${src}' on the Ansible Controller.` };
    // A vaulted archive is decrypted in memory (Ansible's decrypt=yes default).
    body = a.decrypt === false ? readControlFile(path) : maybeDecryptBytes(readControlFile(path), path);
    format = detectFormat(path, body.subarray(0, 512));
    if (!format) return { failed: true, changed: false, msg: `Failed to find handler for "${src}". Make sure the required command to extract the file is installed.` };
  }
  const listFiles = a.list_files ?? false;
  const script = unarchiveScript(
    {
      dest,
      remoteSrc: remote ? src : undefined,
      format,
      creates: a.creates,
      mode: parseMode(a.mode),
      owner: a.owner,
      group: a.group,
      extraOpts: a.extra_opts ?? [],
      exclude: a.exclude ?? [],
      listFiles,
      expect: body ? { size: body.length, sha256: digestOf(body, 'sha256') } : undefined,
    },
    ctx.check,
  );
  const { res: r, reply: kv } = await request(ctx, script, body ? { stdin: body } : {});
  if (kv.has('skipped')) return { changed: false, skipped: true, msg: `skipped, since ${a.creates} exists`, dest, src };
  if (kv.has('error')) return { failed: true, changed: false, msg: kv.get('error'), dest, src };
  if (!kv.has('done')) return { failed: true, changed: false, msg: `unarchive failed (rc=${r.rc}): ${r.stderr.trim()}`, dest, src };
  const changed = kv.has('extracted') || kv.has('would_extract') || kv.has('attr');
  const fmt = kv.get('fmt') ?? format ?? 'tar';
  const res: ModuleResult = { changed, dest, src, handler: HANDLERS[fmt] ?? 'TarArchive', state: 'directory' };
  const final = statRecord(kv, 'final_st');
  if (final) Object.assign(res, statResultKeys(final));
  if (listFiles) res.files = kv.values('file');
  if (kv.has('extracted')) res.extract_results = { rc: 0, out: '', err: '', cmd: fmt === 'zip' ? 'unzip' : 'tar' };
  return res;
}

const strList = { type: 'array', items: str } as const;
const argsSchema = objectSchema(
  {
    src: str,
    dest: str,
    remote_src: { ...bool, default: false },
    copy: { ...bool, default: true },
    creates: str,
    list_files: { ...bool, default: false },
    extra_opts: { ...strList, default: [] },
    exclude: { ...strList, default: [] },
    include: unsupported(strList, 'the whole archive is extracted (use exclude)'),
    keep_newer: unsupported(bool, 'extraction replaces newer files', [false]),
    io_buffer_size: unsupported({ type: 'integer' }, 'the archive streams through the shell'),
    validate_certs: unsupported(bool, 'archives are not downloaded from URLs by tsrun', [true]),
    decrypt: bool,
    ...fileCommonProps,
  },
  { required: ['src', 'dest'] },
);
type UnarchiveArgs = Infer<typeof argsSchema>;

const unarchive = defineModule({
  name: 'unarchive',
  aliases: ['ansible.builtin.unarchive'],
  checkMode: true,
  freeForm: false,
  argsSchema,
  run: (ctx) => guarded(() => run(ctx)),
});

export default unarchive;
