import { anything, baseKeywords, boolish, intish, objectOf, stringList, stringish, tagList, type Schema } from './common.js';

const taskList: Schema = { description: 'a list of tasks', type: ['array', 'null'], items: { description: 'a mapping (a task or a block)', type: 'object' } };

export const roleEntrySchema: Schema = {
  description: 'a role name or a mapping with role:',
  type: ['string', 'object', 'integer'],
};

/** Ansible's Play is not Conditional: `when` on a play is an error (import_playbook's when is fine). */
const { when: _when, ...playKeywords } = baseKeywords;

export const playSchema: Schema = objectOf(
  {
    ...playKeywords,
    hosts: { description: 'a host pattern or a list of them', anyOf: [{ type: ['string', 'number'] }, { type: 'array', items: { type: ['string', 'number'] } }] },
    user: stringish,
    gather_facts: boolish,
    gather_subset: stringList,
    gather_timeout: intish,
    fact_path: stringish,
    vars_files: { description: 'a file name or a list of them', anyOf: [{ type: 'string' }, { type: 'null' }, { type: 'array' }] },
    roles: { description: 'a list of roles', type: ['array', 'null'], items: roleEntrySchema },
    handlers: taskList,
    pre_tasks: taskList,
    tasks: taskList,
    post_tasks: taskList,
    force_handlers: boolish,
    max_fail_percentage: { description: 'a number', type: ['number', 'string'] },
    serial: { description: 'a number, a percentage or a list of them', anyOf: [{ type: ['integer', 'string'] }, { type: 'array', items: { type: ['integer', 'string'] } }] },
    strategy: { description: 'a strategy name', type: 'string' },
    order: { description: 'one of inventory, sorted, reverse_sorted, reverse_inventory, shuffle', type: 'string' },
  },
  { required: ['hosts'] },
);

export const importPlaybookSchema: Schema = objectOf(
  {
    import_playbook: { description: 'a file name', type: 'string' },
    'ansible.builtin.import_playbook': { description: 'a file name', type: 'string' },
    'ansible.legacy.import_playbook': { description: 'a file name', type: 'string' },
    include: { description: 'a file name', type: 'string' },
    name: stringish,
    when: anything,
    tags: tagList,
    vars: { description: 'a mapping', type: ['object', 'null'] },
  },
);

export const playbookSchema: Schema = {
  description: 'a list of plays',
  type: 'array',
};
