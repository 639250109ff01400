import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { request } from '../connection/shell-protocol.js';
import { dirname, posix } from 'node:path';
import { defineModule, type ModuleContext, type ModuleResult } from './types.js';
import type { Infer } from './schema-types.js';
import { guarded } from './lib/file-args.js';
import { bool, objectSchema, str } from './lib/file-schema.js';
import { md5, sha1 } from './lib/file-transfer.js';
import { prelude } from './lib/remote-prelude.js';
import { joinShell, sh, type ShellText } from '../connection/shell-text.js';

/** Control-side destination: `dest/<host>/<src>` unless flat (Ansible's layout). */
export function fetchDest(src: string, dest: string, host: string, flat: boolean): string {
  if (flat) return dest.endsWith('/') ? dest + posix.basename(src) : dest;
  return posix.normalize(`${dest}/${host}/${src}`);
}

export function fetchProbeScript(src: string): ShellText {
  return joinShell([
    prelude(false),
    sh`if [ -d ${src} ]; then echo "$TSRUN_N" state=directory`,
    sh`elif [ ! -e ${src} ]; then echo "$TSRUN_N" state=absent`,
    sh`elif [ ! -r ${src} ]; then echo "$TSRUN_N" state=unreadable`,
    sh`else echo "$TSRUN_N" state=file; printf '%s sha1=%s\\n' "$TSRUN_N" "$(tsrun_sha1 ${src})"; fi`,
  ]);
}

/** Writes next to the destination then renames, so a failed fetch never leaves half a file. */
function writeAtomic(path: string, data: Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${dirname(path)}/.${posix.basename(path)}.tsrun.${process.pid}.${Date.now()}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

async function run(ctx: ModuleContext<FetchArgs>): Promise<ModuleResult> {
  const a = ctx.args;
  const { src, dest: destArg } = a;
  const flat = a.flat ?? false;
  // fail_if_missing is Ansible's alias of fail_on_missing.
  const failOnMissing = a.fail_on_missing ?? a.fail_if_missing ?? true;
  const validate = a.validate_checksum ?? true;
  const dest = fetchDest(src, destArg, ctx.host, flat);
  const probe = (await request(ctx, fetchProbeScript(src))).reply;
  const state = probe.get('state');
  if (state === 'directory') return { failed: true, changed: false, msg: 'remote file is a directory, fetch cannot work on directories', file: src };
  if (state === 'absent' || state === 'unreadable') {
    const msg = `${state === 'absent' ? 'the remote file does not exist' : 'file is not readable'}, not transferring, ignored`;
    if (failOnMissing) return { failed: true, changed: false, msg };
    return { changed: false, msg, file: src };
  }
  if (state !== 'file') return { failed: true, changed: false, msg: `unable to stat remote file ${src}` };
  const remoteSum = probe.get('sha1')!;
  if (existsSync(dest)) {
    const local = readFileSync(dest);
    if (sha1(local) === remoteSum) return { changed: false, checksum: remoteSum, dest, file: src, md5sum: md5(local) };
  }
  if (ctx.check) return { changed: true, checksum: remoteSum, dest, file: src, remote_checksum: remoteSum };
  let data: Buffer;
  try {
    data = await ctx.conn.readFile(src, { become: ctx.become });
  } catch (e) {
    return { failed: true, changed: false, msg: `failed to read ${src}: ${(e as Error).message}`, file: src };
  }
  const got = sha1(data);
  if (validate && got !== remoteSum) {
    return { failed: true, changed: false, msg: 'checksum mismatch', file: src, dest, checksum: got, remote_checksum: remoteSum };
  }
  writeAtomic(dest, data);
  return { changed: true, checksum: got, dest, md5sum: md5(data), remote_checksum: remoteSum, remote_md5sum: null };
}

const argsSchema = objectSchema(
  { src: str, dest: str, flat: { ...bool, default: false }, fail_on_missing: { ...bool, default: true }, validate_checksum: { ...bool, default: true }, fail_if_missing: bool },
  { required: ['src', 'dest'] },
);
type FetchArgs = Infer<typeof argsSchema>;

const fetch = defineModule({
  name: 'fetch',
  aliases: ['ansible.builtin.fetch'],
  checkMode: false,
  checkModeSkipMsg: 'check mode not (yet) supported for this module',
  freeForm: false,
  argsSchema,
  run: (ctx) => guarded(() => run(ctx)),
});

export default fetch;
