import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleAvailable, ansiblePlaybook, REPO, tsrun } from '../support/runners.js';
import { parseJson, summary } from './json-summary.js';

/**
 * Issue 16: behaviours where Ansible's own integration targets found tsrun different. Each
 * playbook in test/fixtures/parity batches the cases of one cause; both tools run it and must
 * agree on every task's status and debug message, the recap and the exit code.
 * PARITY_ONLY=name.yml runs one playbook. The tools run side by side, so each gets its own
 * scratch directory as `parity_tmp`; playbooks print paths relative to it.
 */
const DIR = join(REPO, 'test/fixtures/parity');
const INV = join(DIR, 'hosts.ini');
const only = process.env.PARITY_ONLY;
const playbooks = readdirSync(DIR).filter((f) => f.endsWith('.yml') && (!only || f === only)).sort();

describe.runIf(ansibleAvailable())('issue 16 behaviours match ansible-playbook', () => {
  it.each(playbooks)('%s', async (playbook) => {
    // leading comment lines `# args: ...` add command-line options and `# env: K=V ...` environment
    // variables (ANSIBLE_* settings) for both tools
    const header = readFileSync(join(DIR, playbook), 'utf8').split('\n').filter((l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('#')));
    const directive = (name: string) => header.filter((l) => l.startsWith(`# ${name}:`)).flatMap((l) => l.slice(name.length + 3).trim().split(/\s+/));
    const extra = directive('args');
    const env = Object.fromEntries(directive('env').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    const args = ['-i', INV, join(DIR, playbook), ...extra];
    const tmp = (who: string) => ['-e', `parity_tmp=${mkdtempSync(join(tmpdir(), `tsrun-parity-${who}-`))}`];
    const [ours, theirs] = await Promise.all([tsrun([...args, ...tmp('tsrun'), '--json'], { cwd: DIR, env }), ansiblePlaybook([...args, ...tmp('ansible')], { cwd: DIR, env })]);
    const a = summary(parseJson(theirs.stdout, `ansible-playbook (stderr: ${theirs.stderr})`));
    const b = summary(parseJson(ours.stdout, `tsrun (stderr: ${ours.stderr})`));
    expect(b.tasks).toEqual(a.tasks);
    expect(b.stats).toEqual(a.stats);
    expect(ours.code).toBe(theirs.code);
  }, 300_000);
});
