import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleAvailable, ansiblePlaybook, REPO, tsrun } from '../support/runners.js';

const DIR = join(REPO, 'test/fixtures/recap');
const INV = join(DIR, 'hosts.ini');

interface JsonDoc {
  plays: { play: { name: string }; tasks: { task: { name: string }; hosts: Record<string, Record<string, unknown>> }[] }[];
  stats: Record<string, Record<string, number>>;
}

/** Reduces a json-callback document to what both tools must agree on. */
function summary(doc: JsonDoc) {
  // ansible's json callback lists a meta task (flush_handlers) once per host with no results;
  // tasks without results carry no information, so both sides drop them.
  const tasks = doc.plays.flatMap((p) =>
    p.tasks.filter((t) => Object.keys(t.hosts).length > 0).map((t) => ({
      play: p.play.name,
      task: t.task.name,
      hosts: Object.fromEntries(
        Object.entries(t.hosts)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([h, r]) => {
            const status = r.unreachable ? 'unreachable' : r.failed ? 'failed' : r.skipped ? 'skipped' : r.changed ? 'changed' : 'ok';
            const msg = r.action === 'debug' ? r.msg : undefined;
            return [h, msg === undefined ? status : `${status}: ${JSON.stringify(msg)}`];
          }),
      ),
    })),
  );
  return { tasks, stats: doc.stats };
}

function parseJson(text: string, who: string): JsonDoc {
  const start = text.indexOf('{');
  try {
    return JSON.parse(text.slice(start)) as JsonDoc;
  } catch {
    throw new Error(`${who} printed no JSON document:\n${text}`);
  }
}

const cases: [string, string[]][] = [
  ['basics.yml', []],
  ['blocks.yml', []],
  ['handlers.yml', []],
  ['failures.yml', []],
  ['vars.yml', []],
  ['vars.yml', ['-e', 'override=extra']],
  ['includes.yml', []],
  ['tags.yml', ['-t', 'a']],
  ['tags.yml', ['--skip-tags', 'b,blk']],
  ['tags.yml', ['-t', 'debugonly,blk']],
  ['basics.yml', ['-l', 'h3']],
  ['serial.yml', []],
  ['environment.yml', []],
];

describe.runIf(ansibleAvailable())('recap and results match ansible-playbook', () => {
  it.each(cases)('%s %j', async (playbook, extra) => {
    const args = ['-i', INV, join(DIR, playbook), ...extra];
    const [ours, theirs] = await Promise.all([tsrun([...args, '--json'], { cwd: DIR }), ansiblePlaybook(args, { cwd: DIR })]);
    const a = summary(parseJson(theirs.stdout, 'ansible-playbook'));
    const b = summary(parseJson(ours.stdout, `tsrun (stderr: ${ours.stderr})`));
    expect(b.stats).toEqual(a.stats);
    expect(b.tasks).toEqual(a.tasks);
    expect(ours.code).toBe(theirs.code);
  });
});
