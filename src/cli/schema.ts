import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { moduleRegistry } from '../modules/index.js';
import { TsrunError } from '../util/errors.js';
import { editorSchemas, SCHEMA_NAMES } from './schema/editor-schemas.js';

/** `tsrun schema --out DIR`: writes DIR/{playbook,tasks,role-meta,inventory}.schema.json. */
export function schemaCommandLine(): Command {
  return new Command('tsrun schema')
    .description('write JSON Schemas for playbooks, task files, role meta/main.yml and YAML inventories (for editors)')
    .requiredOption('-o, --out <dir>', 'directory to write the *.schema.json files into')
    .exitOverride();
}

export function schemaProgram(argv: string[], cwd: string, write: (t: string) => void): number {
  const program = schemaCommandLine();
  program.parse(argv);
  const dir = resolve(cwd, program.opts<{ out: string }>().out);
  const schemas = editorSchemas(moduleRegistry());
  try {
    mkdirSync(dir, { recursive: true });
    for (const name of SCHEMA_NAMES) {
      const file = join(dir, `${name}.schema.json`);
      writeFileSync(`${file}.tmp`, `${JSON.stringify(schemas[name], null, 2)}\n`);
      renameSync(`${file}.tmp`, file);
      write(`${file}\n`);
    }
  } catch (e) {
    throw new TsrunError(`could not write schemas to ${dir}: ${(e as Error).message}`);
  }
  return 0;
}
