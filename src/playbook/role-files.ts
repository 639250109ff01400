import { readdirSync, statSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
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
export function roleYamlFiles(rolePath: string, subdir: string, main: string | undefined, allowDir: boolean, pos?: SourcePos): string[] {
  const dir = join(rolePath, subdir);
  if (stat(dir) !== 'dir') {
    if (main !== undefined) throw new ConfigError(`Could not find specified file in role: ${subdir}/${main}`, pos);
    return [];
  }
  const exts = main === undefined ? [...EXTENSIONS, ''] : ['', ...EXTENSIONS];
  const base = join(dir, main ?? 'main');
  const rel = relative(dir, base);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new ConfigError(`'${main}' is not inside the role's ${subdir}/ directory`, pos);
  for (const ext of exts) {
    const full = base + ext;
    const kind = stat(full);
    if (kind === 'file') return [full];
    if (kind === 'dir') {
      if (allowDir) return dirFiles(full);
      continue;
    }
  }
  if (main !== undefined) throw new ConfigError(`Could not find specified file in role: ${subdir}/${main}`, pos);
  return [];
}

/** Loads role vars or defaults: a mapping (several files merged shallowly, later wins). */
export function loadRoleVars(rolePath: string, subdir: 'vars' | 'defaults', main: string | undefined, roleName: string, pos?: SourcePos): Record<string, unknown> {
  let out: Record<string, unknown> = {};
  for (const file of roleYamlFiles(rolePath, subdir, main, true, pos)) {
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
