import type { ModuleContext, ModuleDef, ModuleResult } from './types.js';
import { putAttrsFromArgs } from './copy.js';
import { argStr, ArgError, guarded } from './lib/file-args.js';
import { boolish, fileCommonProps, objectSchema, str } from './lib/file-schema.js';
import { putFiles, putResult } from './lib/remote-put.js';

async function run(ctx: ModuleContext): Promise<ModuleResult> {
  const src = argStr(ctx.args, 'src');
  const dest = argStr(ctx.args, 'dest');
  if (!src || !dest) throw new ArgError(`missing required arguments: ${[!src && 'src', !dest && 'dest'].filter(Boolean).join(', ')}`);
  let path: string;
  try {
    path = ctx.findFile('templates', src);
  } catch {
    return { failed: true, changed: false, msg: `Could not find or access '${src}'` };
  }
  const attrs = putAttrsFromArgs(ctx.args);
  let text: string;
  try {
    text = await ctx.renderTemplateFile(path);
  } catch (e) {
    return { failed: true, changed: false, msg: `AnsibleError: template error while templating ${src}: ${(e as Error).message}` };
  }
  const nl = argStr(ctx.args, 'newline_sequence');
  if (nl && nl !== '\n') text = text.replace(/\r?\n/g, nl.replace(/\\r/g, '\r').replace(/\\n/g, '\n'));
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

const template: ModuleDef = {
  name: 'template',
  aliases: ['ansible.builtin.template'],
  checkMode: true,
  freeForm: false,
  argsSchema: objectSchema(
    {
      src: str,
      dest: str,
      backup: boolish,
      force: boolish,
      follow: boolish,
      validate: str,
      newline_sequence: str,
      trim_blocks: boolish,
      lstrip_blocks: boolish,
      block_start_string: str,
      block_end_string: str,
      variable_start_string: str,
      variable_end_string: str,
      comment_start_string: str,
      comment_end_string: str,
      output_encoding: str,
      ...fileCommonProps,
    },
    [['src'], ['dest']],
  ),
  run: (ctx) => guarded(() => run(ctx)),
};

export default template;
