/**
 * What TAB offers on a tsrun command line, for both shells: the shell scripts hand over the
 * words and the cursor's word index, and print what this returns. Pure: the playbooks, hosts
 * and modules come from providers, so the logic is tested without a filesystem.
 */
import type { Command, Option } from 'commander';

export interface CompletionSources {
  /** The main program (options read from its definition, so completion follows the CLI). */
  program: Command;
  /** Subcommand programs by name; `null` for a subcommand with its own argument completion only. */
  subcommands: Record<string, Command | null>;
  /** The words a subcommand takes as its first argument (`vault` → create, edit...). */
  actions: Record<string, string[]>;
  /** Subcommands whose other arguments are files (vault's FILE..., merge's documents). */
  fileArguments: string[];
  /** Playbook names as operators type them (`deploy` for playbooks/deploy.yml). */
  playbooks(): string[];
  /** Host and group names of these inventory sources (the default inventory when empty). */
  hosts(inventories: string[]): string[];
  modules(): string[];
}

export interface Completion {
  words: string[];
  /** Also offer file names (the shell completes paths better than we can). */
  files: boolean;
}

const HOST_OPTIONS = new Set(['-l', '--limit', '--host']);
const FILE_OPTIONS = new Set(['-i', '--inventory', '--private-key', '--report', '-o', '--out']);

function optionNames(cmd: Command): string[] {
  const opts = (cmd.options as readonly Option[]).flatMap((o) => [o.short, o.long].filter((n): n is string => Boolean(n)));
  return [...opts, '--help'];
}

function takesValue(cmd: Command, name: string): boolean {
  const o = (cmd.options as readonly Option[]).find((x) => x.short === name || x.long === name);
  return Boolean(o?.required);
}

/** Inventory sources already typed (`-i a -i b`, `--inventory=a`). */
function inventories(words: string[], upTo: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < upTo; i++) {
    const w = words[i];
    if ((w === '-i' || w === '--inventory') && i + 1 < upTo) out.push(words[i + 1]);
    else if (w.startsWith('--inventory=')) out.push(w.slice('--inventory='.length));
    else if (/^-i.+/.test(w)) out.push(w.slice(2));
  }
  return out;
}

/** A host pattern list: complete the part after the last separator, keep what came before. */
function patternWords(cur: string, names: string[]): string[] {
  const cut = Math.max(cur.lastIndexOf(','), cur.lastIndexOf(':'));
  const head = cut >= 0 ? cur.slice(0, cut + 1) : '';
  const tail = cur.slice(head.length).replace(/^[!&]/, '');
  const mark = cur.slice(head.length, head.length + 1).match(/[!&]/)?.[0] ?? '';
  return names.filter((n) => n.startsWith(tail)).map((n) => `${head}${mark}${n}`);
}

/**
 * `words` are the command line after the program name; `index` is the word being completed
 * (it may equal words.length when the cursor is after a space).
 */
export function complete(words: string[], index: number, src: CompletionSources): Completion {
  const cur = words[index] ?? '';
  const prev = index > 0 ? words[index - 1] : undefined;
  const sub = words.length > 0 && words[0] in src.subcommands && index > 0 ? words[0] : undefined;
  const cmd = sub ? src.subcommands[sub] : src.program;
  const has = (w: string[]): Completion => ({ words: w.filter((x) => x.startsWith(cur)), files: false });

  if (prev !== undefined && HOST_OPTIONS.has(prev)) return { words: patternWords(cur, src.hosts(inventories(words, index))), files: false };
  if (prev !== undefined && FILE_OPTIONS.has(prev)) return { words: [], files: true };
  if (cur.startsWith('--limit=')) return { words: patternWords(cur.slice(8), src.hosts(inventories(words, index))).map((w) => `--limit=${w}`), files: false };
  if (prev !== undefined && cmd && takesValue(cmd, prev)) return { words: [], files: false };
  if (cur.startsWith('-')) return has(cmd ? optionNames(cmd) : ['--help']);

  if (!sub) {
    const first = index === 0 ? Object.keys(src.subcommands) : [];
    return { words: [...first, ...src.playbooks()].filter((x) => x.startsWith(cur)), files: true };
  }
  if (sub === 'doc') return has(src.modules());
  // The first word after the subcommand that is not an option, or an option's value.
  const positional = words.slice(1, index).filter((w, i, all) => !w.startsWith('-') && !(i > 0 && cmd && takesValue(cmd, all[i - 1])));
  if (src.actions[sub] && positional.length === 0) return has(src.actions[sub]);
  return { words: [], files: src.fileArguments.includes(sub) };
}
