import { statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { RoleRef } from './types.js';

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Where a task file named in import_tasks (static) may be, in Ansible's order: the including
 * file's directory, the role's tasks/ dir, then the playbook directory. include_tasks (dynamic)
 * looks in the role's tasks/ dir first (dynamicTaskFileCandidates): ansible-playbook 2.14 picks
 * roles/r/tasks/b.yml for `include_tasks: b.yml` in roles/r/tasks/sub/a.yml, but
 * roles/r/tasks/sub/d.yml for `import_tasks: d.yml` in roles/r/tasks/sub/c.yml.
 */
export function taskFileCandidates(target: string, from: { baseDir: string; role?: RoleRef; playbookDir: string; handlers?: boolean }): string[] {
  if (isAbsolute(target)) return [target];
  const out: string[] = [join(from.baseDir, target)];
  if (from.role) {
    const sub = from.handlers ? 'handlers' : 'tasks';
    out.push(join(from.role.path, sub, target), join(from.role.path, target));
    if (from.handlers) out.push(join(from.role.path, 'tasks', target));
  }
  out.push(join(from.playbookDir, target));
  return [...new Set(out.map((p) => resolve(p)))];
}

/** include_tasks at run time: the role's tasks/ dir, the including file's directory, the playbook directory. */
export function dynamicTaskFileCandidates(target: string, from: { baseDir: string; role?: RoleRef; playbookDir: string }): string[] {
  if (isAbsolute(target)) return [target];
  return [...new Set([...(from.role ? [join(from.role.path, 'tasks', target)] : []), join(from.baseDir, target), join(from.playbookDir, target)])];
}

export function findTaskFile(target: string, from: Parameters<typeof taskFileCandidates>[1]): { found?: string; searched: string[] } {
  const searched = taskFileCandidates(target, from);
  return { found: searched.find(isFile), searched };
}
