import { CommanderError } from 'commander';
import { TsrunError } from '../util/errors.js';
import { completeProgram, completionProgram } from './completion.js';
import { docProgram } from './doc.js';
import { operatorErrorText } from '../output/excerpt.js';
import { inventoryProgram } from './inventory-program.js';
import { mergeProgram } from './merge-program.js';
import { schemaProgram } from './schema.js';
import { runPlaybooks } from './playbook.js';
import { vaultProgram } from './vault-program.js';
import { configProgram } from './config-program.js';

export { ranPlays } from './playbook.js';

/**
 * Entry point. Returns the exit status instead of exiting, so output is flushed first.
 * Operator mistakes print `ERROR! ...` and, as Ansible does, the file, line and column and that
 * line (output/excerpt.ts); only a bug prints a stack, and only at -vvv.
 */
export interface MainOptions {
  /** What the running code is (the bundle's digest, cli/code-cache.ts); without it nothing is kept between runs. */
  codeIdentity?: string;
}

export async function main(argv: string[], opts: MainOptions = {}): Promise<number> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(99);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    if (argv[2] === 'inventory') return inventoryProgram(argv.slice(1));
    if (argv[2] === 'vault') return await vaultProgram(argv.slice(1));
    if (argv[2] === 'config') return configProgram(argv.slice(1));
    if (argv[2] === 'merge') return mergeProgram(argv.slice(1));
    if (argv[2] === 'doc') return docProgram(argv.slice(1), (t) => process.stdout.write(t));
    if (argv[2] === 'schema') return schemaProgram(argv.slice(1), process.cwd(), (t) => process.stdout.write(t));
    if (argv[2] === 'completion') return completionProgram(argv.slice(1), (t) => process.stdout.write(t));
    if (argv[2] === '__complete') return completeProgram(argv.slice(1), process.cwd(), (t) => process.stdout.write(t));
    return await runPlaybooks(argv, controller.signal, opts.codeIdentity);
  } catch (err) {
    // A usage mistake (unknown option, bad option value): ansible-playbook's argparse exits 2.
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof TsrunError) {
      const text = operatorErrorText(err, process.cwd());
      process.stderr.write(`ERROR! ${text}${text.endsWith('\n') ? '' : '\n'}`);
      return err.exitCode;
    }
    const verbose = argv.some((a) => /^-v{3,}$/.test(a));
    process.stderr.write(`ERROR! Unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (verbose && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return 250;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}
