import type { ModuleContext, ModuleDef, ModuleResult } from './types.js';
import { argBool, argStr, argStrAlias, ArgError, guarded } from './lib/file-args.js';
import { parseMode } from './lib/file-mode.js';
import { applyReplace } from './lib/file-replace.js';
import { boolish, fileCommonProps, objectSchema, str, strOrNum } from './lib/file-schema.js';
import { commitEdit, type EditTarget, probeEdit, withAttrMsg } from './lib/remote-edit.js';

async function run(ctx: ModuleContext): Promise<ModuleResult> {
  const a = ctx.args;
  const path = argStrAlias(a, ['path', 'dest', 'destfile', 'name']);
  if (!path) throw new ArgError('missing required arguments: path');
  const regexp = argStr(a, 'regexp');
  if (regexp === undefined) throw new ArgError('missing required arguments: regexp');
  const validate = argStr(a, 'validate');
  if (validate !== undefined && !validate.includes('%s')) throw new ArgError(`validate must contain %s: ${validate}`);
  const t: EditTarget = {
    path,
    mode: parseMode(a.mode),
    owner: argStr(a, 'owner'),
    group: argStr(a, 'group'),
    backup: argBool(a, 'backup', false),
    validate,
  };
  const probe = await probeEdit(ctx, t);
  if ('failed' in probe) return probe;
  if (!probe.exists) return { failed: true, changed: false, rc: 257, msg: `Path ${path} does not exist !` };
  const edit = applyReplace(probe.text, { regexp, replace: argStr(a, 'replace') ?? '', after: argStr(a, 'after'), before: argStr(a, 'before') });
  if (edit.noSection) return { changed: false, msg: edit.msg };
  const o = await commitEdit(ctx, t, probe, edit.content, edit.changed, path);
  if (o.failed) return o.failed;
  const res: ModuleResult = { changed: o.changed, msg: withAttrMsg(edit.msg, o.attrChanged), rc: 0 };
  if (o.backupFile) res.backup_file = o.backupFile;
  if (o.diff) res.diff = o.diff;
  return res;
}

const replace: ModuleDef = {
  name: 'replace',
  aliases: ['ansible.builtin.replace'],
  freeForm: false,
  argsSchema: objectSchema(
    {
      path: str,
      dest: str,
      destfile: str,
      name: str,
      regexp: strOrNum,
      replace: strOrNum,
      after: str,
      before: str,
      backup: boolish,
      validate: str,
      others: str,
      encoding: str,
      ...fileCommonProps,
    },
    [['path', 'dest', 'destfile', 'name'], ['regexp']],
  ),
  run: (ctx) => guarded(() => run(ctx)),
};

export default replace;
