/** apt with local .deb files, on a lab host (its own /usr and dpkg database): never on this machine. */
import { execSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import apt from '../../../src/modules/apt.js';
import type { ModuleContext } from '../../../src/modules/types.js';
import { invoke, scratchDir } from '../../support/local-exec.js';
import { createLab, describeLab, type Lab } from '../../lab/lab.js';
import { moduleHost, type ModuleHost } from '../../lab/module-host.js';

const PKG = 'tsrun-test-pkg';
const work = scratchDir('tsrun-apt-');

function buildDeb(version: string): string {
  const root = join(work, `root-${version}`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  mkdirSync(join(root, 'usr/share', PKG), { recursive: true });
  writeFileSync(join(root, 'DEBIAN/control'), `Package: ${PKG}\nVersion: ${version}\nArchitecture: all\nMaintainer: tsrun <t@example.invalid>\nDescription: tsrun test package\n`);
  writeFileSync(join(root, 'usr/share', PKG, 'version'), `${version}\n`);
  const deb = join(work, `${PKG}_${version}_all.deb`);
  execSync(`dpkg-deb --build --root-owner-group ${root} ${deb}`, { stdio: 'ignore' });
  return deb;
}

describeLab('apt with local .deb files, on a lab host', () => {
  const v1 = buildDeb('1.0');
  const v2 = buildDeb('1.1');
  let lab: Lab;
  let host: ModuleHost;
  const ctxFor = (args: Record<string, unknown>, o?: Partial<ModuleContext>): ModuleContext => host.ctxFor(args, o);
  const installed = (): Promise<string> => host.sh(`dpkg-query -W -f='\${Status} \${Version}' ${PKG}`);
  beforeAll(async () => {
    lab = await createLab({ name: 'apt', hosts: 1 });
    host = moduleHost(lab, 'host1');
    // The target-side .deb sits in the host's own /tmp.
    copyFileSync(v2, join(lab.hosts[0].root, 'tmp', basename(v2)));
  });
  afterAll(async () => {
    await host?.close();
    await lab?.destroy();
  });
  const controlSide = (args: Record<string, unknown>, check = false) => ctxFor(args, { findFile: (_k, rel) => rel, check });
  const targetSide = (args: Record<string, unknown>) =>
    ctxFor(args, {
      findFile: () => {
        throw new Error('not on the control host');
      },
    });

  it('installs a control-side .deb once, then reports ok', async () => {
    const check = await invoke(apt, controlSide({ deb: v1 }, true));
    expect(check.changed).toBe(true);
    expect(await installed()).toBe('');
    const r = await invoke(apt, controlSide({ deb: v1 }));
    expect(r).toMatchObject({ changed: true, package: PKG, version: '1.0' });
    expect(await installed()).toBe('install ok installed 1.0');
    expect((await invoke(apt, controlSide({ deb: v1 }))).changed).toBe(false);
  });

  it('upgrades from a path on the target when the version differs', async () => {
    const r = await invoke(apt, targetSide({ deb: `/tmp/${basename(v2)}` }));
    expect(r.changed).toBe(true);
    expect(await installed()).toBe('install ok installed 1.1');
    expect((await invoke(apt, targetSide({ deb: `/tmp/${basename(v2)}` }))).changed).toBe(false);
    expect(await invoke(apt, targetSide({ deb: '/nonexistent/x.deb' }))).toMatchObject({ failed: true });
  });

  it('an older .deb than the installed one: refused as Ansible does, unless allow_downgrade (or force)', async () => {
    expect(await invoke(apt, controlSide({ deb: v1 }))).toMatchObject({ failed: true, msg: 'A later version is already installed' });
    expect(await installed()).toBe('install ok installed 1.1');
    expect(await invoke(apt, controlSide({ deb: v1, allow_downgrade: true, dpkg_options: 'force-confold' }))).toMatchObject({ changed: true, version: '1.0' });
    expect(await installed()).toBe('install ok installed 1.0');
    expect((await invoke(apt, targetSide({ deb: `/tmp/${basename(v2)}` }))).changed).toBe(true);
  });

  it('checks names with dpkg and fails clearly for what is not installed', async () => {
    expect(await invoke(apt, ctxFor({ name: [PKG, 'dpkg'] }))).toMatchObject({ changed: false });
    expect((await invoke(apt, ctxFor({ name: `${PKG}=1.1` }))).changed).toBe(false);
    const missing = await invoke(apt, ctxFor({ name: 'no-such-package-tsrun' }));
    expect(missing.failed).toBe(true);
    expect(missing.msg).toMatch(/no-such-package-tsrun is not installed; install from a local \.deb file with deb:/);
    expect((await invoke(apt, ctxFor({ name: PKG, state: 'latest' }))).failed).toBe(true);
  });

  it('removes with state=absent only when installed', async () => {
    expect((await invoke(apt, ctxFor({ name: PKG, state: 'absent' }, { check: true }))).changed).toBe(true);
    expect(await installed()).toBe('install ok installed 1.1');
    expect((await invoke(apt, ctxFor({ name: PKG, state: 'absent', purge: true }))).changed).toBe(true);
    expect(await installed()).toBe('');
    expect((await invoke(apt, ctxFor({ name: PKG, state: 'absent' }))).changed).toBe(false);
  });
});
