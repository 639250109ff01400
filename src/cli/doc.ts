import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { moduleRegistry } from '../modules/index.js';
import { TsrunError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';
import { repositoryExample } from './doc/examples.js';
import { formatModuleDoc, formatModuleList } from './doc/module-doc.js';

/** The checkout or package tsrun runs from (dist/cli/ or src/cli/ is two levels down). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `tsrun doc MODULE...` / `tsrun doc -l`: ansible-doc for tsrun's modules. */
export function docCommandLine(): Command {
  return new Command('tsrun doc')
    .description("show a module's arguments (types, defaults, choices) and an example, from the schemas the engine validates with")
    .argument('[modules...]', 'module names (ansible.builtin.x works too)')
    .option('-l, --list', 'list the available modules')
    .exitOverride();
}

export function docProgram(argv: string[], write: (t: string) => void): number {
  const program = docCommandLine();
  program.parse(argv);
  const registry = moduleRegistry();
  if (program.opts<{ list?: boolean }>().list || program.args.length === 0) {
    write(formatModuleList(registry));
    return 0;
  }
  const pages: string[] = [];
  for (const name of program.args) {
    const def = registry.get(name) ?? registry.get(name.replace(/^ansible\.(builtin|legacy)\./, ''));
    if (!def) {
      const canonical = [...new Set([...registry.values()].map((d) => d.name))];
      throw new TsrunError(`module ${name} not found${didYouMean(name, canonical)}; \`tsrun doc -l\` lists them`);
    }
    pages.push(formatModuleDoc(def, repositoryExample(PACKAGE_ROOT, [def.name, ...(def.aliases ?? [])])));
  }
  write(pages.join('\n'));
  return 0;
}
