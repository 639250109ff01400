import type { ModuleContext, ModuleDef, ModuleResult } from './types.js';
import { argBool, argChoice, argStr, ArgError, guarded } from './lib/file-args.js';
import { EDIT_PATH_ALIASES, editPathArg, editPathProps, editResult, editTarget, validateArg } from './lib/file-edit.js';
import { lineAbsent, linePresent } from './lib/file-lines.js';
import { boolish, fileCommonProps, objectSchema, str, strOrNum } from './lib/file-schema.js';
import { commitEdit, probeEdit } from './lib/remote-edit.js';

async function run(ctx: ModuleContext): Promise<ModuleResult> {
  const a = ctx.args;
  const path = editPathArg(a);
  const state = argChoice(a, 'state', ['present', 'absent'] as const, 'present');
  const regexp = argStr(a, 'regexp') ?? argStr(a, 'regex');
  const searchString = argStr(a, 'search_string');
  const line = argStr(a, 'line') ?? argStr(a, 'value');
  const insertafter = argStr(a, 'insertafter');
  const insertbefore = argStr(a, 'insertbefore');
  const backrefs = argBool(a, 'backrefs', false);
  const create = argBool(a, 'create', false);
  if (regexp !== undefined && searchString !== undefined) throw new ArgError('parameters are mutually exclusive: regexp|search_string');
  if (insertafter !== undefined && insertbefore !== undefined) throw new ArgError('parameters are mutually exclusive: insertbefore|insertafter');
  if (backrefs && searchString !== undefined) throw new ArgError('parameters are mutually exclusive: backrefs|search_string');
  const validate = validateArg(a);
  if (state === 'present') {
    if (line === undefined) throw new ArgError('line is required with state=present');
    if (backrefs && regexp === undefined) throw new ArgError('regexp is required with backrefs=true');
    if (regexp === '') ctx.log(1, 'lineinfile: an empty regexp matches every line');
  } else if (regexp === undefined && searchString === undefined && line === undefined) {
    throw new ArgError('one of line, search_string, or regexp is required with state=absent');
  }
  const t = editTarget(a, path, validate, create);
  const probe = await probeEdit(ctx, t);
  if ('failed' in probe) return probe;
  const backupKey = (b?: string) => ({ backup: b ?? '' });
  if (state === 'absent') {
    if (!probe.exists) return { changed: false, msg: 'file not present' };
    const edit = lineAbsent(probe.text, { regexp, searchString, line });
    const o = await commitEdit(ctx, t, probe, edit.content, edit.changed);
    if (o.failed) return o.failed;
    const res: ModuleResult = { ...editResult(edit.msg, o), found: edit.found, ...backupKey(o.backupFile) };
    if (o.diff) res.diff = [o.diff];
    return res;
  }
  if (!probe.exists && !create) return { failed: true, changed: false, rc: 257, msg: `Destination ${path} does not exist !` };
  const spec = { regexp, searchString, line, insertafter, insertbefore, backrefs, firstmatch: argBool(a, 'firstmatch', false) };
  const edit = linePresent(probe.exists ? probe.text : '', spec);
  const o = await commitEdit(ctx, t, probe, edit.content, edit.changed || !probe.exists);
  if (o.failed) return o.failed;
  const res: ModuleResult = { ...editResult(edit.msg, o), ...backupKey(o.backupFile) };
  if (o.diff) res.diff = [o.diff];
  return res;
}

const lineinfile: ModuleDef = {
  name: 'lineinfile',
  aliases: ['ansible.builtin.lineinfile'],
  checkMode: true,
  freeForm: false,
  argsSchema: objectSchema(
    {
      ...editPathProps,
      regexp: strOrNum,
      regex: strOrNum,
      search_string: strOrNum,
      state: { type: 'string', enum: ['present', 'absent'], default: 'present' },
      line: strOrNum,
      value: strOrNum,
      backrefs: { ...boolish, default: false },
      insertafter: { ...str, default: 'EOF' },
      insertbefore: str,
      create: { ...boolish, default: false },
      backup: { ...boolish, default: false },
      firstmatch: { ...boolish, default: false },
      validate: str,
      others: str,
      ...fileCommonProps,
    },
    [EDIT_PATH_ALIASES],
  ),
  run: (ctx) => guarded(() => run(ctx)),
};

export default lineinfile;
