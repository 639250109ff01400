/** One lab host as the benchmark addresses it. */
export interface BenchHost {
  name: string;
  address: string;
  port: number;
}

export interface InventoryOptions {
  user: string;
  keyFile: string;
  knownHostsFile: string;
  appRoot: string;
  appPort: number;
}

/**
 * The shared INI inventory for tsrun and ansible-playbook: group `app`, connection variables per
 * host, host keys checked against the lab's known_hosts (the plain script checks them the same way).
 */
export function renderInventory(hosts: readonly BenchHost[], o: InventoryOptions): string {
  const lines = ['[app]'];
  for (const h of hosts) lines.push(`${h.name} ansible_host=${h.address} ansible_port=${h.port}`);
  lines.push(
    '',
    '[app:vars]',
    `ansible_user=${o.user}`,
    `ansible_ssh_private_key_file=${o.keyFile}`,
    `ansible_ssh_common_args='-o StrictHostKeyChecking=yes -o UserKnownHostsFile=${o.knownHostsFile}'`,
    'ansible_python_interpreter=/usr/bin/python3',
    `app_root=${o.appRoot}`,
    `app_port=${o.appPort}`,
    '',
  );
  return lines.join('\n');
}

/** The plain script's host list: `NAME ADDRESS PORT` per line. */
export function renderHostList(hosts: readonly BenchHost[]): string {
  return hosts.map((h) => `${h.name} ${h.address} ${h.port}\n`).join('');
}

/** A playbook of `count` trivial `command: true` tasks, for the per-task overhead. */
export function renderTrivialPlaybook(count: number): string {
  const tasks = Array.from({ length: count }, (_, i) => `    - name: trivial ${i + 1}\n      command: "true"\n`);
  return `- hosts: app\n  gather_facts: false\n  tasks:\n${tasks.join('')}`;
}
