import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleAvailable, ansiblePlaybook, REPO, tsrun } from '../support/runners.js';

/** max_fail_percentage, --start-at-task, delegate_facts, listen, include_role options, meta: recap and results equal to Ansible's. */
const DIR = join(REPO, 'test/fixtures/control');

interface JsonDoc {
  plays: { play: { name: string }; tasks: { task: { name: string }; hosts: Record<string, Record<string, unknown>> }[] }[];
  stats: Record<string, Record<string, number>>;
}

/** `merge`: free/host_pinned report a task once per host that starts it; results are merged by task. */
function summary(text: string, who: string, merge = false) {
  let doc: JsonDoc;
  try {
    doc = JSON.parse(text.slice(text.indexOf('{'))) as JsonDoc;
  } catch {
    throw new Error(`${who} printed no JSON document:\n${text}`);
  }
  const tasks = doc.plays.flatMap((p) =>
    p.tasks
      .filter((t) => Object.keys(t.hosts).length > 0)
      .map((t) => [
        `${p.play.name} / ${t.task.name}`,
        Object.entries(t.hosts)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([h, r]) => `${h}=${r.failed ? 'failed' : r.skipped ? 'skipped' : r.changed ? 'changed' : 'ok'}${r.msg !== undefined && !r.failed ? `:${String(r.msg)}` : ''}`)
          .join(' '),
      ]),
  );
  if (!merge) return { tasks, stats: doc.stats };
  const merged = new Map<string, string[]>();
  for (const [key, hosts] of tasks) merged.set(key, [...(merged.get(key) ?? []), ...hosts.split(' ')].sort());
  return { tasks: Object.fromEntries(merged), stats: doc.stats };
}

const CASES: [string, string[]][] = [
  ['max-fail.yml', []],
  ['max-fail-serial.yml', []],
  ['start-at.yml', ['--start-at-task', 'second task']],
  ['start-at.yml', ['--start-at-task', 'lib : role*']],
  ['start-at.yml', ['--start-at-task', 'no such task']],
  ['features.yml', []],
  ['strategy.yml', []],
  ['order.yml', []],
];

describe.runIf(ansibleAvailable())('execution control like ansible-playbook', () => {
  it.each(CASES)('%s %j', async (file, args) => {
    const [a, t] = await Promise.all([ansiblePlaybook(['-i', 'hosts.ini', file, ...args], { cwd: DIR }), tsrun(['-i', 'hosts.ini', '--json', file, ...args], { cwd: DIR })]);
    expect(t.code, t.stderr).toBe(a.code);
    const merge = file === 'strategy.yml';
    expect(summary(t.stdout, 'tsrun', merge)).toEqual(summary(a.stdout, 'ansible-playbook', merge));
  }, 240_000);
});
