import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { DefaultOutput } from '../output/default.js';
import { mergeDocuments, type MergeInput } from '../output/merge.js';
import { Redactor } from '../output/redact.js';
import { TsrunError } from '../util/errors.js';

/**
 * `tsrun merge [--json] FILE...`: the --json documents of a sharded run (`--shard K/N`, one per
 * shard) as one PLAY RECAP (or one JSON document) and one exit code, as if one run had done it.
 */
export function mergeCommandLine(): Command {
  return new Command('tsrun merge')
    .description('merge the --json documents of the shards of one run into one recap and exit code')
    .argument('<files...>', '--json documents of `tsrun --shard K/N ... --json`, one per shard ("-" reads stdin)')
    .option('--json', 'print the merged JSON document instead of the recap')
    .exitOverride();
}

export function mergeProgram(argv: string[]): number {
  const program = mergeCommandLine();
  program.parse(argv);
  const inputs: MergeInput[] = program.args.map((file) => {
    let text: string;
    try {
      text = readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (e) {
      throw new TsrunError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    // A shard's stdout may carry warnings before the document (as ansible-playbook's does).
    const at = text.indexOf('{');
    try {
      return { source: file, doc: JSON.parse(at >= 0 ? text.slice(at) : text) as unknown };
    } catch (e) {
      throw new TsrunError(`${file}: not a JSON document: ${(e as Error).message}`);
    }
  });
  const merged = mergeDocuments(inputs);
  if (program.opts<{ json?: boolean }>().json) {
    process.stdout.write(`${JSON.stringify(merged.doc, null, 4)}\n`);
  } else {
    const out = new DefaultOutput({ write: (t) => process.stdout.write(t), writeErr: (t) => process.stderr.write(t), color: false, verbosity: 0, diff: false, redactor: new Redactor() });
    out.playbookEnd(merged.doc.stats, merged.elapsedMs, false);
  }
  return merged.exitCode;
}
