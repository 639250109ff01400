/** The same user/group steps through Ansible (lab host1) and tsrun (lab host2), compared step by step. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ModuleDef } from '../../../src/modules/types.js';
import user from '../../../src/modules/user.js';
import group from '../../../src/modules/group.js';
import { ansibleAvailable } from '../../support/runners.js';
import { createLab, describeLab, type Lab } from '../../lab/lab.js';
import { ansibleTasksOn, moduleHost, type ModuleHost } from '../../lab/module-host.js';
import { invoke } from '../../support/local-exec.js';

describeLab('user / group against ansible-core', () => {
  const enabled = ansibleAvailable();
  // Each host has its own /etc: both tools get the same names and ids.
  const steps: Array<[string, Record<string, unknown>]> = [
    ['group', { name: 'tsog', gid: 47301 }],
    ['group', { name: 'tsog' }],
    ['user', { name: 'tso', shell: '/bin/sh', groups: ['tsog'], comment: 'C' }],
    ['user', { name: 'tso', shell: '/bin/sh', groups: ['tsog'], comment: 'C' }],
    ['user', { name: 'tso', shell: '/bin/bash' }],
    ['user', { name: 'tso', groups: [], append: false }],
    ['user', { name: 'tso', state: 'absent', remove: true }],
    ['user', { name: 'tso', state: 'absent' }],
    ['group', { name: 'tsog', state: 'absent' }],
    ['group', { name: 'tsog', state: 'absent' }],
  ];
  let lab: Lab;
  let ours: ModuleHost;
  let expected: Record<string, unknown>[] = [];
  beforeAll(async () => {
    lab = await createLab({ name: 'accounts-oracle', hosts: 2 });
    ours = moduleHost(lab, 'host2');
    if (enabled) expected = await ansibleTasksOn(lab, 'host1', steps.map(([m, args]) => ({ [m]: args })));
  }, 180_000);
  afterAll(async () => {
    await ours?.close();
    await lab?.destroy();
  });
  const mods: Record<string, ModuleDef> = { user, group };

  it.skipIf(!enabled)('reports the same changed flags and result keys at every step', async () => {
    for (let i = 0; i < steps.length; i++) {
      const [m, args] = steps[i];
      const r = await invoke(mods[m], ours.ctxFor(args));
      const e = expected[i];
      expect.soft(r.changed, `step ${i} ${m} ${JSON.stringify(args)} changed`).toBe(e.changed);
      expect.soft(Boolean(r.failed), `step ${i} failed`).toBe(Boolean(e.failed));
      const keys = (o: Record<string, unknown>) =>
        Object.keys(o).filter((k) => !['action', 'invocation', '_ansible_no_log', 'stderr', 'stderr_lines', 'ansible_facts', 'status', 'password'].includes(k)).sort();
      expect.soft(keys(r), `step ${i} keys`).toEqual(keys(e));
      for (const k of ['shell', 'comment', 'state', 'system', 'remove', 'append', 'force', 'move_home', 'uid', 'gid', 'home', 'name']) if (k in e) expect.soft(r[k], `step ${i} ${k}`).toEqual(e[k]);
    }
  });
});
