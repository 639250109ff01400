import type { ModuleDef, ModuleResult } from './types.js';
import { commonArgProps, runCommandLike, type CommandCommonArgs } from './lib/cmd-module.js';
import { shQuote } from './lib/shell.js';

interface ShellArgs extends CommandCommonArgs {
  _raw_params?: string;
  cmd?: string;
  executable?: string;
}

/** `/bin/sh -c TEXT` (or the chosen executable), as Ansible's shell module runs it. */
export function shellRunText(text: string, executable = '/bin/sh'): string {
  return `${shQuote(executable)} -c ${shQuote(text)}`;
}

const shell: ModuleDef = {
  name: 'shell',
  aliases: ['ansible.builtin.shell'],
  freeForm: true,
  argsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { _raw_params: { type: 'string' }, cmd: { type: 'string' }, ...commonArgProps },
  },
  async run(ctx): Promise<ModuleResult> {
    const a = ctx.args as ShellArgs;
    const text = a._raw_params ?? a.cmd;
    if (text === undefined || text.trim() === '') return { failed: true, changed: false, rc: 256, msg: 'no command given' };
    return runCommandLike(ctx, a, text, { run: shellRunText(text, a.executable) });
  },
};

export default shell;
