import { anything, baseKeywords, boolish, intish, numberish, objectOf, stringList, stringish, type Schema } from './common.js';

export const loopControlSchema: Schema = {
  description: 'a mapping',
  ...objectOf({
    loop_var: stringish,
    index_var: stringish,
    label: anything,
    pause: numberish,
    extended: boolish,
    extended_allitems: boolish,
  }),
};

/** Task keywords (the action key and its arguments are taken out before this schema runs). */
export const taskKeywords: Record<string, Schema> = {
  ...baseKeywords,
  action: anything,
  local_action: anything,
  args: { description: 'a mapping', type: ['object', 'string'] },
  register: { description: 'a variable name', type: ['string', 'number'] },
  notify: stringList,
  changed_when: anything,
  failed_when: anything,
  until: anything,
  retries: intish,
  delay: intish,
  async: intish,
  poll: intish,
  loop: anything,
  loop_control: loopControlSchema,
  delegate_to: stringish,
  delegate_facts: boolish,
};

export const taskSchema: Schema = objectOf(taskKeywords, { patternProperties: { '^with_[a-z_]+$': anything } });

/** Handlers accept everything a task does plus `listen`. */
export const handlerSchema: Schema = objectOf({ ...taskKeywords, listen: stringList }, { patternProperties: { '^with_[a-z_]+$': anything } });

export const blockSchema: Schema = objectOf({
  ...baseKeywords,
  block: { description: 'a list of tasks', type: ['array', 'null'] },
  rescue: { description: 'a list of tasks', type: ['array', 'null'] },
  always: { description: 'a list of tasks', type: ['array', 'null'] },
  notify: stringList,
  delegate_to: stringish,
  delegate_facts: boolish,
});

/** A task file: a list of mappings (or empty). */
export const taskFileSchema: Schema = {
  description: 'a list of tasks',
  type: ['array', 'null'],
};

/** include_tasks / import_tasks arguments once the free-form file name is in `file`. */
export const includeTasksArgsSchema: Schema = objectOf(
  { file: stringish, _raw_params: stringish, apply: { description: 'a mapping', type: 'object' } },
);

export const includeRoleArgsSchema: Schema = objectOf({
  name: { description: 'a string', type: ['string', 'number', 'null'] },
  role: stringish,
  tasks_from: stringish,
  vars_from: stringish,
  defaults_from: stringish,
  handlers_from: stringish,
  apply: { description: 'a mapping', type: 'object' },
  public: boolish,
  allow_duplicates: boolish,
  rolespec_validate: boolish,
});
