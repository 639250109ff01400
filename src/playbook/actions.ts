import type { ModuleDef } from '../modules/types.js';

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
  def?: ModuleDef;
}

export function stripFqcn(name: string): string {
  for (const p of FQCN_PREFIXES) if (name.startsWith(p)) return name.slice(p.length);
  return name;
}

export function resolveAction(name: string, modules: ReadonlyMap<string, ModuleDef>): ResolvedAction | undefined {
  const direct = modules.get(name);
  if (direct) return { name: direct.name, def: direct };
  const short = stripFqcn(name);
  const def = modules.get(short);
  if (def) return { name: def.name, def };
  const legacy = LEGACY_ALIASES[short] ?? short;
  if (EXECUTOR_ACTIONS.has(legacy)) return { name: legacy };
  return undefined;
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The closest known action name, for "did you mean" hints. */
export function suggestAction(name: string, modules: ReadonlyMap<string, ModuleDef>): string | undefined {
  const short = stripFqcn(name);
  let best: string | undefined;
  let bestD = Infinity;
  for (const candidate of [...modules.keys(), ...EXECUTOR_ACTIONS]) {
    if (candidate.includes('.')) continue;
    const d = distance(short, candidate);
    if (d < bestD) {
      best = candidate;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(short.length / 3)) ? best : undefined;
}

/** Modules (or executor actions) that accept free-form text beside k=v arguments. */
export function acceptsRawParams(action: ResolvedAction): boolean {
  if (!action.def) return true;
  if (action.def.freeForm) return true;
  const props = action.def.argsSchema.properties as Record<string, unknown> | undefined;
  return props !== undefined && Object.prototype.hasOwnProperty.call(props, '_raw_params');
}
