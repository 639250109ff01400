import type { ModuleDef, ModuleResult } from './types.js';
import { shQuote } from './lib/shell.js';
import { ranResult } from './lib/cmd-module.js';

interface RawArgs {
  _raw_params?: string;
  executable?: string;
}

/** The script as the user wrote it; with `executable`, handed to that shell with `-c`. */
export function rawScript(a: RawArgs): string {
  const text = a._raw_params ?? '';
  return a.executable ? `exec ${shQuote(a.executable)} -c ${shQuote(text)}` : text;
}

const raw: ModuleDef = {
  name: 'raw',
  aliases: ['ansible.builtin.raw'],
  checkMode: false,
  checkModeSkipMsg: '',
  freeForm: true,
  argsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { _raw_params: { type: 'string' }, executable: { type: 'string' } },
  },
  async run(ctx): Promise<ModuleResult> {
    const a = ctx.args as RawArgs;
    if (!a._raw_params?.trim()) return { failed: true, changed: false, msg: 'no command given' };
    if (ctx.check) return { skipped: true, changed: false, msg: 'check mode not supported for raw' };
    const res = await ctx.exec(rawScript(a));
    return ranResult(res.rc, res.stdout, res.stderr);
  },
};

export default raw;
