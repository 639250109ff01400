import { defineModule, ModuleCrash, type ModuleResult } from './types.js';
import { sh } from '../connection/shell-text.js';

const ping = defineModule({
  name: 'ping',
  aliases: ['ansible.builtin.ping'],
  checkMode: true,
  argsSchema: { type: 'object', additionalProperties: false, properties: { data: { type: 'string', default: 'pong' } } } as const,
  async run(ctx): Promise<ModuleResult> {
    const data = ctx.args.data ?? 'pong';
    // ansible's ping raises an exception for data=crash (a test hook for module failures)
    if (data === 'crash') throw new ModuleCrash('Exception: boom\n');
    const res = await ctx.exec(sh`printf pong`);
    if (res.rc !== 0 || res.stdout !== 'pong')
      return { failed: true, changed: false, rc: res.rc, msg: `ping: the target shell did not answer: ${res.stderr.trim()}` };
    return { changed: false, ping: data };
  },
});

export default ping;
