import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModuleDef } from '../../../src/modules/types.js';
import user from '../../../src/modules/user.js';
import group from '../../../src/modules/group.js';
import { ansibleAvailable, runAnsibleTasks } from './ansible-oracle.js';
import { ctxFor } from './local.js';

/** The same sequence of user/group tasks through Ansible and tsrun (different names), compared step by step. */
describe('user / group against ansible-core', () => {
  const enabled = ansibleAvailable();
  const tag = randomBytes(3).toString('hex');
  const steps = (u: string, g: string): Array<[string, Record<string, unknown>]> => [
    ['group', { name: g, gid: 47301 + (u.startsWith('tso') ? 0 : 1) }],
    ['group', { name: g }],
    ['user', { name: u, shell: '/bin/sh', groups: [g], comment: 'C' }],
    ['user', { name: u, shell: '/bin/sh', groups: [g], comment: 'C' }],
    ['user', { name: u, shell: '/bin/bash' }],
    ['user', { name: u, groups: [], append: false }],
    ['user', { name: u, state: 'absent', remove: true }],
    ['user', { name: u, state: 'absent' }],
    ['group', { name: g, state: 'absent' }],
    ['group', { name: g, state: 'absent' }],
  ];
  const theirs = steps(`tso${tag}`, `tsog${tag}`);
  const ours = steps(`tsq${tag}`, `tsqg${tag}`);
  let expected: Record<string, unknown>[] = [];
  beforeAll(() => {
    if (enabled) expected = runAnsibleTasks(theirs.map(([m, args]) => ({ [m]: args })));
  }, 120_000);
  afterAll(() => {
    execSync(`for u in tso${tag} tsq${tag}; do userdel -r $u 2>/dev/null; done; for g in tsog${tag} tsqg${tag} tso${tag} tsq${tag}; do groupdel $g 2>/dev/null; done; true`);
  });
  const mods: Record<string, ModuleDef> = { user, group };

  it.skipIf(!enabled)('reports the same changed flags and result keys at every step', async () => {
    for (let i = 0; i < ours.length; i++) {
      const [m, args] = ours[i];
      const r = await mods[m].run(ctxFor(args));
      const e = expected[i];
      expect.soft(r.changed, `step ${i} ${m} ${JSON.stringify(args)} changed`).toBe(e.changed);
      expect.soft(Boolean(r.failed), `step ${i} failed`).toBe(Boolean(e.failed));
      const keys = (o: Record<string, unknown>) =>
        Object.keys(o).filter((k) => !['action', 'invocation', '_ansible_no_log', 'stderr', 'stderr_lines', 'ansible_facts', 'status', 'password'].includes(k)).sort();
      expect.soft(keys(r), `step ${i} keys`).toEqual(keys(e));
      for (const k of ['shell', 'comment', 'state', 'system', 'remove', 'append', 'force', 'move_home']) if (k in e) expect.soft(r[k], `step ${i} ${k}`).toEqual(e[k]);
    }
  });
});
