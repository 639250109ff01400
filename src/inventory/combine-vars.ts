import { activeConfig } from '../config/index.js';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `hash_behaviour = merge` (ansible.cfg or ANSIBLE_HASH_BEHAVIOUR): dictionaries merge at every precedence level. */
export function mergesHashes(): boolean {
  return activeConfig().get<string>('DEFAULT_HASH_BEHAVIOUR') === 'merge';
}

/** Ansible's merge_hash (recursive, lists replaced): b's keys win, except where both sides hold a dict. */
export function mergeHash(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isPlainObject(out[k]) && isPlainObject(v) ? mergeHash(out[k] as Record<string, unknown>, v) : v;
  return out;
}

/** Ansible's combine_vars: later keys win wholesale, or merge recursively under hash_behaviour=merge. */
export function combineVars(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  return mergesHashes() ? mergeHash(a, b) : { ...a, ...b };
}

/** combine_vars into a live layer (include_vars' host variables): `target` changes in place. */
export function combineInto(target: Record<string, unknown>, b: Record<string, unknown>): void {
  const merge = mergesHashes();
  for (const [k, v] of Object.entries(b)) target[k] = merge && isPlainObject(target[k]) && isPlainObject(v) ? mergeHash(target[k] as Record<string, unknown>, v) : v;
}
