import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleAvailable, ansiblePlaybook, REPO, tsrun } from '../support/runners.js';

const DIR = join(REPO, 'test/fixtures/precedence');

interface JsonDoc {
  plays: { tasks: { task: { name: string }; hosts: Record<string, { msg?: unknown }> }[] }[];
}

/** task name -> host -> debug msg, for every task that printed one. */
function messages(stdout: string, who: string): Record<string, Record<string, unknown>> {
  let doc: JsonDoc;
  try {
    doc = JSON.parse(stdout.slice(stdout.indexOf('{'))) as JsonDoc;
  } catch {
    throw new Error(`${who} printed no JSON:\n${stdout}`);
  }
  const out: Record<string, Record<string, unknown>> = {};
  for (const t of doc.plays.flatMap((p) => p.tasks)) {
    for (const [h, r] of Object.entries(t.hosts)) if (r.msg !== undefined) (out[t.task.name] ??= {})[h] = r.msg;
  }
  return out;
}

// Every precedence level from role defaults to extra vars defines x_N for N >= its level; the
// debug task shows which level wins for each N. Level 7 (facts) is covered by the lab tests.
describe.runIf(ansibleAvailable())('variable precedence matches ansible-playbook', () => {
  it.each([[[]], [['-e', 'x_16=extra']], [['-e', '{"x_16": ["json", 1]}']]])('extra args %j', async (extra) => {
    const args = ['-i', join(DIR, 'inventory.ini'), join(DIR, 'site.yml'), ...extra];
    const [ours, theirs] = await Promise.all([tsrun([...args, '--json'], { cwd: DIR }), ansiblePlaybook(args, { cwd: DIR })]);
    expect(theirs.code).toBe(0);
    expect(messages(ours.stdout, `tsrun (${ours.stderr})`)).toEqual(messages(theirs.stdout, 'ansible-playbook'));
    expect(ours.code).toBe(0);
  });
});
