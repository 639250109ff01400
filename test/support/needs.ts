/**
 * Tests that need something of the machine (root, the lab) declare it. Where it is missing they
 * are skipped with the reason printed; under CI=true (set by .ci/run) they fail instead, so a
 * missing install step cannot hide behind a green run.
 */
import { spawnSync } from 'node:child_process';
import { describe, it } from 'vitest';

/** Why this process cannot act as root, or undefined when it can. */
export function rootMissing(): string | undefined {
  return process.getuid?.() === 0 ? undefined : 'needs root (run the tests as root, as .ci/run does)';
}

/** describe() that runs only when `missing` is undefined. */
export function describeIf(missing: string | undefined, name: string, fn: () => void, opts: { timeout?: number } = {}): void {
  if (missing === undefined) {
    describe(name, opts, fn);
    return;
  }
  if (process.env.CI === 'true') throw new Error(`"${name}" cannot run: ${missing}`);
  console.warn(`SKIP "${name}": ${missing}`);
  describe.skip(name, fn);
}

/** it() that runs only when `missing` is undefined. */
export function itIf(missing: string | undefined, name: string, fn: () => Promise<void> | void, timeout?: number): void {
  if (missing === undefined) {
    it(name, fn, timeout);
    return;
  }
  if (process.env.CI === 'true') {
    it(name, () => {
      throw new Error(`cannot run: ${missing}`);
    });
    return;
  }
  console.warn(`SKIP "${name}": ${missing}`);
  it.skip(name, fn);
}

export const describeAsRoot = (name: string, fn: () => void): void => describeIf(rootMissing(), name, fn);
export const itAsRoot = (name: string, fn: () => Promise<void> | void, timeout?: number): void => itIf(rootMissing(), name, fn, timeout);

/** Why `program` (from apt package `pkg`) cannot be used here, or undefined when it runs. */
export function programMissing(program: string, pkg: string, args: string[] = ['--version']): string | undefined {
  return spawnSync(program, args, { stdio: 'ignore' }).status === 0 ? undefined : `needs ${program} (apt package ${pkg}; .ci/run installs it)`;
}
