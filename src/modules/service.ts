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

/** Ansible's service action plugin, UNUSED_PARAMS['systemd'], in its order. */
const SYSVINIT_ONLY = ['pattern', 'runlevel', 'sleep', 'arguments', 'args'] as const;

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
    const result = await runSystemd(ctx, { name: a.name, state: a.state, enabled: a.enabled });
    // Ansible's service action hands a systemd host to the systemd module and drops these
    // arguments with a warning each (runlevel is OpenRC's, sleep/pattern/arguments sysvinit's).
    const dropped = SYSVINIT_ONLY.filter((k) => a[k] !== undefined).map((k) => `Ignoring "${k}" as it is not used in "systemd"`);
    if (dropped.length) result.warnings = [...dropped, ...((result.warnings as string[] | undefined) ?? [])];
    return result;
  },
});

export default service;
