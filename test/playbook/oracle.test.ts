import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Play, TaskItem } from '../../src/playbook/types.js';
import { loadPlaybook } from '../../src/playbook/index.js';
import { fakeRegistry } from './fake-registry.js';

/**
 * Oracle: ansible-playbook runs a debug-only playbook (roles with dependencies, duplicates,
 * allow_duplicates, import_role, import_tasks, import_playbook); the task names it runs, in
 * order, must be what tsrun's loaded plays hold, read in run order.
 */
const dir = join(import.meta.dirname, '../fixtures/playbook/oracle');

function ansibleRun(): { name: string; tasks: string[] }[] {
  const home = mkdtempSync(join(tmpdir(), 'tsrun-oracle-'));
  const out = execFileSync('ansible-playbook', ['-i', 'localhost,', '-c', 'local', 'site.yml'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_NOCOLOR: '1', HOME: home, ANSIBLE_LOCAL_TEMP: join(home, 'tmp') },
  });
  const data = JSON.parse(out) as { plays: { play: { name: string }; tasks: { task: { name: string } }[] }[] };
  return data.plays.map((p) => ({ name: p.play.name, tasks: p.tasks.map((t) => t.task.name) }));
}

function runOrder(items: TaskItem[]): string[] {
  return items.flatMap((i) => {
    if (i.kind === 'block') return [...runOrder(i.block), ...runOrder(i.rescue), ...runOrder(i.always)];
    return [i.role ? `${i.role.name} : ${i.name}` : i.name ?? i.action];
  });
}

function playOrder(p: Play): string[] {
  return [...runOrder(p.pre_tasks), ...runOrder(p.role_tasks), ...runOrder(p.tasks), ...runOrder(p.post_tasks)];
}

describe('oracle: ansible-playbook runs the same tasks in the same order', () => {
  test('roles, dependencies, run-once, imports', () => {
    const expected = ansibleRun();
    const pb = loadPlaybook(join(dir, 'site.yml'), { modules: fakeRegistry() });
    expect(pb.plays.map((p) => ({ name: p.name, tasks: playOrder(p) }))).toEqual(expected);
  });
});
