export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Ansible's combine_vars with the default `hash_behaviour = replace`: later keys replace
 * earlier ones wholesale. `recursive` is the merge Ansible uses for set_variable on mappings.
 */
export function combineVars(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  recursive = false,
): Record<string, unknown> {
  if (!recursive) return { ...a, ...b };
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const old = out[k];
    out[k] = isPlainObject(old) && isPlainObject(v) ? combineVars(old, v, true) : v;
  }
  return out;
}
