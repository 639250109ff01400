/**
 * How much YAML a load may parse before it is stopped (ReadBudgetExceeded), so the CLI can load
 * small playbooks on the main thread and hand larger ones to a worker thread, where a Ctrl-C need
 * not wait for the load (cli/load-playbooks.ts). The measure is YAML tokens, what parsing costs
 * (about 2 µs each, their nodes included): a 10 MB block of text is a few dozen, a 10 MB list of
 * short values millions. Bytes are bounded too, for the cost of merely reading and scanning.
 */

export interface LoadBudget {
  tokens: number;
  bytes: number;
}

/** Thrown when a load goes over its budget: not an error in the files. */
export class ReadBudgetExceeded extends Error {
  constructor() {
    super('the load reads more YAML than its budget');
  }
}

let left: LoadBudget | undefined;

/** Runs a load within `budget` (all files together); without one, loads are unbounded. */
export function withLoadBudget<T>(budget: LoadBudget, fn: () => T): T {
  const previous = left;
  left = { ...budget };
  try {
    return fn();
  } finally {
    left = previous;
  }
}

/** Before a file is read: its size. */
export function spendBytes(size: number): void {
  if (!left) return;
  left.bytes -= size;
  if (left.bytes < 0) throw new ReadBudgetExceeded();
}

/**
 * The parser calls this for each YAML token it reads (yaml-compose.ts), so the budget is counted
 * in the one pass that parses, not in a second lexing of the text (a tenth of a 1000-task load).
 * Undefined without a budget.
 */
export function tokenMeter(): (() => void) | undefined {
  const budget = left;
  if (!budget) return undefined;
  return () => {
    if (--budget.tokens < 0) throw new ReadBudgetExceeded();
  };
}

/**
 * A parse read back from the cache (parse-cache.ts) costs no tokens to parse but still costs its
 * size to use: `n` is its measure in tokens, so a load that is large when parsed is large when
 * read back too, and goes to the worker thread all the same.
 */
export function spendTokens(n: number): void {
  if (!left) return;
  left.tokens -= n;
  if (left.tokens < 0) throw new ReadBudgetExceeded();
}
