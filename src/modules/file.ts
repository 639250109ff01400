import { defineModule, type FileDiff, type ModuleContext, type ModuleResult } from './types.js';
import { request } from '../connection/shell-protocol.js';
import type { Infer } from './schema-types.js';
import { ArgError, guarded } from './lib/file-args.js';
import { parseMode } from './lib/file-mode.js';
import { touchStamp } from './lib/file-time.js';
import { pyStrRepr } from '../util/python-repr.js';
import { dictDiff } from './lib/file-diff.js';
import { bool, fileCommonProps, objectSchema, str } from './lib/file-schema.js';
import { type RemoteStat, statRecord, statResultKeys } from './lib/remote-kv.js';
import { type FileState, fileStateScript } from './lib/remote-file-state.js';

const STATES = ['file', 'directory', 'touch', 'absent', 'link', 'hard'] as const;

/** Ansible's touch time arguments: `now`, `preserve` or a time in the given strftime format. */
function touchTime(v: string | undefined, format: string | undefined): string | undefined {
  if (v === undefined || v === 'now' || v === 'preserve') return v;
  const fmt = format ?? '%Y%m%d%H%M.%S';
  const stamp = touchStamp(v, fmt);
  if (stamp === undefined) throw new ArgError(`Error while obtaining timestamp for time ${v} using format ${fmt}: time data ${pyStrRepr(v)} does not match format ${pyStrRepr(fmt)}`);
  return stamp;
}

function stateOf(st: RemoteStat | undefined): string {
  if (!st) return 'absent';
  if (st.type === 'directory') return 'directory';
  if (st.type === 'link') return 'link';
  if (st.type === 'file' && st.nlink > 1) return 'hard';
  return 'file';
}

async function run(ctx: ModuleContext<FileArgs>): Promise<ModuleResult> {
  const a = ctx.args;
  const path = a.path ?? a.dest ?? a.name;
  if (!path) throw new ArgError('missing required arguments: path');
  const src = a.src;
  const recurse = a.recurse ?? false;
  const stateDefaulted = a.state === undefined;
  let state: FileState | undefined = a.state;
  if (!state) {
    // Ansible: default is the current state (resolved on the target), or 'file'. With src, tsrun
    // assumes 'link' where Ansible would use the current state or fail.
    state = src !== undefined ? 'link' : recurse ? 'directory' : 'file';
  }
  if (recurse && state !== 'directory') throw new ArgError(`recurse option requires state to be 'directory'`);
  if (src !== undefined && state !== 'link' && state !== 'hard') throw new ArgError("src option requires state to be 'link' or 'hard'");
  if ((state === 'link' || state === 'hard') && !src) throw new ArgError(`src is required for creating a ${state === 'hard' ? 'hard' : 'sym'}link`);
  const spec = {
    path,
    state,
    src,
    mode: parseMode(a.mode),
    owner: a.owner,
    group: a.group,
    recurse,
    force: a.force ?? false,
    follow: a.follow ?? true,
    modificationTime: touchTime(a.modification_time, a.modification_time_format),
    accessTime: touchTime(a.access_time, a.access_time_format),
    stateDefaulted,
  };
  const { res: r, reply: kv } = await request(ctx, fileStateScript(spec, ctx.check));
  const prev = kv.get('prev') ?? 'absent';
  if (kv.has('error')) {
    const msg = kv.get('error')!;
    return { failed: true, changed: false, msg, path };
  }
  if (!kv.has('done')) return { failed: true, changed: false, msg: `file: script failed (rc=${r.rc}): ${r.stderr.trim()}`, path };
  const did = kv.values('did');
  const attrs = kv.values('attr');
  const changed = did.length > 0 || attrs.length > 0;
  const final = statRecord(kv, 'final_st');
  const res: ModuleResult = { changed, path };
  if (state === 'absent') {
    res.state = ctx.check ? (did.length ? 'absent' : prev) : stateOf(final);
    if (ctx.check && did.length) res.state = 'absent';
  } else {
    res.state = final ? stateOf(final) : state === 'touch' ? 'file' : state === 'hard' ? 'hard' : state;
    if (state === 'directory' && prev === 'link' && !did.length) res.state = 'directory';
    if (final) Object.assign(res, statResultKeys(final));
  }
  if (state === 'link' || state === 'hard') res.src = src;
  if ((state === 'link' || state === 'hard' || state === 'touch') && !kv.has('error')) {
    // Ansible reports these states under `dest`, not `path`.
    delete res.path;
    res.dest = path;
  }
  if (ctx.diff && changed) {
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    if (did.length) {
      before.state = prev;
      after.state = state === 'touch' && prev !== 'absent' ? prev : state === 'touch' ? 'touch' : state;
    }
    const wanted: Record<string, unknown> = { mode: a.mode, owner: a.owner, group: a.group };
    for (const k of attrs) {
      // Ansible's diff shows mode strings and numeric uid/gid.
      const b = kv.get(`attr_before_${k}`);
      before[k] = k === 'mode' ? b : Number(b);
      after[k] = ctx.check ? String(wanted[k]) : k === 'mode' ? res.mode : k === 'owner' ? res.uid : res.gid;
    }
    const d: FileDiff = dictDiff(path, before, after);
    res.diff = d;
  }
  return res;
}

const argsSchema = objectSchema(
  {
    path: str,
    dest: str,
    name: str,
    state: { type: 'string', enum: STATES },
    src: str,
    recurse: { ...bool, default: false },
    force: { ...bool, default: false },
    follow: { ...bool, default: true },
    modification_time: str,
    modification_time_format: { ...str, default: '%Y%m%d%H%M.%S' },
    access_time: str,
    access_time_format: { ...str, default: '%Y%m%d%H%M.%S' },
    ...fileCommonProps,
  },
  { oneOf: [['path', 'dest', 'name']] },
);

type FileArgs = Infer<typeof argsSchema>;

const file = defineModule({
  name: 'file',
  oneRequest: true,
  aliases: ['ansible.builtin.file'],
  checkMode: true,
  freeForm: false,
  argsSchema,
  run: (ctx) => guarded(() => run(ctx)),
});

export default file;
