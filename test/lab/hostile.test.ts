import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { moduleRegistry } from '../../src/modules/index.js';
import { hostileCases, hostileTasks } from '../modules/hostile-corpus.js';
import { tsrun } from '../support/runners.js';
import { createLab, describeLab, type Lab } from './lab.js';

/**
 * Issue 9's hostile corpus on a real host: every string/number argument of every module gets
 * each hostile value (through a variable, so it is only seen after templating). Every value
 * must arrive literally or be refused; none may run, so the canary file never appears, on the
 * host or on the control machine.
 */
describeLab('hostile module arguments on a lab host', () => {
  let lab: Lab;
  let work: string;
  const canary = `/tmp/tsrun-hostile-canary-${process.pid}`;

  beforeAll(async () => {
    lab = await createLab({ name: 'hostile', hosts: 1 });
    work = mkdtempSync(join(tmpdir(), 'tsrun-hostile-'));
    writeFileSync(join(work, 'vars.yml'), 'a: 1\n');
    writeFileSync(join(work, 's.sh'), 'true\n');
    writeFileSync(join(work, 't.ejs'), 'x\n');
    mkdirSync(join(work, 'a'));
    writeFileSync(join(work, 'a', 'f'), 'x\n');
    execFileSync('tar', ['-czf', join(work, 'a.tgz'), '-C', join(work, 'a'), 'f']);
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  it('no value of the corpus is ever executed, on the host or the control machine', async () => {
    const modules = [...new Set(moduleRegistry().values())];
    const cases = hostileCases(modules, work, canary);
    const tasks = hostileTasks(cases);
    const pb = join(work, 'hostile.yml');
    // JSON is YAML: no quoting questions for the values themselves.
    writeFileSync(pb, JSON.stringify([{ hosts: 'all', gather_facts: false, tasks }]));
    const inv = join(work, 'hosts.ini');
    writeFileSync(inv, lab.inventory());
    const out = await tsrun(['-i', inv, '--json', pb], { cwd: work, timeoutMs: 840_000 });
    const hostCanary = join(lab.hosts[0].root, canary.replace(/^\/tmp\//, 'tmp/'));
    expect(existsSync(hostCanary), 'canary created on the host').toBe(false);
    expect(existsSync(canary), 'canary created on the control machine').toBe(false);
    expect(out.code, out.stderr.slice(0, 2000)).toBe(0);
    const doc = JSON.parse(out.stdout.slice(out.stdout.indexOf('{'))) as { plays: { tasks: { hosts: Record<string, Record<string, unknown>> }[] }[] };
    const results = doc.plays[0].tasks.slice(2).map((t) => Object.values(t.hosts)[0]);
    expect(results).toHaveLength(cases.length);
    // Refusals are task failures with a message, never a crash of tsrun or a shell syntax error.
    const shellErrors = results.filter((r) => /syntax error|unexpected|not found/.test(String(r.msg ?? '')) && /sh:|bash:/.test(String(r.msg ?? '')));
    expect(shellErrors.map((r) => String(r.msg).slice(0, 200))).toEqual([]);
  }, 900_000);
});
