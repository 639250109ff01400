import { defineModule, type ModuleContext, type ModuleResult } from './types.js';
import { request } from '../connection/shell-protocol.js';
import type { Infer } from './schema-types.js';
import { ArgError, guarded } from './lib/file-args.js';
import { objectSchema, str } from './lib/file-schema.js';
import { joinShell, sh, type ShellText } from '../connection/shell-text.js';

/** One round trip: guards for Ansible's error messages, then the bytes as base64. */
export function slurpScript(path: string): ShellText {
  return joinShell([
    sh`if [ ! -e ${path} ]; then echo "$TSRUN_N" error=missing`,
    sh`elif [ -d ${path} ]; then echo "$TSRUN_N" error=directory`,
    sh`elif [ ! -r ${path} ]; then echo "$TSRUN_N" error=unreadable`,
    sh`else printf '%s content=' "$TSRUN_N"; base64 < ${path} | tr -d '\\n' && echo && echo "$TSRUN_N" done=1; fi`,
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
