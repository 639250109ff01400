/**
 * JSON Schemas for editors (the YAML language server): playbooks, task files, role meta and YAML
 * inventories. They are built from the schemas the loader validates with (play, task, block and
 * role keywords; every module's argument schema), so an editor and tsrun agree on what is valid.
 * Adapted for editing: any value may be a `{{ template }}` string (the engine checks types after
 * templating), conditions and loops get the shapes Ansible accepts, and a task must name
 * exactly one action. Pure: a module registry in, schema documents out.
 */
import type { ModuleDef } from '../../modules/types.js';
import { EXECUTOR_ACTIONS } from '../../playbook/actions.js';
import { blockSchema, handlerSchema, includeRoleArgsSchema, includeTasksArgsSchema, taskKeywords } from '../../playbook/schema/task.js';
import { importPlaybookSchema, playSchema } from '../../playbook/schema/play.js';
import { roleEntryKeywords, roleMetaSchema } from '../../playbook/schema/role.js';
import { BOOL_WORDS } from '../../util/ansible-bool.js';

type Schema = Record<string, unknown>;

const DRAFT = 'http://json-schema.org/draft-07/schema#';
export const SCHEMA_NAMES = ['playbook', 'tasks', 'handlers', 'role-meta', 'inventory'] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

const TEMPLATE: Schema = { type: 'string', pattern: '\\{\\{' };
const FQCN = ['ansible.builtin.', 'ansible.legacy.'];

function acceptsString(s: Schema): boolean {
  if (s.enum !== undefined || s.pattern !== undefined) return false;
  if (s.type === undefined && s.anyOf === undefined) return true;
  const t = s.type;
  return t === 'string' || (Array.isArray(t) && t.includes('string')) || (Array.isArray(s.anyOf) && (s.anyOf as Schema[]).some(acceptsString));
}

/** Every property value also accepts a `{{ template }}` where it does not take strings already. */
function templatable(s: Schema): Schema {
  const out: Schema = { ...s };
  for (const k of ['properties', 'patternProperties'] as const) {
    if (s[k]) out[k] = Object.fromEntries(Object.entries(s[k] as Schema).map(([p, ps]) => [p, templatableValue(ps as Schema)]));
  }
  return out;
}

/** A word matched case-insensitively, as Ansible lowercases boolean words: `yes` -> `[yY][eE][sS]`. */
const anyCase = (w: string) => [...w].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join('');
const BOOL_TEXT = `^\\s*(${[...BOOL_WORDS.true, ...BOOL_WORDS.false].map(anyCase).join('|')})\\s*$`;

/**
 * A boolean as the engine converts it (src/util/ansible-bool.ts): true/false, 1/0, one of
 * Ansible's boolean words, or a template. Any other text ("perhaps") fails the task, so the
 * editor flags it.
 */
function booleanValue(s: Schema): Schema {
  const { type: _type, ...rest } = s;
  return { ...rest, anyOf: [{ type: 'boolean' }, { enum: [0, 1] }, { type: 'string', pattern: BOOL_TEXT }, TEMPLATE] };
}

const isBoolean = (s: Schema): boolean => s.enum === undefined && (s.type === 'boolean' || (Array.isArray(s.type) && s.type.includes('boolean')));

function templatableValue(s: Schema): Schema {
  if (isBoolean(s)) return booleanValue(s);
  const inner = s.properties ? templatable(s) : s;
  return acceptsString(inner) ? inner : { anyOf: [inner, TEMPLATE] };
}

const propsOf = (s: Schema): Schema => (templatable(s).properties ?? {}) as Schema;

/** Conditions: a string, a boolean, or a list of them (the loader defers them; Ansible wants these). */
const condition: Schema = { description: 'a condition or a list of conditions', anyOf: [{ type: ['string', 'boolean'] }, { type: 'array', items: { type: ['string', 'boolean'] } }] };
// Text without a template is not a list: Ansible fails the task ("Invalid data passed to 'loop'").
const loopValue: Schema = { description: 'a list, or a template that gives one', anyOf: [{ type: 'array' }, TEMPLATE] };
const conditionKeys = { when: condition, changed_when: condition, failed_when: condition, until: condition };

function actionNames(def: ModuleDef): string[] {
  const names = [def.name, ...(def.aliases ?? [])];
  for (const n of [...names]) if (!n.includes('.')) for (const p of FQCN) names.push(`${p}${n}`);
  return [...new Set(names)];
}

/** The value under a module key: its arguments as a mapping, or `k=v` / free-form text. */
function moduleValue(def: ModuleDef): Schema {
  const args = templatable(def.argsSchema);
  const { _raw_params: _raw, ...props } = (args.properties ?? {}) as Schema;
  return { anyOf: [{ ...args, properties: props }, { type: 'string' }, { type: 'null' }] };
}

function executorActions(): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  const includeTasks = { anyOf: [{ type: 'string' }, templatable(includeTasksArgsSchema)] };
  const includeRole = { anyOf: [{ type: 'string' }, templatable(includeRoleArgsSchema)] };
  for (const a of [...EXECUTOR_ACTIONS, 'include']) {
    const value = a.endsWith('_role') ? includeRole : a === 'meta' ? { type: 'string' } : includeTasks;
    for (const name of [a, ...FQCN.map((p) => `${p}${a}`)]) out[name] = value;
  }
  return out;
}

function taskSchemaFor(registry: ReadonlyMap<string, ModuleDef>, handler: boolean): Schema {
  const keywords: Schema = { ...propsOf(handler ? handlerSchema : { properties: taskKeywords }), ...conditionKeys, loop: loopValue };
  keywords.action = { type: ['string', 'object'] };
  keywords.local_action = { type: ['string', 'object'] };
  const actions: Record<string, Schema> = executorActions();
  for (const def of new Set(registry.values())) for (const n of actionNames(def)) actions[n] = { $ref: `#/definitions/args_${def.name}` };
  const actionKeys = [...Object.keys(actions), 'action', 'local_action'];
  return {
    type: 'object',
    properties: { ...keywords, ...actions },
    patternProperties: { '^with_[a-z_]+$': {} },
    additionalProperties: false,
    // Exactly one action per task: two matching branches fail oneOf, as the loader refuses them.
    oneOf: actionKeys.map((k) => ({ required: [k] })),
  };
}

function definitions(registry: ReadonlyMap<string, ModuleDef>): Schema {
  const list = (item: string) => ({ type: ['array', 'null'], items: { $ref: `#/definitions/${item}` } });
  const either = (task: string) => ({ if: { type: 'object', required: ['block'] }, then: { $ref: '#/definitions/block' }, else: { $ref: `#/definitions/${task}` } });
  const args = Object.fromEntries([...new Set(registry.values())].map((def) => [`args_${def.name}`, moduleValue(def)]));
  return {
    ...args,
    task: taskSchemaFor(registry, false),
    handler: taskSchemaFor(registry, true),
    block: {
      type: 'object',
      additionalProperties: false,
      required: ['block'],
      properties: { ...propsOf(blockSchema), when: condition, block: list('taskOrBlock'), rescue: list('taskOrBlock'), always: list('taskOrBlock') },
    },
    taskOrBlock: either('task'),
    handlerOrBlock: either('handler'),
    taskList: list('taskOrBlock'),
    handlerList: list('handlerOrBlock'),
    roleEntry: {
      anyOf: [
        { type: ['string', 'integer'] },
        // Keys that are not keywords are role parameters, so any other key is fine.
        { type: 'object', properties: { ...propsOf({ properties: roleEntryKeywords }), when: condition }, anyOf: [{ required: ['role'] }, { required: ['name'] }] },
      ],
    },
  };
}

function playbook(registry: ReadonlyMap<string, ModuleDef>): Schema {
  const play = templatable(playSchema);
  const props = { ...(play.properties as Schema) };
  for (const k of ['pre_tasks', 'tasks', 'post_tasks']) props[k] = { $ref: '#/definitions/taskList' };
  props.handlers = { $ref: '#/definitions/handlerList' };
  props.roles = { type: ['array', 'null'], items: { $ref: '#/definitions/roleEntry' } };
  const importPb = templatable(importPlaybookSchema);
  const importKeys = Object.keys(importPb.properties as Schema).filter((k) => /(^|\.)import_playbook$|^include$/.test(k));
  return {
    $schema: DRAFT,
    $id: 'tsrun-playbook.schema.json',
    title: 'tsrun / Ansible playbook',
    type: 'array',
    items: {
      if: { type: 'object', anyOf: importKeys.map((k) => ({ required: [k] })) },
      then: importPb,
      else: { ...play, properties: props },
    },
    definitions: definitions(registry),
  };
}

function taskFile(registry: ReadonlyMap<string, ModuleDef>, handlers: boolean): Schema {
  return {
    $schema: DRAFT,
    $id: handlers ? 'tsrun-handlers.schema.json' : 'tsrun-tasks.schema.json',
    title: handlers ? 'tsrun / Ansible handlers file (roles/*/handlers/*.yml)' : 'tsrun / Ansible task file (roles/*/tasks/*.yml, included task files)',
    type: ['array', 'null'],
    items: { $ref: handlers ? '#/definitions/handlerOrBlock' : '#/definitions/taskOrBlock' },
    definitions: definitions(registry),
  };
}

function roleMeta(registry: ReadonlyMap<string, ModuleDef>): Schema {
  const meta = templatable(roleMetaSchema);
  const props = { ...(meta.properties as Schema), dependencies: { type: ['array', 'null'], items: { $ref: '#/definitions/roleEntry' } } };
  return {
    $schema: DRAFT,
    $id: 'tsrun-role-meta.schema.json',
    title: 'tsrun / Ansible role meta/main.yml',
    ...meta,
    properties: props,
    additionalProperties: false,
    definitions: { roleEntry: definitions(registry).roleEntry },
  };
}

/**
 * Ansible's YAML inventory as src/inventory/yaml-parser.ts reads it (that parser has no schema of
 * its own): groups with hosts (host -> vars), children (group -> group) and vars.
 */
function inventory(): Schema {
  const vars = { type: ['object', 'null'] };
  const section = (value: Schema) => ({ anyOf: [{ type: 'string' }, { type: ['object', 'null'], additionalProperties: value }] });
  return {
    $schema: DRAFT,
    $id: 'tsrun-inventory.schema.json',
    title: 'tsrun / Ansible YAML inventory',
    type: ['object', 'null'],
    additionalProperties: { $ref: '#/definitions/group' },
    definitions: {
      group: {
        type: ['object', 'null'],
        additionalProperties: false,
        properties: { hosts: section(vars), children: section({ $ref: '#/definitions/group' }), vars },
      },
    },
  };
}

export function editorSchemas(registry: ReadonlyMap<string, ModuleDef>): Record<SchemaName, Schema> {
  return { playbook: playbook(registry), tasks: taskFile(registry, false), handlers: taskFile(registry, true), 'role-meta': roleMeta(registry), inventory: inventory() };
}
