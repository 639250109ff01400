import type { ModuleDef, ModuleResult } from './types.js';

const fail: ModuleDef = {
  name: 'fail',
  aliases: ['ansible.builtin.fail'],
  checkMode: true,
  controlOnly: true,
  argsSchema: { type: 'object', additionalProperties: false, properties: { msg: { default: 'Failed as requested from task' } } },
  async run(ctx): Promise<ModuleResult> {
    const msg = ctx.args.msg ?? 'Failed as requested from task';
    return { failed: true, changed: false, msg: msg as string };
  },
};

export default fail;
