import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { moduleRegistry } from '../../src/modules/index.js';
import { baseArgs, prepareWork } from '../modules/hostile-corpus.js';
import { tsrun } from '../support/runners.js';
import { createLab, describeLab, type Lab } from './lab.js';
import { addSystemdHosts, systemdHostSupport, type SystemdLab } from './systemd-host.js';

/**
 * Issue 9: `--check` on a playbook that uses every module changes nothing on the host. The
 * snapshot covers the host's private file trees (with sizes, modes and times), users and groups,
 * and on a host whose PID 1 is systemd, its services (active and enabled states).
 */
// /tmp and the login's home are where temp files come and go (as with Ansible's remote tmp): their own mtime is left out.
const SNAPSHOT =
  'find /tmp /opt /srv /var/opt /home/tsrun-lab -printf "%p %y %s %m %u %g %T@\\n" 2>/dev/null | sort | sed -E "s#^(/tmp|/home/tsrun-lab) (d .*) [0-9.]+\\$#\\1 \\2#"; getent passwd; getent group';

/** Services and their states; units a login starts (the user's manager, its session) come and go. */
const SERVICES =
  'systemctl list-units --type=service --all --no-legend --plain | grep -Ev "^(user@|user-runtime-dir@|session-)" | sort; systemctl list-unit-files --type=service --no-legend | sort';

const support = systemdHostSupport();
if (!support.ok) {
  if (process.env.CI === 'true') throw new Error(`systemd hosts cannot run: ${support.reason}`);
  console.warn(`skipping the systemd part of the check-mode test: ${support.reason}`);
}

describeLab('check mode changes nothing', () => {
  let lab: Lab;
  let sdLab: SystemdLab | undefined;
  let work: string;

  beforeAll(async () => {
    lab = await createLab({ name: 'checkmode', hosts: support.ok ? ['plain', 'sd'] : ['plain'] });
    if (support.ok) sdLab = await addSystemdHosts(lab, ['sd']);
    work = prepareWork('tsrun-check-');
  }, 300_000);

  afterAll(async () => {
    await (sdLab ?? lab)?.destroy();
  });

  /** The every-module playbook under --check on `host`; the snapshot before and after must be equal. */
  async function checkRun(l: Lab, host: string, snapshot: string, extra: Record<string, unknown>[]): Promise<void> {
    await l.runAsRoot(host, 'mkdir -p /tmp/hc && printf "x\\n" > /tmp/hc/r && chown -R tsrun-lab /tmp/hc');
    const bases = baseArgs(work);
    const modules = [...new Set(moduleRegistry().values())];
    // Base tasks, plus what each module would change: a new user/group, files in new places, a command.
    const tasks: Record<string, unknown>[] = modules.map((m) => ({ name: m.name, [m.name]: bases[m.name], ignore_errors: true }));
    tasks.push(
      { name: 'command with a side effect', command: { cmd: 'touch /tmp/hc/command-ran' }, ignore_errors: true },
      { name: 'shell with a side effect', shell: { cmd: 'touch /tmp/hc/shell-ran' }, ignore_errors: true },
      { name: 'raw with a side effect', raw: { _raw_params: 'touch /tmp/hc/raw-ran' }, ignore_errors: true },
      { name: 'user', user: { name: 'tsrunchk' }, ignore_errors: true },
      { name: 'group', group: { name: 'tsrunchk' }, ignore_errors: true },
      { name: 'file absent', file: { path: '/tmp/hc/r', state: 'absent' }, ignore_errors: true },
      { name: 'lineinfile change', lineinfile: { path: '/tmp/hc/r', line: 'y' }, ignore_errors: true },
      ...extra,
    );
    const pb = join(work, `check-${host}.yml`);
    writeFileSync(pb, JSON.stringify([{ hosts: host, gather_facts: true, become: true, tasks }]));
    const inv = join(work, `hosts-${host}.ini`);
    writeFileSync(inv, l.inventory({ vars: { ansible_become_password: l.becomePassword } }));
    const before = await l.runAsRoot(host, snapshot);
    const out = await tsrun(['-i', inv, '--check', pb], { cwd: work, timeoutMs: 240_000 });
    const after = await l.runAsRoot(host, snapshot);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(after.stdout).toBe(before.stdout);
    expect(before.stdout).toContain('/tmp/hc/r f');
  }

  it('a playbook using every module, run with --check, leaves the host as it was', async () => {
    await checkRun(lab, 'plain', SNAPSHOT, []);
  }, 300_000);

  it.runIf(support.ok)('on a systemd host, --check also leaves every service as it was', async () => {
    const l = sdLab!;
    const unit = '[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n';
    await l.runAsRoot('sd', `printf '${unit}' > /etc/systemd/system/chk-off.service && printf '${unit}' > /etc/systemd/system/chk-on.service && systemctl daemon-reload && systemctl enable --now chk-on`);
    const units = await l.runAsRoot('sd', 'systemctl is-active chk-on chk-off; systemctl is-enabled chk-on chk-off; true');
    expect(units.stdout.split('\n').slice(0, 4)).toEqual(['active', 'inactive', 'enabled', 'disabled']);
    await checkRun(l, 'sd', `${SNAPSHOT}; ${SERVICES}`, [
      { name: 'service would start and enable', service: { name: 'chk-off', state: 'started', enabled: true }, ignore_errors: true },
      { name: 'systemd would stop and disable', systemd: { name: 'chk-on', state: 'stopped', enabled: false }, ignore_errors: true },
      { name: 'systemd would restart, mask, reload', systemd: { name: 'chk-on', state: 'restarted', masked: true, daemon_reload: true }, ignore_errors: true },
    ]);
  }, 300_000);
});
