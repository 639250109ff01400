import { defineModule, type ModuleResult } from './types.js';
import { rawShell, sh, type ShellText } from '../connection/shell-text.js';
import { ranResult } from './lib/cmd-module.js';

interface RawArgs {
  _raw_params?: string;
  executable?: string;
}

/** The script as the user wrote it; with `executable`, handed to that shell with `-c`. */
export function rawScript(a: RawArgs): ShellText {
  const text = a._raw_params ?? '';
  // raw's payload is shell code by definition: the one place it is taken as is.
  return a.executable ? sh`exec ${a.executable} -c ${text}` : rawShell(text);
}

const argsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { _raw_params: { type: 'string' }, executable: { type: 'string' } },
} as const;

const raw = defineModule({
  name: 'raw',
  aliases: ['ansible.builtin.raw'],
  checkMode: false,
  checkModeSkipMsg: '',
  freeForm: true,
  argsSchema,
  async run(ctx): Promise<ModuleResult> {
    const a = ctx.args;
    if (!a._raw_params?.trim()) return { failed: true, changed: false, msg: 'no command given' };
    if (ctx.check) return { skipped: true, changed: false, msg: 'check mode not supported for raw' };
    const res = await ctx.exec(rawScript(a));
    return ranResult(res.rc, res.stdout, res.stderr);
  },
});

export default raw;
