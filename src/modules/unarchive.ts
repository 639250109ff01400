import { digestOf, readControlFile } from './lib/control-files.js';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { ModuleContext, ModuleDef, ModuleResult } from './types.js';
import { argBool, argStr, ArgError, guarded } from './lib/file-args.js';
import { parseMode } from './lib/file-mode.js';
import { boolish, fileCommonProps, objectSchema, str } from './lib/file-schema.js';
import { KvOutput, statResultKeys } from './lib/remote-kv.js';
import { detectFormat, unarchiveScript } from './lib/remote-unarchive.js';

const HANDLERS: Record<string, string> = { zip: 'ZipArchive', 'tar.gz': 'TgzArchive', tar: 'TarArchive', 'tar.xz': 'TarXzArchive', 'tar.bz2': 'TarBzipArchive', 'tar.zst': 'TarZstdArchive' };

function readHead(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(512);
    const n = readSync(fd, b, 0, 512, 0);
    return b.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function strList(v: unknown, key: string): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  throw new ArgError(`${key} must be a list`);
}

async function run(ctx: ModuleContext): Promise<ModuleResult> {
  const a = ctx.args;
  const src = argStr(a, 'src');
  const dest = argStr(a, 'dest');
  if (!src || !dest) throw new ArgError(`missing required arguments: ${[!src && 'src', !dest && 'dest'].filter(Boolean).join(', ')}`);
  const remote = argBool(a, 'remote_src', a.copy !== undefined ? !argBool(a, 'copy', true) : false);
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
    format = detectFormat(path, readHead(path));
    if (!format) return { failed: true, changed: false, msg: `Failed to find handler for "${src}". Make sure the required command to extract the file is installed.` };
    body = readControlFile(path);
  }
  const listFiles = argBool(a, 'list_files', false);
  const script = unarchiveScript(
    {
      dest,
      remoteSrc: remote ? src : undefined,
      format,
      creates: argStr(a, 'creates'),
      mode: parseMode(a.mode),
      owner: argStr(a, 'owner'),
      group: argStr(a, 'group'),
      extraOpts: strList(a.extra_opts, 'extra_opts'),
      exclude: strList(a.exclude, 'exclude'),
      listFiles,
      expect: body ? { size: body.length, sha256: digestOf(body, 'sha256') } : undefined,
    },
    ctx.check,
  );
  const r = await ctx.exec(script, body ? { stdin: body } : {});
  const kv = new KvOutput(r.stdout);
  if (kv.has('skipped')) return { changed: false, skipped: true, msg: `skipped, since ${argStr(a, 'creates')} exists`, dest, src };
  if (kv.has('error')) return { failed: true, changed: false, msg: kv.get('error'), dest, src };
  if (!kv.has('done')) return { failed: true, changed: false, msg: `unarchive failed (rc=${r.rc}): ${r.stderr.trim()}`, dest, src };
  const changed = kv.has('extracted') || kv.has('would_extract') || kv.has('attr');
  const fmt = kv.get('fmt') ?? format ?? 'tar';
  const res: ModuleResult = { changed, dest, src, handler: HANDLERS[fmt] ?? 'TarArchive', state: 'directory' };
  const final = kv.stat('final_st');
  if (final) Object.assign(res, statResultKeys(final));
  if (listFiles) res.files = kv.values('file');
  if (kv.has('extracted')) res.extract_results = { rc: 0, out: '', err: '', cmd: fmt === 'zip' ? 'unzip' : 'tar' };
  return res;
}

const unarchive: ModuleDef = {
  name: 'unarchive',
  aliases: ['ansible.builtin.unarchive'],
  checkMode: true,
  freeForm: false,
  argsSchema: objectSchema(
    {
      src: str,
      dest: str,
      remote_src: { ...boolish, default: false },
      copy: { ...boolish, default: true },
      creates: str,
      list_files: { ...boolish, default: false },
      extra_opts: { type: ['array', 'string'], items: { type: 'string' }, default: [] },
      exclude: { type: ['array', 'string'], items: { type: 'string' }, default: [] },
      include: { type: ['array', 'string'], items: { type: 'string' } },
      keep_newer: boolish,
      io_buffer_size: { type: ['integer', 'string'] },
      validate_certs: boolish,
      decrypt: boolish,
      ...fileCommonProps,
    },
    [['src'], ['dest']],
  ),
  run: (ctx) => guarded(() => run(ctx)),
};

export default unarchive;
