/** JSON Schema fragments shared by the file modules (values arrive templated, so bools may be strings). */
export const boolish = { type: ['boolean', 'string', 'integer'] } as const;
export const str = { type: 'string' } as const;
export const strOrNum = { type: ['string', 'integer', 'number'] } as const;
export const modeProp = { type: ['string', 'integer'] } as const;

/** mode/owner/group/seuser... as Ansible's add_file_common_args; selinux/attributes accepted, ignored. */
export const fileCommonProps = {
  mode: modeProp,
  owner: strOrNum,
  group: strOrNum,
  seuser: str,
  serole: str,
  setype: str,
  selevel: str,
  unsafe_writes: boolish,
  attributes: str,
  attr: str,
} as const;

export function objectSchema<const P extends Record<string, object>>(properties: P, required: string[][] = []) {
  // Each inner list: at least one of these aliases must be present.
  const allOf = required.map((names) => ({ anyOf: names.map((n) => ({ required: [n] })) }));
  return { type: 'object', additionalProperties: false, properties, ...(allOf.length > 0 ? { allOf } : {}) } as const;
}
