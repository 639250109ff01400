/**
 * Ansible's argument spec converts rendered values to the declared type: `port: "{{ p }}"`
 * renders to the string "18999" and the module receives the int 18999. tsrun's modules declare
 * types in their JSON Schema, so the same conversion reads the types from there.
 */
type Schema = { type?: string | string[]; properties?: Record<string, Schema> };

const TRUE = new Set(['yes', 'on', '1', 'true', 'y', 't']);
const FALSE = new Set(['no', 'off', '0', 'false', 'n', 'f', '']);

function typesOf(schema: Schema | undefined): string[] {
  if (!schema?.type) return [];
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

function coerce(value: unknown, types: string[]): unknown {
  if (types.length === 0 || typeof value !== 'string' || types.includes('string')) {
    if (typeof value === 'number' && types.length > 0 && !types.includes('number') && !types.includes('integer') && types.includes('string')) return String(value);
    return value;
  }
  const text = value.trim();
  if ((types.includes('integer') || types.includes('number')) && /^[-+]?\d+$/.test(text)) return Number.parseInt(text, 10);
  if (types.includes('number') && text !== '' && Number.isFinite(Number(text))) return Number(text);
  if (types.includes('boolean')) {
    const lower = text.toLowerCase();
    if (TRUE.has(lower)) return true;
    if (FALSE.has(lower)) return false;
  }
  if (types.includes('array')) return text === '' ? [] : text.split(',').map((s) => s.trim());
  return value;
}

/** Converts each top-level argument to its schema type where Ansible would. */
export function coerceArgs(args: Record<string, unknown>, schema: Record<string, unknown>): Record<string, unknown> {
  const props = (schema as Schema).properties ?? {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) out[k] = coerce(v, typesOf(props[k]));
  return out;
}
