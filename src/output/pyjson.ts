/** JSON as Python's json.dumps(sort_keys=True) writes it, which is what Ansible prints. */
export function pyJson(value: unknown, indent?: number): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
    }
    return v === undefined ? null : v;
  };
  if (indent) return JSON.stringify(sorted(value), null, indent);
  const compact = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(compact).join(', ')}]`;
    if (v !== null && typeof v === 'object') {
      return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${compact(x)}`).join(', ')}}`;
    }
    return JSON.stringify(v) ?? 'null';
  };
  return compact(sorted(value));
}
