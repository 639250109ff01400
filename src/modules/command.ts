import { defineModule, type ModuleResult } from './types.js';
import { expandingWord } from './lib/cmd-expand.js';
import { commandLikeLaunch, commandLikeResult, commonArgProps, freeFormArgProps, freeFormText, runCommandLike, type CommandCommonArgs, type CommandLikeState, type FreeFormArgs } from './lib/cmd-module.js';
import { shlexSplit } from '../util/shlex.js';
import { joinShell, type ShellText } from '../connection/shell-text.js';

interface CommandArgs extends CommandCommonArgs, FreeFormArgs {
  argv?: (string | number | boolean)[];
  executable?: string;
}

/** The argv Ansible's command module would run, or a failure message. */
export function commandArgv(a: CommandArgs): string[] | { error: string } {
  if (a.argv !== undefined && (a._raw_params !== undefined || a.cmd !== undefined))
    return { error: 'only command or argv can be given, not both' };
  if (a.argv !== undefined) return a.argv.map(String);
  const text = freeFormText(a);
  if (text === undefined) return { error: 'no command given' };
  try {
    return shlexSplit(text);
  } catch (err) {
    return { error: `cannot parse the command: ${(err as Error).message}` };
  }
}

/**
 * The words of argv with no shell interpretation except Ansible's $VAR and ~ expansion; wrapScript
 * `exec`s them (WrapSpec.program), so the program is the file on PATH, as Ansible runs it.
 */
export function commandRunText(argv: string[]): ShellText {
  return joinShell(argv.map(expandingWord), ' ');
}

const argsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...freeFormArgProps,
    argv: { type: 'array', items: { type: ['string', 'number', 'boolean'] } },
    ...commonArgProps,
  },
} as const;

const executableWarning = (exe: string) => `As of Ansible 2.4, the parameter 'executable' is no longer supported with the 'command' module. Not using '${exe}'.`;

const command = defineModule({
  name: 'command',
  oneRequest: true,
  aliases: ['ansible.builtin.command'],
  checkMode: true,
  freeForm: true,
  argsSchema,
  asyncJob: {
    start(ctx) {
      const argv = commandArgv(ctx.args);
      if (!Array.isArray(argv)) return { result: { failed: true, changed: false, msg: argv.error, rc: 256 } };
      return { launch: commandLikeLaunch(ctx, ctx.args, argv, { run: commandRunText(argv), program: expandingWord(argv[0]) }) };
    },
    result: (state, out) => commandLikeResult(state as CommandLikeState, out),
  },
  async run(ctx): Promise<ModuleResult> {
    const a = ctx.args;
    const argv = commandArgv(a);
    if (!Array.isArray(argv)) return { failed: true, changed: false, msg: argv.error, rc: 256 };
    const run = commandRunText(argv);
    const result = await runCommandLike(ctx, a, argv, { run, program: expandingWord(argv[0]), clockOutside: true });
    // a module warning goes in the result (registered, and shown after it), as AnsibleModule.warn does
    if (a.executable !== undefined) result.warnings = [executableWarning(a.executable)];
    return result;
  },
});

export default command;
