import { defineModule, type ModuleResult } from './types.js';

const fail = defineModule({
  name: 'fail',
  aliases: ['ansible.builtin.fail'],
  checkMode: true,
  controlOnly: true,
  // Ansible's msg is `raw`: a list or dict is shown as data, as debug shows it.
  argsSchema: { type: 'object', additionalProperties: false, properties: { msg: { default: 'Failed as requested from task' } } } as const,
  async run(ctx): Promise<ModuleResult> {
    return { failed: true, changed: false, msg: ctx.args.msg ?? 'Failed as requested from task' };
  },
});

export default fail;
