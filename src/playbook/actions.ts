import type { LoaderModule } from './context.js';
import { closestName } from '../util/suggest.js';

/** Actions the executor runs itself rather than through a module. */
export const EXECUTOR_ACTIONS: ReadonlySet<string> = new Set(['include_tasks', 'import_tasks', 'include_role', 'import_role', 'meta']);

/** Legacy `include:` behaves as include_tasks here (Ansible 2.14 decides static/dynamic heuristically). */
const LEGACY_ALIASES: Record<string, string> = { include: 'include_tasks' };

export const META_ACTIONS: ReadonlySet<string> = new Set([
  'noop', 'flush_handlers', 'refresh_inventory', 'clear_facts', 'clear_host_errors',
  'end_play', 'end_host', 'end_batch', 'reset_connection', 'role_complete',
]);

const FQCN_PREFIXES = ['ansible.builtin.', 'ansible.legacy.'];

export interface ResolvedAction {
  /** Canonical name: module's `name`, or the executor action. */
  name: string;
  def?: LoaderModule;
}

export function stripFqcn(name: string): string {
  for (const p of FQCN_PREFIXES) if (name.startsWith(p)) return name.slice(p.length);
  return name;
}

export function resolveAction(name: string, modules: ReadonlyMap<string, LoaderModule>): ResolvedAction | undefined {
  const direct = modules.get(name);
  if (direct) return { name: direct.name, def: direct };
  const short = stripFqcn(name);
  const def = modules.get(short);
  if (def) return { name: def.name, def };
  const legacy = LEGACY_ALIASES[short] ?? short;
  if (EXECUTOR_ACTIONS.has(legacy)) return { name: legacy };
  return undefined;
}

/** The closest known action name, for "did you mean" hints. */
export function suggestAction(name: string, modules: ReadonlyMap<string, LoaderModule>): string | undefined {
  return closestName(stripFqcn(name), [...modules.keys(), ...EXECUTOR_ACTIONS].filter((c) => !c.includes('.')));
}

/** Modules (or executor actions) that accept free-form text beside k=v arguments. */
export function acceptsRawParams(action: ResolvedAction): boolean {
  if (!action.def) return true;
  if (action.def.freeForm) return true;
  const props = action.def.argsSchema.properties as Record<string, unknown> | undefined;
  return props !== undefined && Object.prototype.hasOwnProperty.call(props, '_raw_params');
}
