import type { ModuleContext } from '../../../src/modules/types.js';
import { localContext, localShell } from '../../support/local-exec.js';

export function ctxFor(args: Record<string, unknown>, overrides: Partial<ModuleContext> = {}): ModuleContext {
  return localContext(args, { conn: localShell(), ...overrides });
}
