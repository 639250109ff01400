import type { ModuleContext, ModuleDef, ModuleResult } from './types.js';
import { argBool, argChoice, argStr, argStrAlias, ArgError, guarded } from './lib/file-args.js';
import { EDIT_PATH_ALIASES, editPathArg, editPathProps, editResult, editTarget, validateArg } from './lib/file-edit.js';
import { applyBlock } from './lib/file-block.js';
import { boolish, fileCommonProps, objectSchema, str, strOrNum } from './lib/file-schema.js';
import { commitEdit, probeEdit } from './lib/remote-edit.js';

async function run(ctx: ModuleContext): Promise<ModuleResult> {
  const a = ctx.args;
  const path = editPathArg(a);
  const state = argChoice(a, 'state', ['present', 'absent'] as const, 'present');
  const insertafter = argStr(a, 'insertafter');
  const insertbefore = argStr(a, 'insertbefore');
  if (insertafter !== undefined && insertbefore !== undefined) throw new ArgError('parameters are mutually exclusive: insertbefore|insertafter');
  const validate = validateArg(a);
  const create = argBool(a, 'create', false);
  const t = editTarget(a, path, validate, create);
  const probe = await probeEdit(ctx, t);
  if ('failed' in probe) return probe;
  if (!probe.exists) {
    if (!create) return { failed: true, changed: false, rc: 257, msg: `Path ${path} does not exist !` };
    if (state === 'absent') return { changed: false, msg: '' };
  }
  const edit = applyBlock(probe.exists ? probe.text : undefined, {
    block: argStrAlias(a, ['block', 'content']) ?? '',
    present: state === 'present',
    marker: argStr(a, 'marker') ?? '# {mark} ANSIBLE MANAGED BLOCK',
    markerBegin: argStr(a, 'marker_begin') ?? 'BEGIN',
    markerEnd: argStr(a, 'marker_end') ?? 'END',
    insertafter,
    insertbefore,
  });
  const o = await commitEdit(ctx, t, probe, edit.content, edit.changed);
  if (o.failed) return o.failed;
  const res = editResult(edit.msg, o);
  if (o.backupFile) res.backup_file = o.backupFile;
  if (o.diff) res.diff = [o.diff];
  return res;
}

const blockinfile: ModuleDef = {
  name: 'blockinfile',
  aliases: ['ansible.builtin.blockinfile'],
  checkMode: true,
  freeForm: false,
  argsSchema: objectSchema(
    {
      ...editPathProps,
      state: { type: 'string', enum: ['present', 'absent'], default: 'present' },
      marker: { ...str, default: '# {mark} ANSIBLE MANAGED BLOCK' },
      block: { ...strOrNum, default: '' },
      content: strOrNum,
      insertafter: { ...str, default: 'EOF' },
      insertbefore: str,
      create: { ...boolish, default: false },
      backup: { ...boolish, default: false },
      marker_begin: { ...str, default: 'BEGIN' },
      marker_end: { ...str, default: 'END' },
      validate: str,
      ...fileCommonProps,
    },
    [EDIT_PATH_ALIASES],
  ),
  run: (ctx) => guarded(() => run(ctx)),
};

export default blockinfile;
