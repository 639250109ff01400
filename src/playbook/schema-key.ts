import { createHash } from 'node:crypto';

/** Name of a schema's precompiled validator (schema-precompile.ts): `k_` and a hash of its JSON. */
export function schemaKey(schema: object): string {
  return `k_${createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 24)}`;
}
