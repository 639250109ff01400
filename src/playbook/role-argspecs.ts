/**
 * Role argument validation (Ansible's Role._prepend_validation_task): when a role has an argument
 * spec for the entry point it is used through (`main`, or include/import_role's tasks_from), a
 * validate_argument_spec task runs first among the role's own tasks, tagged `always`, checking
 * the role's variables and params against that entry point's options.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SourcePos } from '../util/errors.js';
import type { RoleRef, Task } from './types.js';
import { displayPath, readYamlWithPositions, valuePos } from './source.js';
import { validateKeywords } from './validate.js';
import { argumentSpecsSchema } from './schema/role.js';

export type ArgumentSpecs = Record<string, Record<string, unknown> | null>;

/** The action validation tasks run; also the module's name. */
export const VALIDATE_ACTION = 'validate_argument_spec';

function checked(specs: unknown, pos: SourcePos): ArgumentSpecs {
  validateKeywords(argumentSpecsSchema, specs, 'argument_specs', pos);
  return (specs ?? {}) as ArgumentSpecs;
}

/**
 * meta/argument_specs.{yml,yaml,json} when there is one (its `argument_specs` key; a file that
 * is not a mapping holds none), else meta/main.yml's `argument_specs`. They are never combined.
 */
export function loadArgumentSpecs(rolePath: string, meta: Record<string, unknown> | undefined, metaPos: SourcePos): ArgumentSpecs {
  for (const ext of ['.yml', '.yaml', '.json']) {
    const file = join(rolePath, 'meta', `argument_specs${ext}`);
    if (!existsSync(file)) continue;
    const data = readYamlWithPositions(file);
    const pos: SourcePos = { file: displayPath(file), line: 1, column: 1 };
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return {};
    return checked((data as Record<string, unknown>).argument_specs, valuePos(data, 'argument_specs', pos));
  }
  if (!meta || meta.argument_specs === undefined) return {};
  return checked(meta.argument_specs, valuePos(meta, 'argument_specs', metaPos));
}

/**
 * The validation task for one use of a role, or undefined when the entry point has no spec.
 * `params`: the role params given with it (`roles:` entries, meta dependencies), checked as
 * provided arguments; every other value comes from the variables of the role's tasks.
 */
export function validationTask(ref: RoleRef, specs: ArgumentSpecs, entry: string, pos: SourcePos): Task | undefined {
  const spec = Object.prototype.hasOwnProperty.call(specs, entry) ? specs[entry] : undefined;
  // an entry point given as an empty mapping is no spec (Python's truth test)
  if (!spec || Object.keys(spec).length === 0) return undefined;
  const described = spec.short_description !== undefined ? ` - ${String(spec.short_description)}` : '';
  return {
    kind: 'task',
    name: `Validating arguments against arg spec '${entry}'${described}`,
    action: VALIDATE_ACTION,
    args: {
      argument_spec: spec.options === undefined ? {} : spec.options,
      provided_arguments: ref.params,
      validate_args_context: { type: 'role', name: ref.name, argument_spec_name: entry, path: ref.path },
    },
    when: [],
    tags: ['always'],
    vars: {},
    environment: [],
    notify: [],
    changed_when: [],
    failed_when: [],
    listen: [],
    role: ref,
    baseDir: join(ref.path, 'tasks'),
    pos,
  };
}
