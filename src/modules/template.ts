import { defineModule, type ModuleContext, type ModuleResult } from './types.js';
import type { Infer } from './schema-types.js';
import { putAttrsFromArgs } from './copy.js';
import { guarded } from './lib/file-args.js';
import { bool, fileCommonProps, objectSchema, str, unsupported } from './lib/file-schema.js';
import { putFiles, putResult } from './lib/file-transfer.js';
import { templateVars } from './lib/template-vars.js';
import { activeConfig } from '../config/index.js';
import type { Delimiters } from '../template/jinja-lexer.js';
import { pluginNotFound } from '../template/index.js';

const NEWLINES = ['\n', '\r', '\r\n'];
const DELIMITER_ARGS: [keyof TemplateArgs & `${string}_string`, keyof Delimiters][] = [
  ['block_start_string', 'blockStart'],
  ['block_end_string', 'blockEnd'],
  ['variable_start_string', 'varStart'],
  ['variable_end_string', 'varEnd'],
  ['comment_start_string', 'commentStart'],
  ['comment_end_string', 'commentEnd'],
];

function delimiterArgs(args: TemplateArgs): Partial<Delimiters> {
  const out: Partial<Delimiters> = {};
  for (const [arg, key] of DELIMITER_ARGS) {
    const v = args[arg];
    if (v) out[key] = v;
  }
  return out;
}

async function run(ctx: ModuleContext<TemplateArgs>): Promise<ModuleResult> {
  const { src, dest } = ctx.args;
  let path: string;
  try {
    path = ctx.findFile('templates', src);
  } catch {
    return { failed: true, changed: false, msg: `Could not find or access '${src}'` };
  }
  const attrs = putAttrsFromArgs(ctx.args);
  const nl = ctx.args.newline_sequence;
  if (nl !== undefined && !NEWLINES.includes(nl)) return { failed: true, changed: false, msg: `newline_sequence needs to be one of: ${NEWLINES.map((n) => JSON.stringify(n)).join(', ')}` };
  let text: string;
  try {
    text = await ctx.renderTemplateFile(path, {
      vars: templateVars(src, path, dest, activeConfig().get<string>('DEFAULT_MANAGED_STR')),
      trimBlocks: ctx.args.trim_blocks ?? true,
      lstripBlocks: ctx.args.lstrip_blocks ?? false,
      newlineSequence: nl,
      delimiters: delimiterArgs(ctx.args),
    });
  } catch (e) {
    // Ansible reports an unknown filter or test as its loader's TemplateSyntaxError
    const missing = pluginNotFound(e);
    if (missing) return { failed: true, changed: false, msg: `TemplateSyntaxError: ${missing.ansibleText} (${(e as Error).message})` };
    return { failed: true, changed: false, msg: `AnsibleError: template error while templating ${src}: ${(e as Error).message}` };
  }
  const body = Buffer.from(text);
  // Ansible keeps the template's own name (with .j2) when dest is a directory.
  const baseName = src.split('/').pop()!;
  let target = dest;
  let makeParents = false;
  if (dest.endsWith('/')) {
    target = dest + baseName;
    makeParents = true;
  }
  const [o] = await putFiles(ctx, [{ dest: target, baseName: dest.endsWith('/') ? undefined : baseName, content: body, label: path }], attrs, makeParents);
  return putResult(o!, body, { src });
}

const argsSchema = objectSchema(
  {
    src: str,
    dest: str,
    backup: { ...bool, default: false },
    force: { ...bool, default: true },
    follow: unsupported(bool, 'a symlink at dest is replaced, not followed', [false]),
    validate: str,
    newline_sequence: { ...str, default: '\n' },
    trim_blocks: { ...bool, default: true },
    lstrip_blocks: { ...bool, default: false },
    block_start_string: { ...str, default: '{%' },
    block_end_string: { ...str, default: '%}' },
    variable_start_string: { ...str, default: '{{' },
    variable_end_string: { ...str, default: '}}' },
    comment_start_string: { ...str, default: '{#' },
    comment_end_string: { ...str, default: '#}' },
    output_encoding: unsupported(str, 'templates are written as UTF-8', ['utf-8', 'utf8', 'UTF-8']),
    ...fileCommonProps,
  },
  { required: ['src', 'dest'] },
);

type TemplateArgs = Infer<typeof argsSchema>;

const template = defineModule({
  name: 'template',
  aliases: ['ansible.builtin.template'],
  checkMode: true,
  freeForm: false,
  argsSchema,
  run: (ctx) => guarded(() => run(ctx)),
});

export default template;
