/**
 * The one search for a file a task names by a relative path (`src:` of copy/template/script/
 * unarchive/apt deb, include_vars, lookup('file'|'template'), with_first_found, vars_files),
 * in Ansible's order (DataLoader.path_dwim_relative_stack): for each directory of the search
 * path — the role's, the including task file's, the playbook's — first `dir/KIND/rel`, then
 * `dir/rel`, then, when the directory is a role's `tasks/` (or any subdirectory, such as the
 * task file's own), `parent/KIND/rel`. An absolute path is used as it is.
 *
 * Task files (import_tasks / include_tasks) follow their own rules, which differ between the
 * static and the dynamic form as Ansible's do (playbook/task-files.ts).
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';

export interface FileSearch {
  /** The first candidate that exists. */
  found?: string;
  /** Every candidate, in order (for the error message). */
  searched: string[];
}

/** Candidates for `rel` under `dirs`, each directory expanded as Ansible does; `kind`: files, templates, vars (none: the directories only). */
export function fileCandidates(dirs: readonly string[], rel: string, kind?: string): string[] {
  if (isAbsolute(rel)) return [rel];
  const out: string[] = [];
  for (const dir of dirs) {
    if (kind) out.push(join(dir, kind, rel));
    out.push(join(dir, rel));
    if (kind) out.push(join(dirname(dir), kind, rel));
  }
  return [...new Set(out)];
}

export function searchFile(dirs: readonly string[], rel: string, kind?: string, exists: (path: string) => boolean = existsSync): FileSearch {
  const searched = fileCandidates(dirs, rel, kind);
  return { found: searched.find((p) => exists(p)), searched };
}
