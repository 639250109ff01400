import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleAvailable, ansibleEnv, ansiblePlaybook, REPO, tsrun } from '../support/runners.js';
import { parseJson, summary } from './json-summary.js';
import { normaliseHuman } from './output-normalise.js';

/**
 * Looped include_role / include_tasks whose items cannot all be loaded: one error per role or
 * task file that is missing, the "included:" lines between them, what did load run or not, the
 * recap and the exit status, as ansible-playbook 2.14 prints them (default callback and json).
 */
const DIR = join(REPO, 'test/fixtures/output');
const INV = join(DIR, 'hosts.ini');
const PLAYBOOKS = ['include-fail-loop.yml', 'include-fail-rescued.yml', 'include-fail-name.yml'];

/**
 * What tsrun says on purpose in its own words (docs/DIFFERENCES.md): a missing task file's
 * result names the paths searched and the task's file:line (shown as an excerpt), and a missing
 * role's error points at the task. The lines that say which host failed where stay compared.
 */
function stdoutShape(text: string): string[] {
  return normaliseHuman(text)
    .map((l) => l.replace(/^(fatal: \[[^\]]+\]: FAILED!) => .*/, '$1'))
    .filter((l) => !/^ *\d* \| /.test(l));
}

/** Each printed error: its message line and, where one follows, the position line. */
function errors(stderr: string): { message: string; where?: string }[] {
  const out: { message: string; where?: string }[] = [];
  for (const line of stderr.split('\n')) {
    if (line.startsWith('ERROR! ')) out.push({ message: line });
    else if (line.startsWith('The error appears to be in ') && out.length) out[out.length - 1].where = line;
  }
  return out;
}

/**
 * Ansible names a position where the role's name is YAML text (the `name:` value, a literal loop
 * item); for a name a template computed it prints none, and tsrun names the task instead.
 */
function sameErrors(ours: string, theirs: string): void {
  const a = errors(theirs);
  const b = errors(ours);
  expect(a.length).toBeGreaterThan(0);
  expect(b.map((e) => e.message)).toEqual(a.map((e) => e.message));
  a.forEach((e, i) => {
    if (e.where) expect(b[i].where).toBe(e.where);
    else expect(b[i].where).toMatch(/^The error appears to be in /);
  });
}

describe.runIf(ansibleAvailable())('looped includes with items that cannot be loaded match ansible-playbook', () => {
  it.each(PLAYBOOKS)('%s', async (playbook) => {
    const args = ['-i', INV, join(DIR, playbook)];
    // the roles path in the error names HOME's .ansible/roles: both tools get the same HOME
    const env = { HOME: ansibleEnv().HOME, NO_COLOR: '1' };
    const [theirs, theirsJson, ours, oursJson] = await Promise.all([
      ansiblePlaybook(args, { cwd: DIR, json: false }),
      ansiblePlaybook(args, { cwd: DIR }),
      tsrun(args, { cwd: DIR, env }),
      tsrun([...args, '--json'], { cwd: DIR, env }),
    ]);
    sameErrors(ours.stderr, theirs.stderr);
    expect(stdoutShape(ours.stdout), ours.stderr).toEqual(stdoutShape(theirs.stdout));
    expect(ours.code).toBe(theirs.code);
    expect(summary(parseJson(oursJson.stdout, `tsrun (stderr: ${oursJson.stderr})`))).toEqual(summary(parseJson(theirsJson.stdout, `ansible-playbook (stderr: ${theirsJson.stderr})`)));
    expect(oursJson.code).toBe(theirsJson.code);
  }, 180_000);
});
