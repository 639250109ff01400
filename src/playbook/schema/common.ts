/**
 * Building blocks for the keyword schemas. Every value schema carries a `description` phrased
 * to complete "'x' must be ...", which is what the error formatter prints.
 */
export type Schema = Record<string, unknown>;

export const boolish: Schema = { description: 'a boolean', type: ['boolean', 'string', 'integer'] };
// A float is accepted: Ansible's int keywords take int(value), so `delay: 0.01` is 0.
export const intish: Schema = { description: 'an integer', type: ['number', 'string'] };
export const numberish: Schema = { description: 'a number', type: ['number', 'string'] };
export const stringish: Schema = { description: 'a string', type: ['string', 'number'] };
export const anything: Schema = {};
export const stringList: Schema = {
  description: 'a string or a list of strings',
  anyOf: [{ type: ['string', 'number'] }, { type: 'array', items: { type: ['string', 'number'] } }],
};
export const tagList: Schema = {
  description: 'a string or a list of strings',
  anyOf: [{ type: ['string', 'integer'] }, { type: 'array', items: { type: ['string', 'integer'] } }],
};
export const varsMapping: Schema = {
  description: 'a mapping of variables',
  anyOf: [{ type: 'object' }, { type: 'null' }, { type: 'array', items: { type: 'object' } }],
};
export const environment: Schema = {
  description: 'a mapping, a template string or a list of those',
  anyOf: [{ type: ['object', 'string', 'null'] }, { type: 'array', items: { type: ['object', 'string'] } }],
};

/** Keywords of Ansible's Base, Conditional, Taggable and Become: valid on plays, blocks, tasks, role entries. */
export const baseKeywords: Record<string, Schema> = {
  // `name:` with no value is no name (Ansible shows the action instead)
  name: { description: 'a string', type: ['string', 'number', 'null'] },
  when: anything,
  tags: tagList,
  vars: varsMapping,
  environment,
  become: boolish,
  become_user: stringish,
  become_method: stringish,
  become_flags: stringish,
  become_exe: stringish,
  no_log: boolish,
  ignore_errors: boolish,
  ignore_unreachable: boolish,
  run_once: boolish,
  any_errors_fatal: boolish,
  check_mode: boolish,
  diff: boolish,
  remote_user: stringish,
  connection: stringish,
  port: intish,
  throttle: intish,
  timeout: intish,
  collections: stringList,
  debugger: stringish,
};

/** Valid in Ansible but not implemented by tsrun: reported as such instead of silently ignored. */
export const UNSUPPORTED_KEYWORDS: ReadonlyMap<string, string> = new Map([
  ['module_defaults', 'module_defaults'],
  ['vars_prompt', 'interactive prompts'],
  ['static', "'static' (removed from Ansible)"],
]);

export function objectOf(properties: Record<string, Schema>, extra: Schema = {}): Schema {
  return { type: 'object', additionalProperties: false, properties, ...extra };
}
