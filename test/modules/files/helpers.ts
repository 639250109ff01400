import type { ModuleContext, ModuleResult } from '../../../src/modules/types.js';
import { localContext, localShell } from '../../support/local-exec.js';

export function ctxFor(args: Record<string, unknown>, overrides: Partial<ModuleContext> = {}, counter?: { execs: number }): ModuleContext {
  return localContext(args, { conn: localShell('localhost', counter), ...overrides });
}

/** Runs a module and returns its result; a thrown error fails the test. */
export async function runModule(mod: { run(ctx: ModuleContext): Promise<ModuleResult> }, args: Record<string, unknown>, overrides: Partial<ModuleContext> = {}): Promise<ModuleResult> {
  return mod.run(ctxFor(args, overrides));
}
