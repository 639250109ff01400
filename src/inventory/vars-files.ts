import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ConfigError } from '../util/errors.js';
import { readYamlFile } from '../yaml/yaml.js';
import { combineVars, isPlainObject } from './combine-vars.js';

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Files of a `NAME/` vars directory, recursively, in lexical order; hidden and backup files skipped. */
function dirVarsFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.') || entry.endsWith('~')) continue;
    const full = join(dir, entry);
    const ext = extname(entry);
    if (isDir(full)) {
      if (!ext) found.push(...dirVarsFiles(full));
    } else if (!ext || EXTENSIONS.includes(ext)) {
      found.push(full);
    }
  }
  return found;
}

/**
 * Ansible's loader.find_vars_files: the first of NAME, NAME.yml, NAME.yaml, NAME.json that
 * exists (a directory expands to its files).
 */
export function findVarsFiles(dir: string, name: string): string[] {
  for (const ext of EXTENSIONS) {
    const full = join(dir, name + ext);
    if (!existsSync(full)) continue;
    return isDir(full) ? dirVarsFiles(full) : [full];
  }
  return [];
}

/** Reads and caches vars files; one instance per loaded inventory. */
export class VarsFileReader {
  private readonly cache = new Map<string, Record<string, unknown>>();

  private readFile(file: string): Record<string, unknown> {
    let data = this.cache.get(file);
    if (!data) {
      const parsed = readYamlFile(file);
      if (parsed === null || parsed === undefined) data = {};
      else if (isPlainObject(parsed)) data = parsed;
      else throw new ConfigError('a vars file must contain a mapping of variable names to values', { file });
      this.cache.set(file, data);
    }
    return data;
  }

  /** Merged vars of `<baseDir>/<kind>/<name>` (kind is group_vars or host_vars). */
  entityVars(baseDir: string, kind: 'group_vars' | 'host_vars', name: string): Record<string, unknown> {
    const dir = join(baseDir, kind);
    if (!isDir(dir)) return {};
    let out: Record<string, unknown> = {};
    for (const f of findVarsFiles(dir, name)) out = combineVars(out, this.readFile(f));
    return out;
  }
}
