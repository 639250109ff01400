import { combineVars } from '../inventory/combine-vars.js';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseKeyValue } from '../playbook/index.js';
import { ConfigError, TsrunError } from '../util/errors.js';
import { parseYaml } from '../yaml/yaml.js';

/**
 * `-e` as ansible-playbook reads it: `@file` (YAML/JSON), inline JSON/YAML when it starts with
 * `{` or `[`, otherwise `key=value` pairs whose values stay strings. Later `-e` win.
 */
export function parseExtraVars(values: string[], cwd: string): Record<string, unknown> {
  let out: Record<string, unknown> = {};
  for (const raw of values) {
    const text = raw.trim();
    let data: unknown;
    if (text.startsWith('@')) {
      const file = isAbsolute(text.slice(1)) ? text.slice(1) : resolve(cwd, text.slice(1));
      let content: string;
      try {
        content = readFileSync(file, 'utf8');
      } catch (err) {
        // ansible-playbook exits 1 for a missing file, but 4 (a parse error) for one it cannot read.
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EISDIR') throw new TsrunError(`-e ${raw}: '${file}' is a directory, not an extra vars file`, { exitCode: 4 });
        throw new TsrunError(`-e ${raw}: could not find or read the extra vars file '${file}'`);
      }
      data = parseYaml(content, file);
    } else if (text.startsWith('{') || text.startsWith('[')) {
      data = parseYaml(text, '<-e>');
    } else {
      data = parseKeyValue(text).params;
    }
    if (data === null || data === undefined) continue;
    if (typeof data !== 'object' || Array.isArray(data)) throw new ConfigError(`extra vars must be a mapping: ${raw}`);
    out = combineVars(out, data as Record<string, unknown>);
  }
  return out;
}
