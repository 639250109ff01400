import { defineModule, type ModuleContext, type ModuleResult } from './types.js';
import type { Infer } from './schema-types.js';
import { request } from '../connection/shell-protocol.js';
import { say } from '../connection/shell-text.js';
import { guarded } from './lib/file-args.js';
import { objectSchema, str } from './lib/file-schema.js';
import { prelude } from './lib/remote-prelude.js';
import { statRecord, statResultKeys } from './lib/remote-kv.js';
import { joinShell, rawShell, sh, type ShellText } from '../connection/shell-text.js';

/**
 * One round trip: mktemp makes the file (0600) or directory (0700) with Ansible's default
 * prefix, in `path` or the target's $TMPDIR (Python's tempfile.gettempdir), then stats it.
 */
export function tempfileScript(state: 'file' | 'directory', dir: string | undefined, prefix: string, suffix: string): ShellText {
  return joinShell([
    prelude(false),
    dir === undefined ? sh`d=\${TMPDIR:-/tmp}` : sh`d=${dir}`,
    sh`p=$(mktemp ${state === 'directory' ? ['-d'] : []} -p "$d" --suffix=${suffix} -- ${`${prefix}XXXXXXXX`} 2>&1) || { tsrun_err "$p"; exit 0; }`,
    say('path', rawShell('"$p"')),
    sh`tsrun_stat st "$p"`,
    say('done', '1'),
  ]);
}

async function run(ctx: ModuleContext<TempfileArgs>): Promise<ModuleResult> {
  const a = ctx.args;
  const state = a.state ?? 'file';
  const prefix = a.prefix ?? 'ansible.';
  const suffix = a.suffix ?? '';
  if (prefix.includes('/') || suffix.includes('/')) return { failed: true, changed: false, msg: 'prefix and suffix may not contain a path separator' };
  const { res: r, reply: kv } = await request(ctx, tempfileScript(state, a.path, prefix, suffix));
  if (kv.has('error')) return { failed: true, changed: false, msg: kv.get('error') };
  const st = statRecord(kv, 'st');
  if (!kv.has('done') || !st) return { failed: true, changed: false, msg: `tempfile failed (rc=${r.rc}): ${r.stderr.trim()}` };
  return { changed: true, path: kv.get('path'), state, ...statResultKeys(st) };
}

const argsSchema = objectSchema({ state: { type: 'string', enum: ['file', 'directory'], default: 'file' }, path: str, prefix: { ...str, default: 'ansible.' }, suffix: { ...str, default: '' } });
type TempfileArgs = Infer<typeof argsSchema>;

const tempfile = defineModule({
  name: 'tempfile',
  aliases: ['ansible.builtin.tempfile'],
  // Ansible's tempfile has no check mode (attributes: check_mode: none): it is skipped, never run.
  checkMode: false,
  freeForm: false,
  argsSchema,
  run: (ctx) => guarded(() => run(ctx)),
});

export default tempfile;
