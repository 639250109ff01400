import { defineModule, type ModuleResult } from './types.js';
import { runSystemd, type SystemdArgs } from './lib/svc-systemd.js';

const argsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    unit: { type: 'string' },
    service: { type: 'string' },
    state: { enum: ['started', 'stopped', 'restarted', 'reloaded'] },
    enabled: { type: 'boolean' },
    masked: { type: 'boolean' },
    daemon_reload: { type: 'boolean', default: false },
    'daemon-reload': { type: 'boolean' },
    daemon_reexec: { type: 'boolean', default: false },
    'daemon-reexec': { type: 'boolean' },
    scope: { enum: ['system', 'user', 'global'], default: 'system' },
    no_block: { type: 'boolean', default: false },
    force: { type: 'boolean' },
  },
} as const;

const systemd = defineModule({
  name: 'systemd',
  aliases: ['ansible.builtin.systemd', 'systemd_service', 'ansible.builtin.systemd_service'],
  checkMode: true,
  argsSchema,
  async run(ctx): Promise<ModuleResult> {
    const { unit, service, 'daemon-reload': reload, 'daemon-reexec': reexec, ...rest } = ctx.args;
    const a: SystemdArgs = {
      ...rest,
      name: rest.name ?? unit ?? service,
      daemon_reload: rest.daemon_reload ?? reload,
      daemon_reexec: rest.daemon_reexec ?? reexec,
    };
    return runSystemd(ctx, a);
  },
});

export default systemd;
