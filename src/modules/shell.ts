import type { ModuleDef, ModuleResult } from './types.js';
import { commonArgProps, freeFormArgProps, freeFormText, runCommandLike, type CommandCommonArgs, type FreeFormArgs } from './lib/cmd-module.js';
import { shQuote } from './lib/shell.js';

interface ShellArgs extends CommandCommonArgs, FreeFormArgs {
  executable?: string;
}

/** `/bin/sh -c TEXT` (or the chosen executable), as Ansible's shell module runs it. */
export function shellRunText(text: string, executable = '/bin/sh'): string {
  return `${shQuote(executable)} -c ${shQuote(text)}`;
}

const shell: ModuleDef = {
  name: 'shell',
  aliases: ['ansible.builtin.shell'],
  checkMode: true,
  freeForm: true,
  argsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { ...freeFormArgProps, ...commonArgProps },
  },
  async run(ctx): Promise<ModuleResult> {
    const a = ctx.args as ShellArgs;
    const text = freeFormText(a);
    if (text === undefined) return { failed: true, changed: false, rc: 256, msg: 'no command given' };
    return runCommandLike(ctx, a, text, { run: shellRunText(text, a.executable) });
  },
};

export default shell;
