import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { attachLab, createLab, describeLab, labName, labSupport, type Lab } from './lab.js';
import { itIf, programMissing } from '../support/needs.js';

const netnsList = (): string => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
const links = (): string => execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });

describeLab('the test lab', () => {
  const labs: Lab[] = [];
  afterAll(async () => {
    await Promise.allSettled(labs.map((l) => l.destroy()));
  });

  it('reports support', () => {
    expect(labSupport()).toEqual({ ok: true });
  });

  it('runs several labs side by side and replaces a stale lab of the same name', async () => {
    const a = await createLab({ name: 'lab-test-a', hosts: ['alpha', 'beta'] });
    labs.push(a);
    const b = await createLab({ name: 'lab-test-b', hosts: 1 });
    labs.push(b);
    expect(a.hosts.map((h) => h.name)).toEqual(['alpha', 'beta']);
    expect(b.hosts.map((h) => h.name)).toEqual(['host1']);
    const subnetOf = (ip: string): string => ip.split('.').slice(0, 3).join('.');
    expect(subnetOf(a.hosts[0].ip)).not.toBe(subnetOf(b.hosts[0].ip));
    expect(a.hosts[0].ip).toMatch(/^10\.231\.\d+\.\d+$/);
    for (const h of [...a.hosts, ...b.hosts]) {
      expect((await (h.name === 'host1' ? b : a).runAsRoot(h.name, 'hostname')).stdout).toBe(`${h.name}\n`);
    }
    // A crashed run leaves a lab behind; creating it again must clean up and succeed.
    const again = await createLab({ name: 'lab-test-a', hosts: 1 });
    labs.push(again);
    expect(netnsList()).not.toContain(`tsl.${labName('lab-test-a')}.alpha`);
    expect(netnsList()).toContain(`tsl.${labName('lab-test-a')}.host1`);
    expect((await again.runAsRoot('host1', 'hostname')).stdout).toBe('host1\n');
    // Another process (or the CLI) can attach to a running lab by name.
    const attached = await attachLab(labName('lab-test-a'));
    expect(attached.hosts).toEqual(again.hosts);
    expect((await attached.runAsRoot('host1', 'hostname')).stdout).toBe('host1\n');
    // The other lab is untouched.
    expect((await b.runAsRoot('host1', 'hostname')).stdout).toBe('host1\n');

    await b.destroy();
    expect(netnsList()).not.toContain('tsl.lab-test-b.');
    expect(links()).not.toMatch(new RegExp(`tlbr${b.hosts[0].ip.split('.')[2]}[:@]`));
    expect(existsSync(b.dir)).toBe(false);
  });

  it('gives each host its own /etc, /usr, dpkg database, /home and /root; the machine keeps its own', async () => {
    const lab = await createLab({ name: 'lab-test-fs', hosts: 2 });
    labs.push(lab);
    const [a, b] = lab.hosts.map((h) => h.name);
    const probe = `tsrunprobe${process.pid}`;
    const mark = `/usr/share/${probe}`;
    const r = await lab.runAsRoot(a, `useradd --create-home ${probe} && mkdir ${mark} && echo x > /root/${probe} && id -u ${probe} && ls -d /home/${probe}`);
    expect(r.rc, r.stderr).toBe(0);
    // The lab's login user and its sudo rule exist in every host...
    for (const h of [a, b]) expect((await lab.runAsRoot(h, `id -un ${lab.user} && test -f /etc/sudoers.d/tsrun-lab && echo rule`)).stdout).toBe(`${lab.user}\nrule\n`);
    // ...what one host adds exists in that host only, not in the other and not on the machine.
    expect((await lab.runAsRoot(b, `id -u ${probe} 2>/dev/null; ls -d ${mark} /home/${probe} /root/${probe} 2>/dev/null; true`)).stdout).toBe('');
    expect(spawnSync('getent', ['passwd', probe]).status).not.toBe(0);
    for (const p of [mark, `/home/${probe}`, `/root/${probe}`]) expect({ p, exists: existsSync(p) }).toEqual({ p, exists: false });
    expect(readFileSync('/etc/group', 'utf8')).not.toContain(probe);
  });

  it('rejects bad names', async () => {
    await expect(createLab({ name: 'bad name', hosts: 1 })).rejects.toThrow(/name must match/);
    await expect(createLab({ name: 'ok', hosts: ['a', 'a'] })).rejects.toThrow(/duplicate/);
  });

  itIf(
    programMissing('ansible', 'ansible'),
    'writes an inventory real Ansible can use, become included',
    async () => {
      const lab = labs.find((l) => l.name === labName('lab-test-a') && l.hosts.length === 1)!;
      const dir = mkdtempSync(join(tmpdir(), 'tsrun-labinv-'));
      const inv = join(dir, 'inventory.ini');
      writeFileSync(inv, lab.inventory({ groups: { web: ['host1'] }, vars: { extra_var: 'x' } }));
      const r = spawnSync('ansible', ['-i', inv, 'web', '-b', '-m', 'command', '-a', 'id -u'], {
        encoding: 'utf8',
        env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCAL_TEMP: dir, HOME: dir },
        // On the busy machine (issue 10 #9) this one ad-hoc command took over 60 s.
        timeout: 300_000,
      });
      expect(r.stdout).toMatch(/host1 \| CHANGED \| rc=0 >>\s*\n0/);
    },
  );
});
