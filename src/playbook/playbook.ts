import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError, type SourcePos } from '../util/errors.js';
import type { Play, Playbook } from './types.js';
import type { LoaderOptions } from './context.js';
import { normaliseTags, toList } from './keywords.js';
import { buildPlay } from './play.js';
import { displayPath, posOf, readYamlWithPositions, valuePos } from './source.js';
import { splitArgs } from '../parsing/split-args.js';
import { isTemplate } from './template-text.js';
import { expectMapping, validateKeywords } from './validate.js';
import { importPlaybookSchema, playbookSchema } from './schema/play.js';

const IMPORT_KEYS = ['import_playbook', 'ansible.builtin.import_playbook', 'ansible.legacy.import_playbook'];

function importKey(ds: Record<string, unknown>): string | undefined {
  return IMPORT_KEYS.find((k) => k in ds);
}

/** import_playbook's `when`, `tags` and `vars` pushed onto every play it brings in. */
function applyImport(play: Play, ds: Record<string, unknown>): Play {
  const vars = { ...play.vars, ...((ds.vars as Record<string, unknown> | null) ?? {}) };
  const tags = new Set([...play.tags, ...normaliseTags(ds.tags)]);
  // Ansible lets `vars: {tags: a,b}` on an import add tags too.
  if (typeof vars.tags === 'string') {
    for (const t of vars.tags.split(',')) tags.add(t);
    delete vars.tags;
  }
  return { ...play, vars, tags: [...tags], when: [...toList(ds.when), ...play.when] };
}

function loadFile(file: string, opts: LoaderOptions, stack: string[], from?: SourcePos): Play[] {
  if (stack.includes(file)) throw new ConfigError(`playbook ${displayPath(file)} imports itself`, from);
  const data = readYamlWithPositions(file, from);
  const filePos: SourcePos = { file: displayPath(file) };
  if (data === null || data === undefined) throw new ConfigError('Empty playbook, nothing to do', filePos);
  // A scalar document has no recorded position; Ansible points at its start, 1:1, too.
  validateKeywords(playbookSchema, data, 'a playbook', typeof data === 'object' ? filePos : { ...filePos, line: 1, column: 1 });
  const baseDir = dirname(file);
  const plays: Play[] = [];
  (data as unknown[]).forEach((entry, i) => {
    const at = valuePos(data, i, filePos);
    const ds = expectMapping(entry, 'a play', at);
    const key = importKey(ds);
    if (key === undefined) {
      plays.push(buildPlay(ds, file, baseDir, opts, at));
      return;
    }
    const pos = posOf(ds, at);
    const value = ds[key];
    if (typeof value !== 'string' || value.trim() === '') throw new ConfigError('import_playbook needs a file name', valuePos(ds, key, pos));
    validateKeywords(importPlaybookSchema, ds, 'import_playbook', pos);
    const target = splitArgs(value, valuePos(ds, key, pos))[0].trim();
    if (isTemplate(target)) throw new ConfigError(`import_playbook '${target}' uses a variable, which tsrun cannot resolve before the run`, valuePos(ds, key, pos));
    const path = resolve(isAbsolute(target) ? target : join(baseDir, target));
    for (const play of loadFile(path, opts, [...stack, file], valuePos(ds, key, pos))) plays.push(applyImport(play, ds));
  });
  return plays;
}

/** Loads a playbook and everything it imports or uses (roles, static imports), validating all of it. */
export function loadPlaybook(path: string, opts: LoaderOptions): Playbook {
  const abs = resolve(path);
  return { path: abs, plays: loadFile(abs, opts, []) };
}
