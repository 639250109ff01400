import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { moduleRegistry } from '../../src/modules/index.js';
import { baseArgs, prepareWork } from '../modules/hostile-corpus.js';
import { tsrun } from '../support/runners.js';
import { createLab, describeLab, type Lab } from './lab.js';

/**
 * Issue 9: `--check` on a playbook that uses every module changes nothing on the host. The
 * snapshot covers the host's private file trees (with sizes, modes and times), users and groups.
 */
// /tmp and the login's home are where temp files come and go (as with Ansible's remote tmp): their own mtime is left out.
const SNAPSHOT =
  'find /tmp /opt /srv /var/opt /home/tsrun-lab -printf "%p %y %s %m %u %g %T@\\n" 2>/dev/null | sort | sed -E "s#^(/tmp|/home/tsrun-lab) (d .*) [0-9.]+\\$#\\1 \\2#"; getent passwd; getent group';

describeLab('check mode changes nothing', () => {
  let lab: Lab;
  let work: string;

  beforeAll(async () => {
    lab = await createLab({ name: 'checkmode', hosts: 1 });
    work = prepareWork('tsrun-check-');
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  it('a playbook using every module, run with --check, leaves the host as it was', async () => {
    const host = lab.hosts[0].name;
    await lab.runAsRoot(host, 'mkdir -p /tmp/hc && printf "x\\n" > /tmp/hc/r && chown -R tsrun-lab /tmp/hc');
    const bases = baseArgs(work);
    const modules = [...new Set(moduleRegistry().values())];
    // Base tasks, plus what each module would change: a new user/group, files in new places, a command.
    const tasks = modules.map((m) => ({ name: m.name, [m.name]: bases[m.name], ignore_errors: true }));
    tasks.push(
      { name: 'command with a side effect', command: { cmd: 'touch /tmp/hc/command-ran' }, ignore_errors: true },
      { name: 'shell with a side effect', shell: { cmd: 'touch /tmp/hc/shell-ran' }, ignore_errors: true },
      { name: 'raw with a side effect', raw: { _raw_params: 'touch /tmp/hc/raw-ran' }, ignore_errors: true },
      { name: 'user', user: { name: 'tsrunchk' }, ignore_errors: true },
      { name: 'group', group: { name: 'tsrunchk' }, ignore_errors: true },
      { name: 'file absent', file: { path: '/tmp/hc/r', state: 'absent' }, ignore_errors: true },
      { name: 'lineinfile change', lineinfile: { path: '/tmp/hc/r', line: 'y' }, ignore_errors: true },
    );
    const pb = join(work, 'check.yml');
    writeFileSync(pb, JSON.stringify([{ hosts: 'all', gather_facts: true, become: true, tasks }]));
    const inv = join(work, 'hosts.ini');
    writeFileSync(inv, lab.inventory({ vars: { ansible_become_password: lab.becomePassword } }));
    const before = await lab.runAsRoot(host, SNAPSHOT);
    const out = await tsrun(['-i', inv, '--check', pb], { cwd: work });
    const after = await lab.runAsRoot(host, SNAPSHOT);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(after.stdout).toBe(before.stdout);
    expect(before.stdout).toContain('/tmp/hc/r f');
  }, 300_000);
});
