import type { ModuleContext, ModuleDef, ModuleResult } from './types.js';
import { argStr, ArgError, guarded } from './lib/file-args.js';
import { EDIT_PATH_ALIASES, editPathArg, editPathProps, editResult, editTarget, validateArg } from './lib/file-edit.js';
import { applyReplace } from './lib/file-replace.js';
import { boolish, fileCommonProps, objectSchema, str, strOrNum } from './lib/file-schema.js';
import { commitEdit, probeEdit } from './lib/remote-edit.js';

async function run(ctx: ModuleContext): Promise<ModuleResult> {
  const a = ctx.args;
  const path = editPathArg(a);
  const regexp = argStr(a, 'regexp');
  if (regexp === undefined) throw new ArgError('missing required arguments: regexp');
  const t = editTarget(a, path, validateArg(a));
  const probe = await probeEdit(ctx, t);
  if ('failed' in probe) return probe;
  if (!probe.exists) return { failed: true, changed: false, rc: 257, msg: `Path ${path} does not exist !` };
  const edit = applyReplace(probe.text, { regexp, replace: argStr(a, 'replace') ?? '', after: argStr(a, 'after'), before: argStr(a, 'before') });
  if (edit.noSection) return { changed: false, msg: edit.msg };
  const o = await commitEdit(ctx, t, probe, edit.content, edit.changed, path);
  if (o.failed) return o.failed;
  const res: ModuleResult = { ...editResult(edit.msg, o), rc: 0 };
  if (o.backupFile) res.backup_file = o.backupFile;
  if (o.diff) res.diff = o.diff;
  return res;
}

const replace: ModuleDef = {
  name: 'replace',
  aliases: ['ansible.builtin.replace'],
  checkMode: true,
  freeForm: false,
  argsSchema: objectSchema(
    {
      ...editPathProps,
      regexp: strOrNum,
      replace: { ...strOrNum, default: '' },
      after: str,
      before: str,
      backup: { ...boolish, default: false },
      validate: str,
      others: str,
      encoding: str,
      ...fileCommonProps,
    },
    [EDIT_PATH_ALIASES, ['regexp']],
  ),
  run: (ctx) => guarded(() => run(ctx)),
};

export default replace;
