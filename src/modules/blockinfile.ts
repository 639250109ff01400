import { defineModule, type ModuleContext, type ModuleResult } from './types.js';
import type { Infer } from './schema-types.js';
import { ArgError, guarded } from './lib/file-args.js';
import { EDIT_PATH_ALIASES, editPath, editProps, editResult, editTarget } from './lib/file-edit.js';
import { applyBlock } from './lib/file-block.js';
import { bool, objectSchema, str } from './lib/file-schema.js';
import { commitEdit, probeEdit } from './lib/remote-edit.js';

async function run(ctx: ModuleContext<BlockinfileArgs>): Promise<ModuleResult> {
  const a = ctx.args;
  const path = editPath(a);
  const state = a.state ?? 'present';
  const { insertafter, insertbefore } = a;
  if (insertafter !== undefined && insertbefore !== undefined) throw new ArgError('parameters are mutually exclusive: insertbefore|insertafter');
  const create = a.create ?? false;
  const t = editTarget(a, path, create);
  const probe = await probeEdit(ctx, t);
  if ('failed' in probe) return probe;
  if (!probe.exists) {
    if (!create) return { failed: true, changed: false, rc: 257, msg: `Path ${path} does not exist !` };
    if (state === 'absent') return { changed: false, msg: '' };
  }
  const edit = applyBlock(probe.exists ? probe.text : undefined, {
    block: a.block ?? a.content ?? '',
    present: state === 'present',
    marker: a.marker ?? '# {mark} ANSIBLE MANAGED BLOCK',
    markerBegin: a.marker_begin ?? 'BEGIN',
    markerEnd: a.marker_end ?? 'END',
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

const argsSchema = objectSchema(
  {
    ...editProps,
    state: { type: 'string', enum: ['present', 'absent'], default: 'present' },
    marker: { ...str, default: '# {mark} ANSIBLE MANAGED BLOCK' },
    block: { ...str, default: '' },
    content: str,
    insertafter: { ...str, default: 'EOF' },
    insertbefore: str,
    create: { ...bool, default: false },
    marker_begin: { ...str, default: 'BEGIN' },
    marker_end: { ...str, default: 'END' },
  },
  { oneOf: [EDIT_PATH_ALIASES] },
);

type BlockinfileArgs = Infer<typeof argsSchema>;

const blockinfile = defineModule({
  name: 'blockinfile',
  aliases: ['ansible.builtin.blockinfile'],
  checkMode: true,
  freeForm: false,
  argsSchema,
  run: (ctx) => guarded(() => run(ctx)),
});

export default blockinfile;
