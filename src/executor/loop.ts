import type { LoopControl, Task } from '../playbook/types.js';
import { toBool } from '../util/ansible-bool.js';
import { TsrunError } from '../util/errors.js';
import { loopLookupItems, renderValue, UndefinedVariableError } from '../template/index.js';
import type { Scope } from '../vars/scope.js';
import { holdsUnsafeText, trackUnsafe } from '../vars/unsafe.js';

/** Ansible's `_subdir` for a with_ lookup: where a relative file name is looked for, from the task's action. */
function subdirOf(action: string): string {
  for (const kind of ['template', 'var', 'file']) if (action.includes(kind)) return `${kind}s`;
  return 'files';
}

/** with_first_found keeps going past a name that is undefined (Ansible templates it with fail_on_undefined off). */
function firstFoundTerms(loop: unknown, scope: Scope, searchPath: string[]): unknown {
  if (!Array.isArray(loop)) return renderValue(loop, { vars: scope, searchPath });
  return loop.flatMap((t) => {
    try {
      return [renderValue(t, { vars: scope, searchPath })];
    } catch (err) {
      if (err instanceof UndefinedVariableError) return [];
      throw err;
    }
  });
}

/**
 * A task's loop items for `scope`: `loop:` must be a list; `with_<name>:` is the lookup of that
 * name over the templated value, searched like the task's other files (searchPath).
 */
export function loopItems(task: Task, scope: Scope, searchPath: string[]): LoopItems {
  const kind = task.loopKind ?? 'loop';
  if (kind === 'loop') {
    const tracker = trackUnsafe(scope);
    const value = renderValue(task.loop, { vars: tracker, searchPath });
    if (!Array.isArray(value)) throw new TsrunError(`Invalid data passed to 'loop', it requires a list, got this instead: ${JSON.stringify(value)}`);
    return { items: value, safe: !tracker.touched() && !holdsUnsafeText(task.loop) };
  }
  const name = kind.slice('with_'.length);
  const value = name === 'first_found' ? firstFoundTerms(task.loop, scope, searchPath) : renderValue(task.loop, { vars: scope, searchPath });
  // a lookup's results are unsafe in Ansible, so are the items of a with_ loop
  return { items: loopLookupItems(name, value, { vars: scope, searchPath }, subdirOf(task.action)), safe: false };
}

/** A loop's items, and whether they are safe (see src/vars/unsafe.ts): a `loop:` that read no unsafe value. */
export interface LoopItems {
  items: unknown[];
  safe: boolean;
}

/** loop_control's loop_var (default `item`) and index_var, templated as Ansible templates loop_control. */
export function loopVarNames(lc: LoopControl, scope: Scope): { loopVar: string; indexVar?: string } {
  const name = (v: string | undefined) => (v === undefined ? undefined : String(renderValue(v, { vars: scope })));
  return { loopVar: name(lc.loop_var) ?? 'item', indexVar: name(lc.index_var) };
}

/** loop_control.extended: Ansible's `ansible_loop` for item `i` of `items`; `lc.extended_allitems: false` leaves allitems out. */
export function extendedLoopVars(items: unknown[], i: number, lc: LoopControl = {}): Record<string, unknown> {
  return {
    ...(lc.extended_allitems === undefined || toBool(lc.extended_allitems) ? { allitems: items } : {}),
    index: i + 1, index0: i, revindex: items.length - i, revindex0: items.length - i - 1,
    first: i === 0, last: i === items.length - 1, length: items.length,
    // no previtem on the first item and no nextitem on the last: the keys are absent, as in Ansible
    ...(i > 0 ? { previtem: items[i - 1] } : {}), ...(i < items.length - 1 ? { nextitem: items[i + 1] } : {}),
  };
}
