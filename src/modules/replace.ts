import { defineModule, type ModuleContext, type ModuleResult } from './types.js';
import type { Infer } from './schema-types.js';
import { guarded } from './lib/file-args.js';
import { EDIT_PATH_ALIASES, editPath, editProps, editResult, editTarget } from './lib/file-edit.js';
import { applyReplace } from './lib/file-replace.js';
import { objectSchema, str, unsupported } from './lib/file-schema.js';
import { commitEdit, probeEdit } from './lib/remote-edit.js';

async function run(ctx: ModuleContext<ReplaceArgs>): Promise<ModuleResult> {
  const a = ctx.args;
  const path = editPath(a);
  const t = editTarget(a, path);
  const probe = await probeEdit(ctx, t);
  if ('failed' in probe) return probe;
  if (!probe.exists) return { failed: true, changed: false, rc: 257, msg: `Path ${path} does not exist !` };
  const edit = applyReplace(probe.text, { regexp: a.regexp, replace: a.replace ?? '', after: a.after, before: a.before });
  if (edit.noSection) return { changed: false, msg: edit.msg };
  const o = await commitEdit(ctx, t, probe, edit.content, edit.changed, path);
  if (o.failed) return o.failed;
  const res: ModuleResult = { ...editResult(edit.msg, o), rc: 0 };
  if (o.backupFile) res.backup_file = o.backupFile;
  if (o.diff) res.diff = o.diff;
  return res;
}

const argsSchema = objectSchema(
  {
    ...editProps,
    regexp: str,
    replace: { ...str, default: '' },
    after: str,
    before: str,
    others: unsupported(str, 'replace has no other options'),
    encoding: unsupported(str, 'files are read and written as UTF-8', ['utf-8', 'utf8', 'UTF-8']),
  },
  { required: ['regexp'], oneOf: [EDIT_PATH_ALIASES] },
);

type ReplaceArgs = Infer<typeof argsSchema>;

const replace = defineModule({
  name: 'replace',
  aliases: ['ansible.builtin.replace'],
  checkMode: true,
  freeForm: false,
  argsSchema,
  run: (ctx) => guarded(() => run(ctx)),
});

export default replace;
