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

/** Ansible's argument spec types (module_utils/common/parameters.py DEFAULT_TYPE_VALIDATORS). */
export const ARGSPEC_TYPES = ['str', 'list', 'dict', 'bool', 'int', 'float', 'path', 'raw', 'jsonarg', 'json', 'bytes', 'bits'] as const;

const argspecType: Schema = { description: `one of ${ARGSPEC_TYPES.join(', ')}`, enum: [...ARGSPEC_TYPES, null] };
const nameGroups: Schema = { description: 'a list of lists of option names', type: 'array', items: { type: ['array', 'string'] } };

/**
 * A role's argument_specs (meta/argument_specs.yml or meta/main.yml's key): entry point ->
 * { short_description, description, options }, an option -> { type, required, default, choices,
 * elements, aliases, options (nested), apply_defaults, mutually_exclusive ... }. Keys Ansible does
 * not read (description, version_added, removed_in...) are allowed: they document.
 */
export const argumentSpecsSchema: Schema = {
  description: 'a mapping of entry points',
  type: ['object', 'null'],
  additionalProperties: {
    description: 'a mapping (short_description, description, options)',
    type: ['object', 'null'],
    // Ansible hands an entry point's options to validate_argument_spec, which wants a mapping
    properties: { options: { description: 'a mapping of option names to their specs', type: 'object', additionalProperties: { $ref: '#/definitions/option' } } },
  },
  definitions: {
    option: {
      description: 'a mapping (type, required, default, choices...)',
      type: 'object',
      properties: {
        type: argspecType,
        elements: argspecType,
        required: boolish,
        choices: { description: 'a list', type: 'array' },
        aliases: { description: 'a list of names', type: 'array', items: stringish },
        options: { description: 'a mapping of option names to their specs', type: ['object', 'null'], additionalProperties: { $ref: '#/definitions/option' } },
        apply_defaults: boolish,
        no_log: boolish,
        mutually_exclusive: nameGroups,
        required_together: nameGroups,
        required_one_of: nameGroups,
        required_if: { description: 'a list of [option, value, [options]] lists', type: 'array', items: { type: 'array', minItems: 3, maxItems: 4 } },
        required_by: { description: 'a mapping of option names to lists of names', type: 'object' },
      },
    },
  },
};
