import { defineModule, type ModuleResult } from './types.js';

/**
 * Ansible's group_by action: names the group (spaces become dashes); the executor puts the
 * host in it (and decides `changed`) when it records the result.
 */
const groupBy = defineModule({
  name: 'group_by',
  aliases: ['ansible.builtin.group_by'],
  checkMode: true,
  controlOnly: true,
  argsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { key: { type: 'string' }, parents: { type: ['array', 'string'], items: { type: 'string' }, default: 'all' } },
  } as const,
  async run(ctx): Promise<ModuleResult> {
    const { key, parents } = ctx.args;
    if (key === undefined) return { failed: true, changed: false, msg: "the 'key' param is required when using group_by" };
    // An action plugin without an argument spec: a string is one group (never split on commas).
    const list = parents === undefined ? ['all'] : Array.isArray(parents) ? parents : [parents];
    return { changed: false, add_group: key.replace(/ /g, '-'), parent_groups: list.map((p) => p.replace(/ /g, '-')) };
  },
});

export default groupBy;
