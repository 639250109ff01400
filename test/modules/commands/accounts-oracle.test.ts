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
    // move_home: usermod -d NEW -m (the old home's content moves); without it only the entry changes.
    ['user', { name: 'tso', home: '/home/tso-moved', move_home: true }],
    ['user', { name: 'tso', home: '/home/tso-moved', move_home: true }],
    ['user', { name: 'tso', home: '/home/tso-entry' }],
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
      if (args.move_home) {
        // Where the home went: moved by both tools, the old one gone.
        const where = 'for d in /home/tso /home/tso-moved /home/tso-entry; do [ -d $d ] && echo $d; done';
        const theirs = enabled ? (await lab.runAsRoot('host1', where)).stdout : '';
        expect.soft((await lab.runAsRoot('host2', where)).stdout, `step ${i} homes`).toBe(theirs);
      }
    }
  });

  it('local: true looks up libuser\'s tool first; tsrun refuses where it is there, fails as Ansible does where it is not', async () => {
    const r = await invoke(user, ours.ctxFor({ name: 'tsolocal', local: true }));
    const has = (await lab.runAsRoot('host2', 'PATH=$PATH:/sbin:/usr/sbin command -v lgroupmod || true')).stdout.trim();
    if (has) expect(r).toMatchObject({ failed: true, msg: expect.stringContaining('local=true') });
    else expect(r).toMatchObject({ failed: true, msg: expect.stringMatching(/^Failed to find required executable "lgroupmod" in paths: .*\/usr\/sbin/) });
    // Removing an account that is not there needs no tool, in Ansible too.
    expect(await invoke(user, ours.ctxFor({ name: 'tsolocal', local: true, state: 'absent' }))).toMatchObject({ changed: false });
    const g = await invoke(group, ours.ctxFor({ name: 'tsolocal', local: true }));
    expect(g).toMatchObject({ failed: true, msg: has ? expect.stringContaining('local=true') : expect.stringMatching(/^Failed to find required executable "lgroupadd"/) });
    expect(await invoke(group, ours.ctxFor({ name: 'tsolocal', local: true }, { check: true }))).toMatchObject({ changed: true });
  });
});
