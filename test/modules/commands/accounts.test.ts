/** user / group on a lab host (its own /etc and /home): never on this machine's accounts. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import user, { userScript } from '../../../src/modules/user.js';
import group from '../../../src/modules/group.js';
import type { ModuleContext } from '../../../src/modules/types.js';
import { createLab, describeLab, type Lab } from '../../lab/lab.js';
import { moduleHost, type ModuleHost } from '../../lab/module-host.js';
import { invoke } from '../../support/local-exec.js';

const U = 'tsuser';
const G1 = 'tsgroupa';
const G2 = 'tsgroupb';

describeLab('user and group on a lab host', () => {
  let lab: Lab;
  let host: ModuleHost;
  const ctxFor = (args: Record<string, unknown>, o?: Partial<ModuleContext>): ModuleContext => host.ctxFor(args, o);
  const sh = (cmd: string): Promise<string> => host.sh(cmd);
  const getent = (db: string, name: string): Promise<string> => sh(`getent ${db} ${name}`);
  beforeAll(async () => {
    lab = await createLab({ name: 'accounts', hosts: 1 });
    host = moduleHost(lab, 'host1');
  });
  afterAll(async () => {
    await host?.close();
    await lab?.destroy();
  });

  it('creates, keeps, changes gid and removes, changed only on change', async () => {
    const r1 = await invoke(group, ctxFor({ name: G1, gid: 47001 }));
    expect(r1).toMatchObject({ changed: true, name: G1, gid: 47001, state: 'present' });
    expect(await getent('group', G1)).toMatch(/:47001:/);
    expect((await invoke(group, ctxFor({ name: G1, gid: 47001 }))).changed).toBe(false);
    expect((await invoke(group, ctxFor({ name: G1 }))).changed).toBe(false);
    const check = await invoke(group, ctxFor({ name: G1, gid: 47002 }, { check: true }));
    expect(check.changed).toBe(true);
    expect(await getent('group', G1)).toMatch(/:47001:/);
    expect((await invoke(group, ctxFor({ name: G1, gid: 47002 }))).changed).toBe(true);
    expect(await getent('group', G1)).toMatch(/:47002:/);
    expect((await invoke(group, ctxFor({ name: G2, system: true }))).changed).toBe(true);
    expect(await invoke(group, ctxFor({ name: G2, state: 'absent' }))).toMatchObject({ changed: true, state: 'absent' });
    expect((await invoke(group, ctxFor({ name: G2, state: 'absent' }))).changed).toBe(false);
    expect(await getent('group', G2)).toBe('');
  });

  const hash = '$6$saltsalt$0Hk3ZQdM6cG5O2r0pQy4R7DqB0mXoOq5G8x0yJ3o1K8Q9wZ3c2J1mN7bV6fT5rE4dS3aA2qW1eR0tY9uI8oP7.';

  it('never puts the password hash on a command line', () => {
    const s = String(userScript({ name: U, password: hash, state: 'present' }, false));
    expect(s).not.toContain(hash);
    expect(s).toContain('IFS= read -r pw');
  });

  it('creates with attributes, then changes only what differs', async () => {
    await invoke(group, ctxFor({ name: G1 }));
    await invoke(group, ctxFor({ name: G2 }));
    const created = await invoke(user, ctxFor({ name: U, uid: 47101, shell: '/bin/sh', groups: [G1], comment: 'Test User', password: hash }));
    expect(created).toMatchObject({ changed: true, name: U, uid: 47101, shell: '/bin/sh', comment: 'Test User', home: `/home/${U}`, state: 'present' });
    expect(created.password).toBe('NOT_LOGGING_PASSWORD');
    expect(JSON.stringify(created)).not.toContain(hash);
    expect(await sh(`test -d /home/${U} && echo home`)).toBe('home');
    expect(await sh(`getent shadow ${U} | cut -d: -f2`)).toBe(hash);
    expect((await sh(`id -Gn ${U}`)).split(' ')).toContain(G1);

    const same = await invoke(user, ctxFor({ name: U, uid: 47101, shell: '/bin/sh', groups: [G1], comment: 'Test User', password: hash }));
    expect(same.changed).toBe(false);

    const appended = await invoke(user, ctxFor({ name: U, groups: G2, append: true }));
    expect(appended.changed).toBe(true);
    expect((await sh(`id -Gn ${U}`)).split(' ')).toEqual(expect.arrayContaining([G1, G2]));
    expect((await invoke(user, ctxFor({ name: U, groups: [G2, G1], append: false }))).changed).toBe(false);
    expect((await invoke(user, ctxFor({ name: U, groups: [G2] }))).changed).toBe(true);
    expect((await sh(`id -Gn ${U}`)).split(' ')).not.toContain(G1);

    const shellCheck = await invoke(user, ctxFor({ name: U, shell: '/bin/bash' }, { check: true }));
    expect(shellCheck.changed).toBe(true);
    expect(await getent('passwd', U)).toMatch(/:\/bin\/sh$/);
    expect((await invoke(user, ctxFor({ name: U, shell: '/bin/bash', group: G1 }))).changed).toBe(true);
    expect(await getent('passwd', U)).toMatch(/:\/bin\/bash$/);

    expect(await invoke(user, ctxFor({ name: U, groups: ['no-such-group-tsrun'] }))).toMatchObject({ failed: true, msg: 'Group no-such-group-tsrun does not exist' });
  });

  it('removes with its home, then reports no change', async () => {
    const r = await invoke(user, ctxFor({ name: U, state: 'absent', remove: true }));
    expect(r).toMatchObject({ changed: true, state: 'absent', remove: true });
    expect(await invoke(user, ctxFor({ name: U, state: 'absent' }))).toEqual({ changed: false, name: U, state: 'absent' });
    expect(await getent('passwd', U)).toBe('');
    expect(await sh(`test -e /home/${U} || echo gone`)).toBe('gone');
    expect((await invoke(user, ctxFor({ name: U, state: 'absent' }))).changed).toBe(false);
  });
});
