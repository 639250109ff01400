import { readdirSync, statSync } from 'node:fs';
import { basename, join, relative, isAbsolute, resolve } from 'node:path';
import { ConfigError, type SourcePos } from '../util/errors.js';
import { displayPath, readYamlWithPositions } from './source.js';
import { validateKeywords } from './validate.js';
import { varsFileSchema } from './schema/role.js';

function stat(p: string): 'file' | 'dir' | undefined {
  try {
    const s = statSync(p);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

const EXTENSIONS = ['.yml', '.yaml', '.json'];

function dirFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || name.endsWith('~')) continue;
    const full = join(dir, name);
    const ext = name.includes('.') ? name.slice(name.lastIndexOf('.')) : '';
    const kind = stat(full);
    if (kind === 'dir' && !ext) out.push(...dirFiles(full));
    else if (kind === 'file' && (!ext || EXTENSIONS.includes(ext))) out.push(full);
  }
  return out;
}

/**
 * The file(s) Ansible's _load_role_yaml picks in roles/NAME/<subdir>: `main.yml`, `main.yaml`,
 * `main.json`, `main`; for vars and defaults a `main/` directory's files (sorted) are merged.
 * A name given through *_from must exist.
 */
export function roleYamlFiles(rolePath: string, subdir: string, main: string | undefined, allowDir: boolean, pos?: SourcePos, roleName = basename(rolePath)): string[] {
  const dir = join(rolePath, subdir);
  if (stat(dir) !== 'dir') {
    if (main !== undefined) throw new ConfigError(`Could not find specified file in role: ${subdir}/${main}`, pos);
    return [];
  }
  const exts = main === undefined ? [...EXTENSIONS, ''] : ['', ...EXTENSIONS];
  // os.path.join: an absolute name replaces the directory
  const base = main !== undefined && isAbsolute(main) ? main : `${dir}/${main ?? 'main'}`;
  const inside = (found: string[]) => {
    for (const f of found) {
      const rel = relative(dir, resolve(f));
      if (rel.startsWith('..') || isAbsolute(rel)) throw new ConfigError(`Failed loading '${f}' for role (${roleName}) as it is not inside the expected role path: '${dir}'`, pos);
    }
    return found;
  };
  for (const ext of exts) {
    const full = base + ext;
    const kind = stat(full);
    if (kind === 'file') return inside([full]);
    if (kind === 'dir') {
      if (allowDir) return inside(dirFiles(full));
      continue;
    }
  }
  if (main !== undefined) throw new ConfigError(`Could not find specified file in role: ${subdir}/${main}`, pos);
  return [];
}

/** Loads role vars or defaults: a mapping (several files merged shallowly, later wins). */
export function loadRoleVars(rolePath: string, subdir: 'vars' | 'defaults', main: string | undefined, roleName: string, pos?: SourcePos): Record<string, unknown> {
  let out: Record<string, unknown> = {};
  for (const file of roleYamlFiles(rolePath, subdir, main, true, pos, roleName)) {
    const data = readYamlWithPositions(file);
    validateKeywords(varsFileSchema, data, `the ${subdir} file of role '${roleName}'`, { file: displayPath(file), line: 1, column: 1 });
    if (data === null || data === undefined) continue;
    out = { ...out, ...(data as Record<string, unknown>) };
  }
  return out;
}

export function roleDirExists(path: string): boolean {
  return stat(path) === 'dir';
}
