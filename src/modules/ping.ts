import type { ModuleDef, ModuleResult } from './types.js';

const ping: ModuleDef = {
  name: 'ping',
  aliases: ['ansible.builtin.ping'],
  checkMode: true,
  argsSchema: { type: 'object', additionalProperties: false, properties: { data: { type: 'string' } } },
  async run(ctx): Promise<ModuleResult> {
    const data = (ctx.args.data as string | undefined) ?? 'pong';
    if (data === 'crash') return { failed: true, changed: false, msg: 'boom' };
    const res = await ctx.exec(`printf pong`);
    if (res.rc !== 0 || res.stdout !== 'pong')
      return { failed: true, changed: false, rc: res.rc, msg: `ping: the target shell did not answer: ${res.stderr.trim()}` };
    return { changed: false, ping: data };
  },
};

export default ping;
