import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, test } from 'vitest';
import { fileCandidates, searchFile } from '../../src/util/file-search.js';
import { findFile } from '../../src/executor/task-runner.js';
import { findInSearchPath } from '../../src/template/lookups/index.js';
import { Scope } from '../../src/template/context.js';
import { plainVars } from '../../src/template/var-source.js';
import { dynamicTaskFileCandidates, taskFileCandidates } from '../../src/playbook/task-files.js';

describe('one file search (util/file-search.ts), Ansible order', () => {
  it('tries each directory as dir/KIND/rel, dir/rel, parent/KIND/rel, in search-path order', () => {
    expect(fileCandidates(['/r/web', '/r/web/tasks', '/pb'], 'a.conf', 'files')).toEqual([
      '/r/web/files/a.conf', '/r/web/a.conf', '/r/files/a.conf',
      '/r/web/tasks/files/a.conf', '/r/web/tasks/a.conf', // then /r/web/files/a.conf again: listed once
      '/pb/files/a.conf', '/pb/a.conf', '/files/a.conf',
    ]);
    expect(fileCandidates(['/pb'], 'v.yml')).toEqual(['/pb/v.yml']);
    expect(fileCandidates(['/pb'], '/abs/v.yml', 'vars')).toEqual(['/abs/v.yml']);
  });

  // Which file wins when several exist: [files that exist] → the one found
  const root = mkdtempSync(join(tmpdir(), 'tsrun-search-'));
  const role = join(root, 'roles/web');
  const tasks = join(role, 'tasks');
  const pb = root;
  test.each([
    [['roles/web/files/x', 'roles/web/x', 'files/x', 'x'], 'roles/web/files/x'],
    [['roles/web/x', 'files/x'], 'roles/web/x'],
    [['roles/web/tasks/x', 'files/x'], 'roles/web/tasks/x'],
    [['files/x', 'x'], 'files/x'],
    [['x'], 'x'],
  ])('exists %j → %s', (present, want) => {
    const dir = mkdtempSync(join(root, 'case-'));
    for (const f of present) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), f);
    }
    const paths = [join(dir, 'roles/web'), join(dir, 'roles/web/tasks'), dir];
    expect(searchFile(paths, 'x', 'files').found).toBe(join(dir, want));
    // The module context's findFile and the file/template lookups are this same search.
    expect(findFile(paths, 'files', 'x')).toBe(join(dir, want));
    expect(findInSearchPath('x', new Scope({ vars: plainVars({}), searchPath: paths }), 'files')).toBe(join(dir, want));
  });

  it('a missing file names every place searched', () => {
    expect(() => findFile([role, tasks, pb], 'templates', 'nope.j2')).toThrow(`Could not find or access 'nope.j2'. Searched in: ${join(role, 'templates/nope.j2')}, ${join(role, 'nope.j2')}`);
  });
});

describe('task files: static and dynamic includes search in different orders, as Ansible does', () => {
  const role = { name: 'r', path: '/pb/roles/r' } as Parameters<typeof taskFileCandidates>[1]['role'];
  const from = { baseDir: '/pb/roles/r/tasks/sub', role, playbookDir: '/pb' };
  // Checked with ansible-playbook 2.14: include_tasks: b.yml in roles/r/tasks/sub/a.yml runs
  // roles/r/tasks/b.yml when both that and roles/r/tasks/sub/b.yml exist; import_tasks runs sub/.
  it('import_tasks: the including file\'s directory first', () => {
    expect(taskFileCandidates('b.yml', from)[0]).toBe('/pb/roles/r/tasks/sub/b.yml');
  });
  it('include_tasks: the role\'s tasks/ first', () => {
    expect(dynamicTaskFileCandidates('b.yml', from)).toEqual(['/pb/roles/r/tasks/b.yml', '/pb/roles/r/tasks/sub/b.yml', '/pb/b.yml']);
  });
});
