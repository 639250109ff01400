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

/** Python's str() of a value, as Ansible shows loop items: `{'a': 1}`, `['x', True]`. */
export function pyRepr(value: unknown, top = true): string {
  if (typeof value === 'string') return top ? value : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v, false)).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${pyRepr(k, false)}: ${pyRepr(v, false)}`).join(', ')}}`;
  }
  return String(value);
}
