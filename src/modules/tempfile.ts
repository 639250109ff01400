import type { ModuleContext, ModuleDef, ModuleResult } from './types.js';
import { request } from './lib/reply.js';
import { argChoice, argStr, guarded } from './lib/file-args.js';
import { objectSchema, str } from './lib/file-schema.js';
import { prelude } from './lib/remote-prelude.js';
import { statResultKeys } from './lib/remote-kv.js';
import { quote as shQuote, rawShell } from './lib/sh.js';

/**
 * One round trip: mktemp makes the file (0600) or directory (0700) with Ansible's default
 * prefix, in `path` or the target's $TMPDIR (Python's tempfile.gettempdir), then stats it.
 */
export function tempfileScript(state: 'file' | 'directory', dir: string | undefined, prefix: string, suffix: string): string {
  return [
    prelude(false),
    dir === undefined ? 'd=${TMPDIR:-/tmp}' : `d=${shQuote(dir)}`,
    `p=$(mktemp ${state === 'directory' ? '-d ' : ''}-p "$d" --suffix=${shQuote(suffix)} -- ${shQuote(`${prefix}XXXXXXXX`)} 2>&1) || { tsrun_err "$p"; exit 0; }`,
    `printf '%s path=%s\\n' "$TSRUN_N" "$p"`,
    'tsrun_stat st "$p"',
    'echo "$TSRUN_N" done=1',
  ].join('\n');
}

async function run(ctx: ModuleContext): Promise<ModuleResult> {
  const a = ctx.args;
  const state = argChoice(a, 'state', ['file', 'directory'] as const, 'file');
  const prefix = argStr(a, 'prefix') ?? 'ansible.';
  const suffix = argStr(a, 'suffix') ?? '';
  if (prefix.includes('/') || suffix.includes('/')) return { failed: true, changed: false, msg: 'prefix and suffix may not contain a path separator' };
  // every value in the script went through shQuote
  const { res: r, reply: kv } = await request(ctx, rawShell(tempfileScript(state, argStr(a, 'path'), prefix, suffix)));
  if (kv.has('error')) return { failed: true, changed: false, msg: kv.get('error') };
  const st = kv.stat('st');
  if (!kv.has('done') || !st) return { failed: true, changed: false, msg: `tempfile failed (rc=${r.rc}): ${r.stderr.trim()}` };
  return { changed: true, path: kv.get('path'), state, ...statResultKeys(st) };
}

const tempfile: ModuleDef = {
  name: 'tempfile',
  aliases: ['ansible.builtin.tempfile'],
  // Ansible's tempfile has no check mode (attributes: check_mode: none): it is skipped, never run.
  checkMode: false,
  freeForm: false,
  argsSchema: objectSchema({ state: { type: 'string', enum: ['file', 'directory'] }, path: str, prefix: str, suffix: str }),
  run: (ctx) => guarded(() => run(ctx)),
};

export default tempfile;
