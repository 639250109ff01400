import { defineModule, type ModuleContext, type ModuleResult } from './types.js';
import type { Infer } from './schema-types.js';
import { ArgError, guarded } from './lib/file-args.js';
import { EDIT_PATH_ALIASES, editPath, editProps, editResult, editTarget } from './lib/file-edit.js';
import { lineAbsent, linePresent } from './lib/file-lines.js';
import { bool, objectSchema, str, unsupported } from './lib/file-schema.js';
import { commitEdit, probeEdit } from './lib/remote-edit.js';

/** Ansible's warning for an empty regexp or search_string (given with any state). */
function emptyPatternWarning(regexp: string | undefined, searchString: string | undefined): string | undefined {
  if (regexp !== '' && searchString !== '') return undefined;
  const what = regexp === '' ? 'regular expression' : 'search string';
  let msg = `The ${what} is an empty string, which will match every line in the file. This may have unintended consequences, such as replacing the last line in the file rather than appending.`;
  if (regexp === '') msg += " If this is desired, use '^' to match every line in the file and avoid this warning.";
  return msg;
}

async function run(ctx: ModuleContext<LineinfileArgs>): Promise<ModuleResult> {
  const result = await edit(ctx);
  const warning = emptyPatternWarning(ctx.args.regexp ?? ctx.args.regex, ctx.args.search_string);
  if (warning !== undefined) result.warnings = [warning, ...((result.warnings as string[] | undefined) ?? [])];
  return result;
}

async function edit(ctx: ModuleContext<LineinfileArgs>): Promise<ModuleResult> {
  const a = ctx.args;
  const path = editPath(a);
  const state = a.state ?? 'present';
  const regexp = a.regexp ?? a.regex;
  const searchString = a.search_string;
  const line = a.line ?? a.value;
  const { insertafter, insertbefore } = a;
  const backrefs = a.backrefs ?? false;
  const create = a.create ?? false;
  if (regexp !== undefined && searchString !== undefined) throw new ArgError('parameters are mutually exclusive: regexp|search_string');
  if (insertafter !== undefined && insertbefore !== undefined) throw new ArgError('parameters are mutually exclusive: insertbefore|insertafter');
  if (backrefs && searchString !== undefined) throw new ArgError('parameters are mutually exclusive: backrefs|search_string');
  if (state === 'present') {
    if (line === undefined) throw new ArgError('line is required with state=present');
    if (backrefs && regexp === undefined) throw new ArgError('regexp is required with backrefs=true');
  } else if (regexp === undefined && searchString === undefined && line === undefined) {
    throw new ArgError('one of line, search_string, or regexp is required with state=absent');
  }
  const t = editTarget(a, path, create);
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
  const spec = { regexp, searchString, line, insertafter, insertbefore, backrefs, firstmatch: a.firstmatch ?? false };
  const edit = linePresent(probe.exists ? probe.text : '', spec);
  const o = await commitEdit(ctx, t, probe, edit.content, edit.changed || !probe.exists);
  if (o.failed) return o.failed;
  const res: ModuleResult = { ...editResult(edit.msg, o), ...backupKey(o.backupFile) };
  if (o.diff) res.diff = [o.diff];
  return res;
}

const argsSchema = objectSchema(
  {
    ...editProps,
    regexp: str,
    regex: str,
    search_string: str,
    state: { type: 'string', enum: ['present', 'absent'], default: 'present' },
    line: str,
    value: str,
    backrefs: { ...bool, default: false },
    insertafter: { ...str, default: 'EOF' },
    insertbefore: str,
    create: { ...bool, default: false },
    firstmatch: { ...bool, default: false },
    others: unsupported(str, 'lineinfile has no other options'),
  },
  { oneOf: [EDIT_PATH_ALIASES] },
);

type LineinfileArgs = Infer<typeof argsSchema>;

const lineinfile = defineModule({
  name: 'lineinfile',
  aliases: ['ansible.builtin.lineinfile'],
  checkMode: true,
  freeForm: false,
  argsSchema,
  run: (ctx) => guarded(() => run(ctx)),
});

export default lineinfile;
