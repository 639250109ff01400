import type { Block, Keywords, RoleRef } from '../playbook/types.js';

/** What a task inherits from the play, roles and blocks around it. */
export interface Frame {
  /** Keyword holders from the play inwards (play, role blocks, blocks), not the task itself. */
  chain: Keywords[];
  role?: RoleRef;
  blockVars: Record<string, unknown>[];
  /**
   * The `vars:` (and loop variables) of the include_tasks / include_role / include tasks that
   * lead here, outermost first: Ansible's include params, above set_fact and role params.
   */
  includeParams?: Record<string, unknown>[];
  tags: string[];
  when: unknown[];
  isHandler: boolean;
  /** Inside the `block:` part of a block that has a `rescue:`: a failure here is rescued. */
  rescuable: boolean;
  /**
   * Inside the `block:` or `rescue:` part of a block that has an `always:` (at any depth): a
   * failure here is not final until the always section ends, so any_errors_fatal ignores it.
   */
  alwaysPending?: boolean;
  /** How many include_tasks / include_role lead here (a recursive include must stop). */
  includeDepth?: number;
}

/** The innermost value set for a keyword (task, then blocks, then play), Ansible's inheritance. */
export function nearest<K extends keyof Keywords>(frame: Frame, own: Keywords | undefined, key: K): Keywords[K] | undefined {
  if (own && own[key] !== undefined) return own[key];
  for (let i = frame.chain.length - 1; i >= 0; i--) if (frame.chain[i][key] !== undefined) return frame.chain[i][key];
  return undefined;
}

/**
 * The innermost value of a keyword once rendered by `render`, skipping a holder whose value renders
 * to `omit`: Ansible then takes the value from the enclosing block or play, not the default.
 */
export function nearestRendered<K extends keyof Keywords>(frame: Frame, own: Keywords | undefined, key: K, render: (v: unknown) => unknown, omit: unknown): unknown {
  const holders = own ? [...frame.chain, own] : frame.chain;
  for (let i = holders.length - 1; i >= 0; i--) {
    const v = holders[i][key];
    if (v === undefined) continue;
    const r = render(v);
    if (r !== omit) return r;
  }
  return undefined;
}

/** A frame for the children of a block (or a role's blocks, or an include). */
export function enter(frame: Frame, holder: Keywords, opts: { role?: RoleRef; rescuable?: boolean; alwaysPending?: boolean } = {}): Frame {
  return {
    chain: [...frame.chain, holder],
    role: opts.role ?? frame.role,
    blockVars: Object.keys(holder.vars).length ? [...frame.blockVars, holder.vars] : frame.blockVars,
    includeParams: (holder as Block).legacyIncludeVars ? [...(frame.includeParams ?? []), (holder as Block).legacyIncludeVars!] : frame.includeParams,
    tags: holder.tags.length ? [...frame.tags, ...holder.tags] : frame.tags,
    when: holder.when.length ? [...frame.when, ...holder.when] : frame.when,
    isHandler: frame.isHandler,
    rescuable: opts.rescuable ?? frame.rescuable,
    alwaysPending: opts.alwaysPending ?? frame.alwaysPending,
    includeDepth: frame.includeDepth,
  };
}
