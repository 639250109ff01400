import { Command } from 'commander';
import { inventoryCommand } from './inventory.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function inventoryCommandLine(): Command {
  return new Command('tsrun inventory')
    .option('-i, --inventory <path>', 'inventory source (repeatable)', collect, [])
    .option('--list', 'output all hosts info (JSON)')
    .option('--graph [group]', 'create inventory graph')
    .option('--host <host>', 'output a specific host info')
    .option('--vars', 'add vars to graph display')
    .option('-y, --yaml', 'use YAML format instead of JSON')
    .option('-l, --limit <pattern>', 'further limit selected hosts')
    .exitOverride();
}

/** `tsrun inventory`: ansible-inventory's --list / --graph / --host. */
export function inventoryProgram(argv: string[]): number {
  const program = inventoryCommandLine();
  program.parse(argv);
  const o = program.opts<{ inventory: string[]; list?: boolean; graph?: string | boolean; host?: string; vars?: boolean; yaml?: boolean; limit?: string }>();
  if (!o.list && !o.graph && !o.host) {
    process.stderr.write('ERROR! No action selected, at least one of --host, --graph or --list needs to be specified.\n');
    return 1;
  }
  process.stdout.write(inventoryCommand({ ...o, inventory: o.inventory.length ? o.inventory : ['inventory.ini'] }));
  return 0;
}
