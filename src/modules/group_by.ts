import type { ModuleDef, ModuleResult } from './types.js';

/**
 * Ansible's group_by action: names the group (spaces become dashes); the executor puts the
 * host in it (and decides `changed`) when it records the result.
 */
const groupBy: ModuleDef = {
  name: 'group_by',
  aliases: ['ansible.builtin.group_by'],
  checkMode: true,
  controlOnly: true,
  argsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { key: { type: 'string' }, parents: { type: ['array', 'string'], items: { type: 'string' }, default: 'all' } },
  },
  async run(ctx): Promise<ModuleResult> {
    const { key, parents } = ctx.args as { key?: unknown; parents?: unknown };
    if (key === undefined) return { failed: true, changed: false, msg: "the 'key' param is required when using group_by" };
    const list = parents === undefined ? ['all'] : Array.isArray(parents) ? parents : [parents];
    return { changed: false, add_group: String(key).replace(/ /g, '-'), parent_groups: list.map((p) => String(p).replace(/ /g, '-')) };
  },
};

export default groupBy;
