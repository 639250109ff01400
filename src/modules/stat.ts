import { defineModule, type ModuleContext, type ModuleResult } from './types.js';
import { Reply, request } from '../connection/shell-protocol.js';
import type { Infer } from './schema-types.js';
import { ArgError, guarded } from './lib/file-args.js';
import { bool, objectSchema, str, unsupported } from './lib/file-schema.js';
import { modeString } from './lib/file-mode.js';
import { type RemoteStat, statRecord } from './lib/remote-kv.js';
import { CHECKSUM_TOOLS, statScript } from './lib/remote-stat.js';

const ALGORITHMS = Object.keys(CHECKSUM_TOOLS) as (keyof typeof CHECKSUM_TOOLS)[];

/** Ansible's `stat` dict from a parsed `stat -c` line. */
export function statDict(path: string, st: RemoteStat, kv: Reply): Record<string, unknown> {
  const m = parseInt(st.modeDigits, 8);
  const bit = (b: number) => (m & b) !== 0;
  const out: Record<string, unknown> = {
    exists: true,
    path,
    mode: modeString(st.modeDigits),
    isdir: st.type === 'directory',
    ischr: st.type === 'char',
    isblk: st.type === 'block',
    isreg: st.type === 'file',
    isfifo: st.type === 'fifo',
    islnk: st.type === 'link',
    issock: st.type === 'socket',
    uid: st.uid,
    gid: st.gid,
    size: st.size,
    inode: st.inode,
    dev: st.dev,
    nlink: st.nlink,
    atime: st.atime,
    mtime: st.mtime,
    ctime: st.ctime,
    wusr: bit(0o200),
    rusr: bit(0o400),
    xusr: bit(0o100),
    wgrp: bit(0o20),
    rgrp: bit(0o40),
    xgrp: bit(0o10),
    woth: bit(0o2),
    roth: bit(0o4),
    xoth: bit(0o1),
    isuid: bit(0o4000),
    isgid: bit(0o2000),
    blocks: st.blocks,
    block_size: st.blockSize,
    device_type: 0,
    readable: kv.has('readable'),
    writeable: kv.has('writeable'),
    executable: kv.has('executable'),
    pw_name: st.owner,
    gr_name: st.group,
  };
  if (kv.has('checksum')) out.checksum = kv.get('checksum');
  if (kv.has('mime')) {
    const m = /^([^;]+);\s*charset=(.+)$/.exec(kv.get('mime') ?? '');
    out.mimetype = m ? m[1].trim() : 'unknown';
    out.charset = m ? m[2].trim() : 'unknown';
  }
  if (st.type === 'link') {
    out.lnk_source = kv.get('lnk_source');
    out.lnk_target = kv.get('lnk_target');
  }
  return out;
}

async function run(ctx: ModuleContext<StatArgs>): Promise<ModuleResult> {
  const a = ctx.args;
  const path = a.path ?? a.dest ?? a.name;
  if (!path) throw new ArgError('missing required arguments: path');
  // checksum and checksum_algo are Ansible's aliases of checksum_algorithm; mime* of get_mime.
  const algo = a.checksum_algorithm ?? a.checksum ?? a.checksum_algo ?? 'sha1';
  const getChecksum = a.get_checksum ?? true;
  const mime = a.get_mime ?? a.mime ?? a.mime_type ?? a.mime_type_only ?? true;
  const { res: r, reply: kv } = await request(ctx, statScript(path, { follow: a.follow ?? false, checksum: getChecksum ? algo : undefined, mime }));
  if (!kv.has('done')) return { failed: true, changed: false, msg: `stat failed (rc=${r.rc}): ${r.stderr.trim()}` };
  const st = statRecord(kv, 'st');
  return { changed: false, stat: st ? statDict(path, st, kv) : { exists: false } };
}

const algorithm = { type: 'string', enum: ALGORITHMS } as const;
const argsSchema = objectSchema(
  {
    path: str,
    dest: str,
    name: str,
    follow: { ...bool, default: false },
    get_checksum: { ...bool, default: true },
    checksum_algorithm: { ...algorithm, default: 'sha1' },
    checksum: algorithm,
    checksum_algo: algorithm,
    get_md5: unsupported(bool, 'removed from Ansible; use checksum_algorithm=md5', [false]),
    get_mime: { ...bool, default: true },
    mime: bool,
    mime_type: bool,
    mime_type_only: bool,
    get_attributes: unsupported(bool, 'lsattr attributes are not read by tsrun', [false]),
    attr: unsupported(bool, 'lsattr attributes are not read by tsrun', [false]),
    attributes: unsupported(bool, 'lsattr attributes are not read by tsrun', [false]),
  },
  { oneOf: [['path', 'dest', 'name']] },
);

type StatArgs = Infer<typeof argsSchema>;

const stat = defineModule({
  name: 'stat',
  aliases: ['ansible.builtin.stat'],
  checkMode: true,
  freeForm: false,
  argsSchema,
  run: (ctx) => guarded(() => run(ctx)),
});

export default stat;
