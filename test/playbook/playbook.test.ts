import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Block, Task, TaskItem } from '../../src/playbook/types.js';
import { loadPlaybook, loadRoleTasks, loadTaskFile } from '../../src/playbook/index.js';
import { fakeRegistry } from './fake-registry.js';

const project = join(import.meta.dirname, '../fixtures/playbook/project');
const opts = { modules: fakeRegistry() };

function names(items: TaskItem[]): unknown[] {
  return items.map((i) => (i.kind === 'task' ? i.name ?? i.action : { block: names(i.block), role: i.role?.name }));
}

describe('loadPlaybook on a project with roles and imports', () => {
  const pb = loadPlaybook(join(project, 'site.yml'), opts);
  const [webPlay, main] = pb.plays;

  test('import_playbook brings its plays with when, tags and vars applied', () => {
    expect(pb.path).toBe(join(project, 'site.yml'));
    expect(pb.plays).toHaveLength(2);
    expect(webPlay).toMatchObject({ name: 'web play', hosts: 'web', when: ['deploy | bool'], vars: { own: 2, extra: 1 }, baseDir: join(project, 'plays') });
    expect([...webPlay.tags].sort()).toEqual(['inner', 'web']);
    expect(webPlay.tasks[0]).toMatchObject({ action: 'debug', baseDir: join(project, 'plays') });
  });

  test('play keywords', () => {
    expect(main).toMatchObject({ name: 'main', hosts: 'all,!bad', become: true, remote_user: 'deploy', gather_facts: false, serial: 2, vars_files: ['vars/common.yml'], baseDir: project });
    expect(main.pos).toMatchObject({ line: 6, column: 3 });
  });

  test('roles: dependencies first, each role use once unless params differ or allowed', () => {
    expect(names(main.role_tasks)).toEqual([
      { role: 'common', block: ['common task'] },
      { role: 'web', block: [{ role: 'common', block: ['common task'] }, { role: 'base', block: ['base task'] }, 'web task'] },
      { role: 'common', block: ['common task'] },
      { role: 'dup', block: ['dup task'] },
      { role: 'dup', block: ['dup task'] },
    ]);
    expect(main.roles.map((r) => r.name)).toEqual(['common', 'common', 'base', 'web', 'common', 'dup', 'web']);
    // an allowed duplicate is the same role: same RoleRef, handlers once
    expect((main.role_tasks[3] as Block).role).toBe((main.role_tasks[4] as Block).role);
  });

  test('role invocation keywords sit on the role block; params, defaults and vars on the RoleRef', () => {
    const web = main.role_tasks[1] as Block;
    expect(web).toMatchObject({ kind: 'block', when: ['web_enabled'], tags: ['webtag'], vars: { a: 1 } });
    expect(web.role).toMatchObject({ name: 'web', path: join(project, 'roles/web'), params: { http_port: 8080 }, parents: [] });
    const dep = web.block[0] as Block;
    expect(dep.when).toEqual(['dep_when']);
    expect(dep.role?.parents.map((p) => p.name)).toEqual(['web']);
    const common = main.role_tasks[0] as Block;
    expect(common.role).toMatchObject({ defaults: { c_default: 1 }, vars: { x: 1, z: 2 }, params: {} });
    expect((main.role_tasks[2] as Block).role?.params).toEqual({ flavour: 'x' });
    const task = web.block[2] as Task;
    expect(task).toMatchObject({ action: 'copy', notify: ['restart web'], baseDir: join(project, 'roles/web/tasks') });
    expect(task.role?.name).toBe('web');
    expect(task.pos.file).toMatch(/roles\/web\/tasks\/main\.yml$/);
  });

  test('import_tasks is expanded into a block with the import keywords', () => {
    expect(names(main.pre_tasks)).toEqual([{ block: ['debug', { block: ['nested'], role: undefined }], role: undefined }]);
    expect(main.pre_tasks[0]).toMatchObject({ kind: 'block', tags: ['pre'], when: ['pre_ok'] });
    const nested = (main.pre_tasks[0] as Block).block[1] as Block;
    expect((nested.block[0] as Task).baseDir).toBe(join(project, 'tasks'));
  });

  test('import_role expands statically (deps already in the play are skipped); include_role stays', () => {
    expect(main.tasks[0]).toMatchObject({ kind: 'block', vars: { b: 2 } });
    expect(names(main.tasks)).toEqual([{ role: 'web', block: ['web extra'] }, 'include_role']);
    expect(main.tasks[1]).toMatchObject({ action: 'include_role', args: { name: 'web' } });
    expect(names(main.post_tasks)).toEqual(['debug']);
  });

  test('handlers: roles first, then the play, then import_role roles; imports flattened with their keywords', () => {
    expect(main.handlers.map((h) => h.name)).toEqual(['restart web', 'dup handler', 'play handler', 'more handler', 'restart web']);
    expect(main.handlers[0]).toMatchObject({ role: { name: 'web' }, when: ['web_enabled'], tags: ['webtag'], baseDir: join(project, 'roles/web/handlers') });
    expect(main.handlers[3]).toMatchObject({ when: ['hcond'], listen: ['topic'] });
  });
});

describe('static imports with variables', () => {
  test('renderStatic resolves role names and import paths with the play vars', () => {
    const seen: Record<string, unknown>[] = [];
    const renderStatic = (text: string, vars: Record<string, unknown>): string => {
      seen.push(vars);
      return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => String(vars[name]));
    };
    const pb = loadPlaybook(join(project, 'static-vars.yml'), { ...opts, renderStatic });
    expect(names(pb.plays[0].role_tasks)).toEqual([{ role: 'base', block: ['base task'] }]);
    expect(names(pb.plays[0].tasks)).toEqual([{ block: ['nested'], role: undefined }]);
    expect(seen[0]).toEqual({ which: 'nested', role_name: 'base', playbook_dir: project });
  });
});

describe('role search path', () => {
  test('rolesPath adds directories', () => {
    const pb = loadPlaybook(join(project, 'roles-path.yml'), { ...opts, rolesPath: [join(project, 'extra_roles')] });
    expect(names(pb.plays[0].role_tasks)).toEqual([{ role: 'elsewhere', block: ['elsewhere task'] }]);
  });

  test('a missing role names every searched directory', () => {
    expect(() => loadPlaybook(join(project, 'roles-path.yml'), opts)).toThrow(/the role 'elsewhere' was not found in .*project\/roles:.*:.*project$/);
  });
});

describe('run-time loading for the executor', () => {
  test('loadTaskFile gives tasks the role and the file directory', () => {
    const web = loadRoleTasks('web', { baseDir: project, opts });
    const items = loadTaskFile(join(project, 'roles/web/tasks/extra.yml'), { role: web.role, opts });
    expect(items).toMatchObject([{ name: 'web extra', role: { name: 'web' }, baseDir: join(project, 'roles/web/tasks') }]);
  });

  test('loadRoleTasks returns dependencies, tasks and handlers', () => {
    const r = loadRoleTasks('web', { baseDir: project, opts, params: { p: 1 }, tasksFrom: 'extra' });
    expect(r.role).toMatchObject({ name: 'web', params: { p: 1 } });
    expect(names(r.tasks)).toEqual(['web extra']);
    expect(names(r.dependencies)).toEqual([{ role: 'common', block: ['common task'] }, { role: 'base', block: ['base task'] }]);
    expect(r.handlers.map((h) => h.name)).toEqual(['restart web']);
    expect(r.allowDuplicates).toBe(true);
  });

  test('tasks_from that does not exist is an error', () => {
    expect(() => loadRoleTasks('web', { baseDir: project, opts, tasksFrom: 'nope' })).toThrow('Could not find specified file in role: tasks/nope');
  });
});

describe('loadTaskFile errors', () => {
  test('a missing file names the including task position', () => {
    const from = { file: 'site.yml', line: 7, column: 5 };
    expect(() => loadTaskFile(join(project, 'tasks/none.yml'), { opts, from })).toThrow(/^site\.yml:7:5: cannot read file .*tasks\/none\.yml: ENOENT$/);
  });
});

describe('tasks_from', () => {
  test('include_role keeps the directory (ansible-core 2.14 takes the base name only for import_role)', () => {
    expect(() => loadRoleTasks('web', { baseDir: project, opts, tasksFrom: 'some/dir/extra.yml' })).toThrow(/Could not find specified file in role: tasks\/some\/dir\/extra.yml/);
    expect(() => loadRoleTasks('web', { baseDir: project, opts, tasksFrom: join(project, 'roles-path.yml') })).toThrow(/as it is not inside the expected role path/);
  });
});
