import { defineModule, type ModuleContext, type ModuleResult } from './types.js';
import { request } from '../connection/shell-protocol.js';
import type { Infer } from './schema-types.js';
import { ArgError, guarded } from './lib/file-args.js';
import { objectSchema, str } from './lib/file-schema.js';
import { pyRepr } from '../util/python-repr.js';
import { joinShell, sh, type ShellText } from '../connection/shell-text.js';

/**
 * One round trip: the bytes as base64, or the reason open(2) refused, which decides Ansible's
 * message (its module maps the errno of Python's open()): a directory it may read is EISDIR, one it
 * may not is EACCES; otherwise cat(1) names the errno (strerror in the C locale: dash's own message
 * says "No such file" for ENOTDIR too).
 */
export function slurpScript(path: string): ShellText {
  return joinShell([
    sh`if [ -d ${path} ]; then if [ -r ${path} ]; then echo "$TSRUN_N" error=directory; else echo "$TSRUN_N" error=unreadable; fi`,
    sh`elif [ -r ${path} ]; then printf '%s content=' "$TSRUN_N"; base64 < ${path} | tr -d '\\n' && echo && echo "$TSRUN_N" done=1`,
    sh`else case $(LC_ALL=C cat -- ${path} 2>&1 >/dev/null) in`,
    sh`*'Permission denied'*) echo "$TSRUN_N" error=unreadable;; *'Not a directory'*) echo "$TSRUN_N" error=notdir;;`,
    sh`*) echo "$TSRUN_N" error=missing;; esac; fi`,
  ]);
}

async function run(ctx: ModuleContext<SlurpArgs>): Promise<ModuleResult> {
  const src = ctx.args.src ?? ctx.args.path;
  if (!src) throw new ArgError('missing required arguments: src');
  const { res: r, reply: kv } = await request(ctx, slurpScript(src));
  const err = kv.get('error');
  if (err === 'missing') return { failed: true, changed: false, msg: `file not found: ${src}` };
  if (err === 'directory') return { failed: true, changed: false, msg: `source is a directory and must be a file: ${src}` };
  if (err === 'unreadable') return { failed: true, changed: false, msg: `file is not readable: ${src}` };
  if (err === 'notdir') return { failed: true, changed: false, msg: `unable to slurp file: [Errno 20] Not a directory: ${pyRepr(src)}` };
  if (!kv.has('done')) return { failed: true, changed: false, msg: `unable to slurp file (rc=${r.rc}): ${r.stderr.trim()}` };
  return { changed: false, content: kv.get('content') ?? '', encoding: 'base64', source: src };
}

const argsSchema = objectSchema({ src: str, path: str }, { oneOf: [['src', 'path']] });
type SlurpArgs = Infer<typeof argsSchema>;

const slurp = defineModule({
  name: 'slurp',
  aliases: ['ansible.builtin.slurp'],
  checkMode: true,
  freeForm: false,
  argsSchema,
  run: (ctx) => guarded(() => run(ctx)),
});

export default slurp;
