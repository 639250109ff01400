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
 * Where a task file named in import_tasks / include_tasks may be, in Ansible's order: the
 * including file's directory, the role's tasks/ dir, then the playbook directory.
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

export function findTaskFile(target: string, from: Parameters<typeof taskFileCandidates>[1]): { found?: string; searched: string[] } {
  const searched = taskFileCandidates(target, from);
  return { found: searched.find(isFile), searched };
}
