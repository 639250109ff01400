/**
 * One set of ajv options for the validators compiled at run time and ahead of time
 * (schema-precompile.ts): allErrors so the first error in file order can be chosen, verbose for
 * parentSchema. The schemas are tsrun's own, checked against the JSON Schema meta-schema by the
 * tests (test/modules/files/scripts.test.ts, test/cli/schema.test.ts); checking them again at
 * run time would compile the meta-schema first, ~40 ms before the first task of every run.
 */
export const AJV_OPTIONS = { allErrors: true, verbose: true, strict: false, validateSchema: false } as const;
