import type { ModuleDef, ModuleResult } from './types.js';
import { runSystemd, type SystemdArgs } from './lib/svc-systemd.js';

const systemd: ModuleDef = {
  name: 'systemd',
  aliases: ['ansible.builtin.systemd', 'systemd_service', 'ansible.builtin.systemd_service'],
  checkMode: true,
  argsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: { type: 'string' },
      unit: { type: 'string' },
      service: { type: 'string' },
      state: { enum: ['started', 'stopped', 'restarted', 'reloaded'] },
      enabled: { type: 'boolean' },
      masked: { type: 'boolean' },
      daemon_reload: { type: 'boolean' },
      'daemon-reload': { type: 'boolean' },
      daemon_reexec: { type: 'boolean' },
      'daemon-reexec': { type: 'boolean' },
      scope: { enum: ['system', 'user', 'global'] },
      no_block: { type: 'boolean' },
      force: { type: 'boolean' },
    },
  },
  async run(ctx): Promise<ModuleResult> {
    const raw = ctx.args as Record<string, unknown>;
    const a: SystemdArgs = {
      ...(raw as SystemdArgs),
      name: (raw.name ?? raw.unit ?? raw.service) as string | undefined,
      daemon_reload: (raw.daemon_reload ?? raw['daemon-reload']) as boolean | undefined,
      daemon_reexec: (raw.daemon_reexec ?? raw['daemon-reexec']) as boolean | undefined,
    };
    return runSystemd(ctx, a);
  },
};

export default systemd;
