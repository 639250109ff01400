import { readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { defineModule, type ModuleResult } from './types.js';
import { readYamlFile } from '../yaml/yaml.js';
import { isPlainObject, mergeHash, mergesHashes } from '../inventory/combine-vars.js';

interface IncludeVarsArgs {
  _raw_params?: string;
  file?: string;
  dir?: string;
  name?: string;
  depth?: number;
  files_matching?: string;
  ignore_files?: string[] | string;
  extensions?: string[];
  ignore_unknown_extensions?: boolean;
  hash_behaviour?: 'replace' | 'merge';
}


/** The files of `dir` include_vars loads, in Ansible's order (sorted, depth-first by level). */
export function listVarFiles(dir: string, a: IncludeVarsArgs): string[] | { error: string } {
  const exts = a.extensions ?? ['yaml', 'yml', 'json'];
  const ignore = (typeof a.ignore_files === 'string' ? [a.ignore_files] : a.ignore_files ?? []).map((p) => new RegExp(p));
  const match = a.files_matching ? new RegExp(`^(?:${a.files_matching})`) : undefined;
  const out: string[] = [];
  // As Ansible's sorted(os.walk()): a directory's own files (sorted) before its subdirectories.
  const walk = (d: string, level: number): string | undefined => {
    const entries = readdirSync(d).sort();
    const subdirs: string[] = [];
    for (const entry of entries) {
      const full = join(d, entry);
      if (statSync(full).isDirectory()) {
        subdirs.push(full);
        continue;
      }
      if (ignore.some((re) => re.test(entry))) continue;
      if (match && !match.test(entry)) continue;
      const ext = extname(entry).slice(1);
      if (!exts.includes(ext)) {
        if (a.ignore_unknown_extensions) continue;
        return `${full} does not have a valid extension: ${exts.join(', ')}`;
      }
      out.push(full);
    }
    if (a.depth && level >= a.depth) return undefined;
    for (const sub of subdirs) {
      const err = walk(sub, level + 1);
      if (err) return err;
    }
    return undefined;
  };
  const err = walk(dir, 1);
  return err ? { error: err } : out;
}

const REMOTE_HINT = 'If you are using a module and expect the file to exist on the remote, see the remote_src option';

const argsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    _raw_params: { type: 'string' },
    file: { type: 'string' },
    dir: { type: 'string' },
    name: { type: 'string' },
    depth: { type: 'integer', minimum: 0, default: 0 },
    files_matching: { type: 'string' },
    ignore_files: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    extensions: { type: 'array', items: { type: 'string' }, default: ['yaml', 'yml', 'json'] },
    ignore_unknown_extensions: { type: 'boolean', default: false },
    hash_behaviour: { enum: ['replace', 'merge'] },
  },
} as const;

const includeVars = defineModule({
  name: 'include_vars',
  aliases: ['ansible.builtin.include_vars'],
  checkMode: true,
  factsLayer: 'includeVars',
  freeForm: true,
  controlOnly: true,
  argsSchema,
  async run(ctx): Promise<ModuleResult> {
    const a = ctx.args;
    // Ansible's include_vars reports problems with what it found under `message`, with empty results
    const problem = (message: string): ModuleResult => ({ failed: true, changed: false, message, ansible_facts: {}, ansible_included_var_files: [] });
    // free-form text from a folded `>` scalar ends in a newline, which Ansible strips
    const file = a.file ?? a._raw_params?.replace(/\n+$/, '');
    if (file !== undefined && a.dir !== undefined) return { failed: true, changed: false, msg: 'You are mixing file only and dir only arguments, these are incompatible' };
    let files: string[];
    try {
      if (a.dir !== undefined) {
        let dir: string;
        try {
          dir = ctx.findFile('vars', a.dir);
        } catch {
          const base = String(ctx.vars.lookup('role_path') ?? ctx.vars.lookup('playbook_dir') ?? '.');
          return problem(`${resolve(base, a.dir)} directory does not exist`);
        }
        const listed = listVarFiles(dir, a);
        if (!Array.isArray(listed)) return problem(listed.error);
        files = listed;
      } else if (file !== undefined) {
        if (file === '') return problem(`Could not find file on the Ansible Controller.\n${REMOTE_HINT}`);
        try {
          files = [ctx.findFile('vars', file)];
        } catch (err) {
          // Ansible's _find_needle wording, with include_vars' `message` key
          return problem(`${(err as Error).message} on the Ansible Controller.\n${REMOTE_HINT}`);
        }
      } else {
        return { failed: true, changed: false, msg: 'include_vars: give a file or a dir' };
      }
    } catch (err) {
      return { failed: true, changed: false, msg: `Could not find or access '${a.dir ?? file}': ${(err as Error).message}` };
    }
    let vars: Record<string, unknown> = {};
    for (const f of files) {
      let data: unknown;
      try {
        data = readYamlFile(f);
      } catch (err) {
        return { failed: true, changed: false, msg: (err as Error).message };
      }
      if (data === null || data === undefined) continue;
      if (!isPlainObject(data)) return problem(`${f} must be stored as a dictionary/hash`);
      vars = (a.hash_behaviour ?? (mergesHashes() ? 'merge' : 'replace')) === 'merge' ? mergeHash(vars, data) : { ...vars, ...data };
    }
    const facts: Record<string, unknown> = a.name ? { [a.name]: vars } : vars;
    // hash_behaviour=merge also merges into the values the variables have now (Ansible's combine_vars with task_vars)
    if (a.hash_behaviour === 'merge') {
      for (const [k, v] of Object.entries(facts)) {
        const old = ctx.vars.lookup(k);
        if (isPlainObject(old) && isPlainObject(v)) facts[k] = mergeHash(old, v);
      }
    }
    return { changed: false, ansible_facts: facts, ansible_included_var_files: files };
  },
});

export default includeVars;
