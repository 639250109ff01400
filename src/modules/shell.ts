import { defineModule, type ModuleResult } from './types.js';
import { commandLikeLaunch, commandLikeResult, commonArgProps, freeFormArgProps, freeFormText, runCommandLike, type CommandLikeState } from './lib/cmd-module.js';
import { sh, type ShellText } from '../connection/shell-text.js';


/** `/bin/sh -c TEXT` (or the chosen executable), as Ansible's shell module runs it. */
export function shellRunText(text: string, executable = '/bin/sh'): ShellText {
  return sh`${executable} -c ${text}`;
}

const argsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { ...freeFormArgProps, ...commonArgProps },
} as const;

const shell = defineModule({
  name: 'shell',
  oneRequest: true,
  aliases: ['ansible.builtin.shell'],
  checkMode: true,
  freeForm: true,
  argsSchema,
  asyncJob: {
    start(ctx) {
      const text = freeFormText(ctx.args);
      if (text === undefined) return { result: { failed: true, changed: false, rc: 256, msg: 'no command given' } };
      return { launch: commandLikeLaunch(ctx, ctx.args, text, { run: shellRunText(text, ctx.args.executable) }) };
    },
    result: (state, out) => commandLikeResult(state as CommandLikeState, out),
  },
  async run(ctx): Promise<ModuleResult> {
    const a = ctx.args;
    const text = freeFormText(a);
    if (text === undefined) return { failed: true, changed: false, rc: 256, msg: 'no command given' };
    return runCommandLike(ctx, a, text, { run: shellRunText(text, a.executable) });
  },
});

export default shell;
