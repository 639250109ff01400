/**
 * tsrun at scale on the lab, counted (never timed): 20 hosts complete with no failure while
 * two CPU hogs keep the control machine busy, and the union of 4 shards (`--shard K/N`, merged
 * with `tsrun merge`) gives the unsharded run's recap.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HostStats } from '../../src/output/stats.js';
import { REPO, tsrun, type RunOutput } from '../support/runners.js';
import { createLab, describeLab, type Lab } from './lab.js';

const PLAYBOOK = join(REPO, 'test/fixtures/scale/deploy.yml');
const HOSTS = 20;

function stats(out: RunOutput): Record<string, HostStats> {
  const at = out.stdout.indexOf('{');
  if (at < 0) throw new Error(`no JSON document (exit ${out.code}):\n${out.stdout}\n${out.stderr}`);
  return (JSON.parse(out.stdout.slice(at)) as { stats: Record<string, HostStats> }).stats;
}

describeLab('tsrun at scale', () => {
  let lab: Lab;
  let work: string;
  let inv: string;
  const hogs: ChildProcess[] = [];

  const reset = (): void => {
    for (const h of lab.hosts) rmSync(join(h.root, 'home/tsrun-lab/scale'), { recursive: true, force: true });
  };

  beforeAll(async () => {
    lab = await createLab({ name: 'scale', hosts: HOSTS });
    work = mkdtempSync(join(tmpdir(), 'tsrun-scale-'));
    inv = join(work, 'hosts.ini');
    writeFileSync(inv, lab.inventory());
  }, 120_000);

  afterAll(async () => {
    for (const h of hogs) h.kill('SIGKILL');
    await lab?.destroy();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('completes on 20 hosts with no failure while two CPU hogs run beside it', async () => {
    reset();
    for (let i = 0; i < 2; i++) hogs.push(spawn('sh', ['-c', 'exec yes > /dev/null'], { stdio: 'ignore' }));
    try {
      const out = await tsrun(['-i', inv, '-f', String(HOSTS), PLAYBOOK, '--json'], { timeoutMs: 600_000 });
      const s = stats(out);
      expect(out.stderr).not.toMatch(/did not start|timed out/);
      expect(Object.keys(s)).toHaveLength(HOSTS);
      for (const [host, st] of Object.entries(s)) expect({ host, unreachable: st.unreachable, failures: st.failures }).toEqual({ host, unreachable: 0, failures: 0 });
      expect(out.code).toBe(0);
    } finally {
      for (const h of hogs.splice(0)) h.kill('SIGKILL');
    }
  }, 600_000);

  it('4 shards, merged, give the recap and exit code of the unsharded run', async () => {
    reset();
    const whole = await tsrun(['-i', inv, '-f', String(HOSTS), PLAYBOOK, '--json'], { timeoutMs: 600_000 });
    expect(whole.code, whole.stderr).toBe(0);
    reset();
    // As a job engine runs them: all at once, each with its own output file.
    const shards = await Promise.all([1, 2, 3, 4].map((k) => tsrun(['-i', inv, '--shard', `${k}/4`, PLAYBOOK, '--json'], { timeoutMs: 600_000 })));
    const files = shards.map((out, i) => {
      expect(out.code, out.stderr).toBe(0);
      const f = join(work, `shard-${i + 1}.json`);
      writeFileSync(f, out.stdout);
      return f;
    });
    const sizes = shards.map((out) => Object.keys(stats(out)).length);
    expect(sizes).toEqual([5, 5, 5, 5]);
    const merged = await tsrun(['merge', '--json', ...files]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(stats(merged)).toEqual(stats(whole));
    const recap = await tsrun(['merge', ...files]);
    expect(recap.code).toBe(0);
    expect(recap.stdout).toContain('PLAY RECAP');
    expect(recap.stdout.match(/ : ok=/g)).toHaveLength(HOSTS);
    // Without one shard the merge refuses, rather than report a partial run as complete.
    const partial = await tsrun(['merge', ...files.slice(1)]);
    expect(partial.code).not.toBe(0);
    expect(partial.stderr).toContain('missing shard 1/4');
  }, 600_000);
});
