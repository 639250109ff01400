import type { ModuleContext, ModuleDef, ModuleResult } from '../../../src/modules/types.js';
import { invoke, localContext, localShell } from '../../support/local-exec.js';

export function ctxFor(args: Record<string, unknown>, overrides: Partial<ModuleContext> = {}, counter?: { execs: number }): ModuleContext {
  return localContext(args, { conn: localShell('localhost', counter), ...overrides });
}

/** Runs a module and returns its result; a thrown error fails the test. */
export async function runModule(mod: ModuleDef, args: Record<string, unknown>, overrides: Partial<ModuleContext> = {}): Promise<ModuleResult> {
  return invoke(mod, ctxFor(args, overrides));
}
