/**
 * Manual and benchmark use:  npx tsx test/lab/cli.ts up NAME N   |   down NAME
 * `up` leaves the sshds running, writes NAME's inventory and prints its path.
 * `systemd-root` builds the cached Debian root of the systemd hosts (systemd-host.ts) once.
 * `vm-image` builds the cached image of the VM hosts (vm-host.ts) once, the root first if needed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLab, LAB_BASE, teardown } from './lab.js';
import { ensureSystemdRoot } from './systemd-host.js';
import { ensureVmImage } from './vm-host.js';

async function main(argv: string[]): Promise<number> {
  const [cmd, name, count] = argv;
  if (cmd === 'up' && name && count && /^\d+$/.test(count)) {
    const t0 = Date.now();
    const lab = await createLab({ name, hosts: Number(count) });
    const file = join(lab.dir, 'inventory.ini');
    writeFileSync(file, lab.inventory(), { mode: 0o600 });
    process.stderr.write(`lab ${name}: ${lab.hosts.length} hosts up in ${Date.now() - t0} ms (${lab.hosts[0].ip}..)\n`);
    process.stdout.write(file + '\n');
    return 0;
  }
  if (cmd === 'down' && name) {
    await teardown(name);
    process.stderr.write(`lab ${name}: removed from ${LAB_BASE}\n`);
    return 0;
  }
  if (cmd === 'systemd-root') {
    process.stdout.write((await ensureSystemdRoot()) + '\n');
    return 0;
  }
  if (cmd === 'vm-image') {
    const t0 = Date.now();
    process.stdout.write((await ensureVmImage()) + '\n');
    process.stderr.write(`VM image ready in ${Date.now() - t0} ms\n`);
    return 0;
  }
  process.stderr.write('usage: tsx test/lab/cli.ts up NAME N | down NAME | systemd-root | vm-image\n');
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
