import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleAvailable, ansiblePlaybook, REPO, tsrun } from '../support/runners.js';
import { parseJson, summary } from './json-summary.js';

/**
 * Issue 16: where a role is found. test/fixtures/role-search holds a role of the same name in
 * several of the places Ansible searches (<playbook dir>/roles, roles_path entries, the depending
 * role's directory, the playbook dir, the current directory, ~/.ansible/roles); each role's debug
 * message says where it lies, so both tools must pick the same copy. Each tool runs on its own
 * copy of the tree (the copy's path is replaced by ROOT before comparing).
 */
const FIXTURE = join(REPO, 'test/fixtures/role-search');

async function both(playbook: string, env: (root: string) => NodeJS.ProcessEnv, extra: string[] = []) {
  const copy = () => {
    const root = mkdtempSync(join(tmpdir(), 'tsrun-role-search-'));
    cpSync(FIXTURE, root, { recursive: true, verbatimSymlinks: true });
    return root;
  };
  const [ra, rt] = [copy(), copy()];
  const args = (root: string) => ['-i', join(root, 'hosts.ini'), join(root, 'pb', playbook), ...extra];
  const [theirs, ours] = await Promise.all([
    ansiblePlaybook(args(ra), { cwd: ra, env: env(ra) }),
    tsrun([...args(rt), '--json'], { cwd: rt, env: { ...env(rt), TSRUN_PROGRESS: '0' } }),
  ]);
  const norm = (text: string, root: string, who: string) => JSON.parse(JSON.stringify(summary(parseJson(text, who))).split(root).join('ROOT')) as unknown;
  const a = norm(theirs.stdout, ra, `ansible-playbook (stderr: ${theirs.stderr})`);
  const b = norm(ours.stdout, rt, `tsrun (stderr: ${ours.stderr})`);
  expect(b).toEqual(a);
  expect(ours.code).toBe(theirs.code);
  return a;
}

describe.runIf(ansibleAvailable())('role search order matches ansible-playbook', () => {
  it('pb/roles, then ANSIBLE_ROLES_PATH in order, the depending role dir, the playbook dir, then the current dir', async () => {
    const a = await both('search.yml', (root) => ({ ANSIBLE_ROLES_PATH: `p1:${join(root, 'p2')}`, HOME: join(root, 'home') }));
    // the fixture really distinguishes the places (a broken fixture would compare equal too)
    expect(JSON.stringify(a)).toContain('dd from p1, the depending role');
    expect(JSON.stringify(a)).toContain('../p2/rl');
  }, 300_000);

  it("without roles_path Ansible's default (~/.ansible/roles ...) is searched; path names keep their name", async () => {
    const a = await both('default-path.yml', (root) => ({ HOME: join(root, 'home') }));
    expect(JSON.stringify(a)).toContain('rg from ~/.ansible/roles');
  }, 300_000);

  it('roles_path in ansible.cfg is relative to the file; static names are templated with play vars, vars_files and extra vars', async () => {
    const a = await both('templated.yml', (root) => ({ ANSIBLE_CONFIG: join(root, 'cfg/ansible.cfg'), HOME: join(root, 'home') }), ['-e', 'ename=rh']);
    expect(JSON.stringify(a)).toContain('rb from p2');
  }, 300_000);

  it('include_role keeps the directory of tasks_from, import_role only its base name', async () => {
    const a = await both('tasks-from.yml', (root) => ({ HOME: join(root, 'home') }));
    expect(JSON.stringify(a)).toContain('ra sub/x.yml');
  }, 300_000);
});
