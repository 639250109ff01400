/**
 * bootstrap's layout rules (roles/layout), run on the control side before any host is touched:
 * odd consul servers, one carrier, no port clash on a machine, ports in range, no empty or
 * CHANGE_ME secret; the original inventories' list-valued ports and old names mapped with a
 * deprecation warning naming file:line, or refused. ansible-playbook gives the same messages.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, ansibleAvailable, ansiblePlaybook, tsrun } from '../support/runners.js';

const FIXTURES = join(REPO, 'test/org/fixtures');
const layout = (inventory: string) => tsrun(['-i', inventory, 'bootstrap', '-t', 'layout'], { cwd: REPO });
/** The failure message of the layout check, one problem per line. */
const problems = (out: string): string[] => {
  const m = /"msg": "the inventory's layout is not valid; nothing was changed:\\n(.*?)\\n"/.exec(out);
  return m ? m[1].split('\\n').map((l) => l.replace(/^ {2}- /, '')) : [];
};

describe('bootstrap layout rules', () => {
  it('refuses a layout that cannot work, naming every problem and where it is set', async () => {
    const inv = join(FIXTURES, 'bad-layout-inventory.ini');
    const out = await layout(inv);
    expect(out.code, out.stdout + out.stderr).toBe(2);
    expect(problems(out.stdout)).toEqual([
      'consul: 2 hosts in [consul]; consul needs an odd number of servers (1, 3, 5) to keep a quorum',
      'carrier: 2 hosts in [carrier]; exactly one carrier is supported',
      `ports: consul_server_port (${inv}:7) is a list with no entry for c2 (host 2 of [consul])`,
      `ports: compute_port (${inv}:17) of d1 is 70000, not a port (1-65535)`,
      `secrets: ansible_become_pass (${inv}:26) is still CHANGE_ME for c1, c2, k1, k2, d1, a1; set the real value (prefer -e @secrets.yml)`,
      `secrets: admin_db_password (${inv}:27) is empty for c1, c2, k1, k2, d1, a1; set the real value (prefer -e @secrets.yml)`,
      `names: admin_web_port (${inv}:20) of the original inventory is no longer read; set admin_http_port (plain HTTP) or admin_https_port (with enable_tls=True)`,
      `names: mysql_root_password (${inv}:20) of the original inventory is no longer read; set nothing: the admin database is reached with admin_db_host, admin_db_user and admin_db_password; tsrun never uses a database root password`,
      'ports: port 10040 on 127.0.0.5 is used by d1:data_health_port and d1:data_port',
    ]);
    // Secrets are named, never shown; no host was contacted (the facts play never ran).
    expect(out.stdout).not.toContain('hunter2');
    expect(out.stdout).not.toContain('Gathering Facts');
  });

  it.runIf(ansibleAvailable())('gives the same messages as ansible-playbook', async () => {
    const inv = join(FIXTURES, 'bad-layout-inventory.ini');
    const ours = problems((await layout(inv)).stdout);
    const ref = await ansiblePlaybook(['-i', inv, join(REPO, 'playbooks/bootstrap.yml'), '-t', 'layout'], { cwd: REPO, json: false });
    expect(problems(ref.stdout)).toEqual(ours);
  }, 300_000);

  it('reads an original inventory: list-valued ports one per host, old names with a deprecation warning', async () => {
    const inv = join(FIXTURES, 'original-inventory.ini');
    const out = await layout(inv);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    const warnings = [...out.stdout.matchAll(/"msg": "DEPRECATED: ([^"]*)"/g)].map((m) => m[1]);
    expect(warnings).toEqual([
      `consul_server_port (${inv}:9) is a list, read as one port per host of [consul] in order (registry-1=8200, registry-2=8201, registry-3=8202); set consul_server_port on each host line instead`,
      `consul_serf_lan_port (${inv}:10) is the original name of consul_serf_port, read as such for 3 host(s); rename it to consul_serf_port`,
      `admin_ssl_protocols (${inv}:19) is the original name of admin_tls_protocols, read as such for 1 host(s); rename it to admin_tls_protocols`,
      `admin_ssl_ciphers (${inv}:20) is the original name of admin_tls_ciphers, read as such for 1 host(s); rename it to admin_tls_ciphers`,
      `ice_glacier2_port (${inv}:28) is the original name of ice_via_glacier2_port, read as such for 1 host(s); rename it to ice_via_glacier2_port`,
      `ice_grid_port (${inv}:29) is the original name of ice_via_registry_port, read as such for 1 host(s); rename it to ice_via_registry_port`,
      `amin_user (${inv}:21) is the original name of admin_db_user, read as such for 1 host(s); rename it to admin_db_user`,
      `admin_password (${inv}:22) is the original name of admin_db_password, read as such for 1 host(s); rename it to admin_db_password`,
    ]);
    // The ports the install then uses: each consul server its own entry of the list, never 0.
    const book = join(REPO, 'playbooks', `.ports-${process.pid}.yml`);
    writeFileSync(book, '- hosts: consul:admin\n  gather_facts: false\n  tasks:\n    - debug: { msg: "{{ metis_ports.consul.server if \'consul\' in group_names else metis_admin_db.user ~ \' \' ~ metis_admin_tls_protocols }}" }\n');
    try {
      const r = await tsrun(['-i', inv, book], { cwd: REPO });
      expect([...r.stdout.matchAll(/"msg": "?([^"\n]*)"?\n/g)].map((m) => m[1])).toEqual(['8200', '8201', '8202', 'metis_admin TLSv1.2']);
    } finally {
      rmSync(book, { force: true });
    }
  });

  it('accepts the shipped default inventory without a word', async () => {
    const out = await layout(join(REPO, 'inventory.ini'));
    expect(out.code, out.stdout).toBe(0);
    expect(out.stdout).not.toContain('DEPRECATED');
  });

  it('refuses the example inventory until its CHANGE_ME secrets are filled in', async () => {
    const inv = join(REPO, 'inventory.example.ini');
    const out = await layout(inv);
    expect(out.code).toBe(2);
    expect(problems(out.stdout).map((p) => p.replace(/ for .*/, ''))).toEqual([
      `secrets: ansible_ssh_pass (${inv}:6) is still CHANGE_ME`,
      `secrets: ansible_sudo_pass (${inv}:6) is still CHANGE_ME`,
      `secrets: admin_db_password (${inv}:75) is still CHANGE_ME`,
    ]);
  });
});
