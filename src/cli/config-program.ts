import { displayColumns, warningText } from '../output/display.js';
import { Command } from 'commander';
import { configNotes, dumpConfig, dumpSshConfig, loadConfig } from '../config/index.js';
import { TsrunError } from '../util/errors.js';

export const CONFIG_ACTIONS = ['dump'];

/** The command line of `tsrun config` (completion reads its options from here). */
export function configCommandLine(): Command {
  return new Command('tsrun config')
    .argument('<action>', CONFIG_ACTIONS.join(', '))
    .option('--only-changed', 'only show settings that differ from the defaults')
    .option('-t, --type <type>', 'base (default), connection, or all', 'base')
    .exitOverride();
}

/** `tsrun config dump [--only-changed] [-t base|connection|all]`: ansible-config's dump. */
export function configProgram(argv: string[]): number {
  const program = configCommandLine();
  program.parse(argv);
  const [action] = program.processedArgs as [string];
  if (!CONFIG_ACTIONS.includes(action)) throw new TsrunError(`unknown config action '${action}'; tsrun config supports: dump`, { exitCode: 2 });
  const o = program.opts<{ onlyChanged?: boolean; type: string }>();
  if (!['base', 'connection', 'all'].includes(o.type)) throw new TsrunError(`-t ${o.type}: expected base, connection or all`, { exitCode: 2 });
  const config = loadConfig();
  for (const w of config.warnings) process.stderr.write(warningText(w, displayColumns(process.stdout.isTTY ? process.stdout.columns : undefined)));
  for (const n of configNotes(config)) process.stderr.write(`[tsrun] ${n}\n`);
  if (o.type !== 'connection') process.stdout.write(dumpConfig(config, Boolean(o.onlyChanged)));
  if (o.type !== 'base') process.stdout.write(dumpSshConfig(config, Boolean(o.onlyChanged)));
  return 0;
}
