import { sourceBytes } from './lib/control-files.js';
import { defineModule, type ModuleResult } from './types.js';
import { parseWrapped, wrapScript } from './lib/cmd-run.js';
import { request } from '../connection/shell-protocol.js';
import { freeFormArgProps, freeFormText, ranResult } from './lib/cmd-module.js';
import { shlexSplit } from '../util/shlex.js';
import { joinShell, sh, type ShellText } from '../connection/shell-text.js';


/**
 * sh text that stores the script arriving on stdin in a private temp file, runs it with its
 * arguments (through `executable` when given, else by its shebang) and removes it.
 */
export function scriptRunText(args: string[], executable?: string): ShellText {
  const runner = executable ? sh`${executable} "$t"` : sh`"$t"`;
  return joinShell([
    sh`t=$(mktemp "\${TMPDIR:-/tmp}/tsrun-script.XXXXXXXX") || exit 1`,
    sh`cat > "$t" && chmod 700 "$t"`,
    sh`${runner} ${args} </dev/null`,
    sh`rc=$?; rm -f "$t"; (exit $rc)`,
  ]);
}

const argsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...freeFormArgProps,
    chdir: { type: 'string' },
    creates: { type: 'string' },
    removes: { type: 'string' },
    executable: { type: 'string' },
    // Ansible's script decrypts a vaulted script on the controller before sending it (decrypt: true).
    decrypt: { type: 'boolean', default: true },
  },
} as const;

const script = defineModule({
  name: 'script',
  aliases: ['ansible.builtin.script'],
  // check mode works with creates/removes (the test runs, the script does not); without them Ansible skips
  checkMode: true,
  freeForm: true,
  argsSchema,
  async run(ctx): Promise<ModuleResult> {
    const a = ctx.args;
    if (ctx.check && !a.creates && !a.removes) return { changed: false, skipped: true, msg: 'Check mode is not supported for this task.' };
    const text = freeFormText(a);
    if (text === undefined) return { failed: true, changed: false, msg: 'script: the path of a local script is required' };
    let words: string[];
    try {
      words = shlexSplit(text);
    } catch (err) {
      return { failed: true, changed: false, msg: `cannot parse the script arguments: ${(err as Error).message}` };
    }
    let path: string;
    let raw: Buffer;
    try {
      path = ctx.findFile('files', words[0]);
      raw = sourceBytes(path, false);
    } catch (err) {
      return { failed: true, changed: false, msg: `Could not find or access '${words[0]}': ${(err as Error).message}` };
    }
    // A vault error (no or wrong password) fails the task with the vault's own message.
    const body = a.decrypt === false ? raw : sourceBytes(path, true);
    const wrapped = wrapScript({ run: scriptRunText(words.slice(1), a.executable), chdir: a.chdir, creates: a.creates, removes: a.removes, dryRun: ctx.check, stdin: true });
    const { res, reply } = await request(ctx, wrapped, { stdin: body });
    const out = parseWrapped(res, reply);
    switch (out.kind) {
      case 'exists':
        return { changed: false, skipped: true, msg: `${a.creates} exists, matching creates option` };
      case 'missing':
        return { changed: false, skipped: true, msg: `${a.removes} does not exist, matching removes option` };
      case 'chdir':
        return { failed: true, changed: false, msg: `Unable to change directory before execution: '${a.chdir}'` };
      case 'wouldrun':
        return { changed: true };
      case 'notfound':
      case 'broken':
        return { failed: true, changed: true, msg: 'the script did not finish (connection lost or killed)' };
      case 'ran':
        return ranResult(out.rc, out.stdout, out.stderr);
    }
  },
});

export default script;
