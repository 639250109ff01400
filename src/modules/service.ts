import { defineModule, type ModuleResult } from './types.js';
import { runSystemd } from './lib/svc-systemd.js';

/** Ansible's generic service module; tsrun drives systemd only (other init systems fail clearly). */
const argsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string' },
    state: { enum: ['started', 'stopped', 'restarted', 'reloaded'] },
    enabled: { type: 'boolean' },
    sleep: { type: 'integer' },
    pattern: { type: 'string' },
    runlevel: { type: 'string' },
    arguments: { type: 'string' },
    args: { type: 'string' },
    use: { type: 'string', default: 'auto' },
  },
} as const;

const service = defineModule({
  name: 'service',
  aliases: ['ansible.builtin.service'],
  checkMode: true,
  argsSchema,
  async run(ctx): Promise<ModuleResult> {
    const a = ctx.args;
    if (a.use !== undefined && a.use !== 'auto' && a.use !== 'systemd')
      return { failed: true, changed: false, msg: `service: use=${a.use} is not supported; tsrun manages services through systemd only` };
    if (a.state === undefined && a.enabled === undefined)
      return { failed: true, changed: false, msg: 'one of the following is required: state, enabled' };
    return runSystemd(ctx, { name: a.name, state: a.state, enabled: a.enabled });
  },
});

export default service;
