import { commandModules } from './command-modules.js';
import { fileModules } from './file-modules.js';
import type { ModuleDef } from './types.js';

/** Every module by canonical name and alias; FQCN forms (ansible.builtin.x) are resolved by the loader. */
export function moduleRegistry(): Map<string, ModuleDef> {
  const registry = new Map<string, ModuleDef>();
  for (const def of [...fileModules, ...commandModules]) {
    for (const name of [def.name, ...(def.aliases ?? [])]) {
      if (registry.has(name)) throw new Error(`module name registered twice: ${name}`);
      registry.set(name, def);
    }
  }
  return registry;
}
