/**
 * JSON Schema fragments shared by the file modules. Arguments reach a module after the engine's
 * pipeline (render → convert → validate, executor/module-args.ts), so `bool` arguments are real
 * booleans ("yes" converted) and `str` arguments real strings (1 converted to "1"), as Ansible's
 * argument spec gives them.
 */
export const bool = { type: 'boolean' } as const;
export const str = { type: 'string' } as const;
/** Ansible's mode is `raw`: an int is the mode's value, a string is octal digits or symbolic. */
export const modeProp = { type: ['string', 'integer'] } as const;

/**
 * An argument Ansible has and tsrun does not implement: given with any value but the listed
 * ones (those that mean what tsrun does anyway), the task fails naming it, never silently
 * ignoring it (module-args.ts reads `unsupported`).
 */
export function unsupported<const S extends object, const V extends readonly unknown[] = []>(schema: S, why: string, accepts?: V) {
  return { ...schema, unsupported: why, ...(accepts ? { accepts } : {}) } as S & { readonly unsupported: string; readonly accepts?: V };
}

/** Ansible's add_file_common_args: mode/owner/group implemented; SELinux and chattr attributes refused unless empty. */
export const fileCommonProps = {
  mode: modeProp,
  owner: str,
  group: str,
  seuser: unsupported(str, 'SELinux contexts are not set by tsrun', ['']),
  serole: unsupported(str, 'SELinux contexts are not set by tsrun', ['']),
  setype: unsupported(str, 'SELinux contexts are not set by tsrun', ['']),
  selevel: unsupported(str, 'SELinux contexts are not set by tsrun', ['']),
  unsafe_writes: unsupported(bool, 'tsrun always writes through a temp file and a rename', [false]),
  attributes: unsupported(str, 'chattr attributes are not set by tsrun', ['']),
  attr: unsupported(str, 'chattr attributes are not set by tsrun', ['']),
} as const;

/**
 * An args schema: `required` names are typed as present in `Infer<>`; each `oneOf` list is a set
 * of aliases of which at least one must be given (`path`/`dest`/`name`).
 */
export function objectSchema<const P extends Record<string, object>, const R extends readonly (keyof P & string)[] = []>(
  properties: P,
  opts: { required?: R; oneOf?: readonly (readonly (keyof P & string)[])[] } = {},
) {
  const allOf = (opts.oneOf ?? []).map((names) => ({ anyOf: names.map((n) => ({ required: [n] })) }));
  return { type: 'object', additionalProperties: false, properties, required: (opts.required ?? []) as R, ...(allOf.length > 0 ? { allOf } : {}) } as const;
}
