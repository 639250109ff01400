import { anything, baseKeywords, boolish, stringish, type Schema } from './common.js';

/** Keys of a role entry that are keywords; any other key is a role parameter (Ansible's rule). */
export const roleEntryKeywords: Record<string, Schema> = {
  ...baseKeywords,
  role: stringish,
  delegate_to: stringish,
  delegate_facts: boolish,
};

export const roleMetaSchema: Schema = {
  description: 'a mapping',
  type: ['object', 'null'],
  properties: {
    dependencies: { description: 'a list of roles', type: ['array', 'null'], items: { description: 'a role name or a mapping', type: ['string', 'object'] } },
    allow_duplicates: boolish,
    galaxy_info: anything,
    argument_specs: anything,
    collections: anything,
  },
};

export const varsFileSchema: Schema = { description: 'a mapping of variables', type: ['object', 'null'] };
