import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleAvailable, ansiblePlaybook, REPO, tsrun } from '../support/runners.js';
import { parseJson, summary } from './json-summary.js';

const DIR = join(REPO, 'test/fixtures/recap');
const INV = join(DIR, 'hosts.ini');

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
