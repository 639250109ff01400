/**
 * Module scripts tolerate another process doing the same at the same moment (issue 8): ten
 * inventory aliases of ONE machine create the same nested directory at once, round after
 * round, over SSH (aliases of one lab host) and with ansible_connection=local (as the default
 * inventory.ini does). Every alias must end ok in every round.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostStats } from '../../src/output/stats.js';
import { tsrun } from '../support/runners.js';
import { createLab, describeLab, type Lab } from './lab.js';

const ALIASES = Array.from({ length: 10 }, (_, i) => `alias${i + 1}`);
const ROUNDS = 20;

/** One play, one task per round: each task runs on every alias at once (-f 10). */
function playbook(root: string): string {
  const tasks = Array.from({ length: ROUNDS }, (_, r) => `    - name: round ${r + 1}\n      file:\n        path: ${root}/round${r + 1}/a/b/c/d\n        state: directory\n`);
  return `- hosts: all\n  gather_facts: false\n  tasks:\n${tasks.join('')}`;
}

async function runRace(work: string, inventory: string, root: string): Promise<void> {
  writeFileSync(join(work, 'hosts.ini'), inventory);
  writeFileSync(join(work, 'race.yml'), playbook(root));
  const out = await tsrun(['-i', join(work, 'hosts.ini'), join(work, 'race.yml'), '-f', '10', '--json'], { cwd: work });
  expect(out.code, out.stdout.slice(-4000) + out.stderr).toBe(0);
  const stats = (JSON.parse(out.stdout.slice(out.stdout.indexOf('{'))) as { stats: Record<string, HostStats> }).stats;
  for (const a of ALIASES) expect({ a, ok: stats[a].ok, failures: stats[a].failures }).toEqual({ a, ok: ROUNDS, failures: 0 });
  // Someone created each directory: per round, at least one alias reports the change.
  const changed = ALIASES.reduce((n, a) => n + stats[a].changed, 0);
  expect(changed).toBeGreaterThanOrEqual(ROUNDS);
}

describe('ten local aliases create the same directory at once', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'tsrun-race-local-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it(`stays ok for every alias in ${ROUNDS} rounds`, async () => {
    const root = join(work, 'made');
    await runRace(work, `[all]\n${ALIASES.join('\n')}\n\n[all:vars]\nansible_connection=local\nansible_host=127.0.0.1\n`, root);
    expect(statSync(join(root, `round${ROUNDS}`, 'a/b/c/d')).isDirectory()).toBe(true);
  }, 300_000);
});

describeLab('ten aliases of one lab host create the same directory at once', () => {
  let lab: Lab;
  let work: string;
  beforeAll(async () => {
    lab = await createLab({ name: 'race', hosts: 1 });
    work = mkdtempSync(join(tmpdir(), 'tsrun-race-lab-'));
  });
  afterAll(async () => {
    await lab?.destroy();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it(`stays ok for every alias in ${ROUNDS} rounds`, async () => {
    const host = lab.hosts[0];
    // The lab's inventory, with its one host listed under ten names (same address).
    const inv = lab.inventory().replace(`${host.name} ansible_host=${host.ip}`, ALIASES.map((a) => `${a} ansible_host=${host.ip}`).join('\n'));
    await runRace(work, inv, '/tmp/race');
    expect((await lab.runAsRoot(host.name, `test -d /tmp/race/round${ROUNDS}/a/b/c/d && echo made`)).stdout).toBe('made\n');
  }, 300_000);
});
