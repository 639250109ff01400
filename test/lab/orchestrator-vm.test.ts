/**
 * Orchestrator host prep for real (issue 12, roles/orchestrator/tasks/host.yml and host-cleanup.yml):
 * `modprobe nbd` and `vm.nr_hugepages` change a kernel, which namespace hosts and systemd
 * containers share with this machine (and tests must not change this machine's kernel). So the
 * orchestrator host here is a VM with its own kernel (vm-host.ts), logged in to as the lab's
 * non-root sudo user; tsrun runs the real bootstrap and cleanup playbooks on it:
 * bootstrap loads nbd, sets the hugepages and adds the service user to the kvm group, all
 * persisted → a reboot keeps them → bootstrap again changes nothing → cleanup removes exactly what
 * bootstrap added → after a reboot the kernel is as before bootstrap.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { itIf } from '../support/needs.js';
import { REPO, tsrun, type RunOutput } from '../support/runners.js';
import { createLab, describeLab } from './lab.js';
import { addVmHosts, vmHostSupport, type VmLab } from './vm-host.js';

const support = vmHostSupport();
const missing = support.ok ? undefined : support.reason;
const VM = 'orchvm1';
const HUGEPAGES = 16;
const OTHERS = ['consul', 'carrier', 'admin', 'ice_via', 'data', 'compute'];
/** Three boots under emulation (TCG) on a busy 2-core machine take minutes each. */
const CASE_MS = 1_500_000;

interface Stats {
  ok: number;
  changed: number;
  failures: number;
  unreachable: number;
}

describeLab('orchestrator host prep on a VM with its own kernel', () => {
  let lab: VmLab;
  let work: string;
  let inv: string;
  let before: string;
  let vmHasKvm = false;

  const root = async (cmd: string): Promise<string> => {
    const r = await lab.runAsRoot(VM, cmd);
    expect(r.rc, `${cmd}\n${r.stderr}`).toBe(0);
    return r.stdout.trim();
  };
  /** What the host prep touches, as one text: kernel state, the persisted files, users and groups, /etc and /opt. */
  const state = (): Promise<string> =>
    root(
      `echo nbd=$([ -d /sys/module/nbd ] && echo loaded || echo absent) hugepages=$(cat /proc/sys/vm/nr_hugepages); ` +
        `cat /etc/modules-load.d/* /etc/sysctl.d/* 2>/dev/null; getent group kvm; cut -d: -f1 /etc/passwd; ` +
        `find /etc /opt -xdev -printf '%p %y %m %u %g\\n' | sort`,
    );
  const play = async (name: string, extra: string[] = []): Promise<RunOutput> => {
    const out = await tsrun(['-i', inv, name, ...extra], { cwd: REPO, timeoutMs: 900_000 });
    const why = out.stdout.split('\n').filter((l) => /UNREACHABLE|^fatal:|^failed:/.test(l)).slice(0, 20).join('\n');
    expect(out.code, `tsrun ${name} ${extra.join(' ')}\n${why}\n…\n${out.stdout.slice(-6000)}\n${out.stderr}`).toBe(0);
    return out;
  };
  const stats = (out: RunOutput): Stats => (JSON.parse(out.stdout.slice(out.stdout.indexOf('{'))) as { stats: Record<string, Stats> }).stats[VM];

  beforeAll(async () => {
    if (missing) return;
    const t0 = Date.now();
    lab = await addVmHosts(await createLab({ name: 'orchvm', hosts: [VM] }), [VM]);
    console.log(`VM ${VM}: ${lab.accel.toUpperCase()} (${lab.accelWhy}); up in ${Date.now() - t0} ms, boot ${lab.bootMs[VM]} ms`);
    // Under TCG the guest's CPU has VMX, so its kernel offers /dev/kvm: then bootstrap's kvm check runs too.
    vmHasKvm = (await lab.runAsRoot(VM, 'test -c /dev/kvm')).rc === 0;
    work = mkdtempSync(join(tmpdir(), 'tsrun-orchvm-'));
    inv = join(work, 'lab.ini');
    writeFileSync(
      inv,
      lab.inventory({
        groups: { orchestrator: [VM] },
        vars: {
          cluster_name: 'lab-orchvm',
          ...Object.fromEntries(OTHERS.map((s) => [`enable_deploy_${s}`, 'False'])),
          // The operator allows bootstrap to set up nbd and hugepages (off by default).
          orchestrator_setup_nbd: 'True',
          orchestrator_hugepages: String(HUGEPAGES),
          // A lab VM runs no NTP client.
          bootstrap_check_time_sync: 'False',
          ...(vmHasKvm ? {} : { bootstrap_check_kvm: 'False' }),
          control_state_dir: join(work, 'generated'),
        },
      }),
    );
    before = await state();
    // The image's kernel starts with neither: bootstrap has something to do.
    expect(before).toMatch(/^nbd=absent hugepages=0$/m);
  }, CASE_MS);

  afterAll(async () => {
    await lab?.destroy();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  itIf(missing, 'bootstrap loads nbd, sets vm.nr_hugepages and gives the service user the kvm group, persisted for boot', async () => {
    console.log(`/dev/kvm in the VM: ${vmHasKvm ? 'yes (the kvm check runs)' : 'no (bootstrap_check_kvm=False)'}`);
    const t0 = Date.now();
    const out = await play('bootstrap', ['--json']);
    console.log(`bootstrap: ${Date.now() - t0} ms`);
    expect(stats(out).changed).toBeGreaterThan(0);
    expect(await root('[ -d /sys/module/nbd ] && echo loaded')).toBe('loaded');
    expect(await root('cat /proc/sys/vm/nr_hugepages')).toBe(String(HUGEPAGES));
    expect(await root('cat /etc/modules-load.d/metis-nbd.conf')).toMatch(/^nbd$/m);
    // The file keeps the value before bootstrap, for cleanup to put back.
    expect(await root('cat /etc/sysctl.d/90-metis-hugepages.conf')).toMatch(new RegExp(`restores: 0\\n.*vm.nr_hugepages = ${HUGEPAGES}$`));
    expect((await root('id -nG metis')).split(' ')).toContain('kvm');
    if (vmHasKvm) expect(await root('su -s /bin/sh metis -c "test -r /dev/kvm -a -w /dev/kvm" && echo rw')).toBe('rw');
  }, CASE_MS);

  itIf(missing, 'a reboot keeps nbd, the hugepages and the kvm group; bootstrap again changes nothing', async () => {
    await lab.rebootHost(VM);
    console.log(`reboot: ${lab.bootMs[`${VM} reboot`]} ms`);
    // The kernel did it at boot, from the persisted files: systemd-modules-load and systemd-sysctl.
    expect(await root('[ -d /sys/module/nbd ] && echo loaded')).toBe('loaded');
    expect(await root('cat /proc/sys/vm/nr_hugepages')).toBe(String(HUGEPAGES));
    expect((await root('id -nG metis')).split(' ')).toContain('kvm');
    const t0 = Date.now();
    const again = stats(await play('bootstrap', ['--json']));
    console.log(`bootstrap again: ${Date.now() - t0} ms`);
    expect(again.changed, JSON.stringify(again)).toBe(0);
    expect(again.failures + again.unreachable).toBe(0);
  }, CASE_MS);

  itIf(missing, 'cleanup removes what bootstrap added; after a reboot the host is as before bootstrap', async () => {
    const t0 = Date.now();
    await play('cleanup', ['-e', 'confirm=yes']);
    console.log(`cleanup: ${Date.now() - t0} ms`);
    // The hugepages are back now; nbd stays loaded until the next boot (a module may be in use).
    expect(await root('cat /proc/sys/vm/nr_hugepages')).toBe('0');
    expect(await root('ls /etc/modules-load.d/metis-nbd.conf /etc/sysctl.d/90-metis-hugepages.conf 2>&1 || true')).not.toMatch(/^\/etc/m);
    await lab.rebootHost(VM);
    console.log(`reboot: ${lab.bootMs[`${VM} reboot`]} ms`);
    expect(await state()).toBe(before);
  }, CASE_MS);
});
