/**
 * validate_argument_spec: checks variables against an argument spec as Ansible's action plugin
 * does (role argument validation runs it as a role's first task, see
 * src/playbook/role-argspecs.ts). Values are the task's variables named in the spec (rendered)
 * with `provided_arguments` over them; the messages are Ansible's (src/argspec/validate.ts).
 */
import { validateArguments, type ArgSpec } from '../argspec/validate.js';
import { plainPyClass, type PyClassOf } from '../argspec/py-class.js';
import type { VarSource } from '../template/var-source.js';
import { isFloatLiteral } from '../yaml/float-marks.js';
import { defineModule, type ModuleResult } from './types.js';

const argsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // any value: a wrong type gets Ansible's own message from run()
    argument_spec: { description: 'a mapping of option names to their specs' },
    provided_arguments: { description: 'a mapping of option names to values', default: {} },
    validate_args_context: { description: 'a mapping naming what is validated (role validation sets it)', default: {} },
  },
} as const;

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Python's class repr of a value that is not a dict, for Ansible's "Incorrect type" messages. */
const classText = (v: unknown): string => `<class '${plainPyClass(v)}'>`;

/**
 * type() as Ansible would see it: a string stored in a variable as written (YAML) is an
 * AnsibleUnicode, one a template produced, or a fact or result, a str; a number written `37.`
 * in YAML is a float. Found by walking the variable's stored value along the option path.
 */
function classesFrom(vars: VarSource): PyClassOf {
  return (value, path) => {
    const plain = plainPyClass(value);
    if (plain !== 'str' && plain !== 'int') return plain;
    const origin = vars.origin?.(String(path[0]));
    let container: unknown = origin?.values;
    let key = path[0];
    for (const k of path.slice(1)) {
      container = isMapping(container) || Array.isArray(container) ? (container as Record<string | number, unknown>)[key] : undefined;
      key = k;
    }
    const raw = isMapping(container) || Array.isArray(container) ? (container as Record<string | number, unknown>)[key] : undefined;
    if (plain === 'int') return raw === value && isFloatLiteral(container, key) ? 'float' : 'int';
    if (origin && !origin.templated) return 'str';
    return typeof raw === 'string' && raw !== value ? 'str' : 'AnsibleUnicode';
  };
}

const validateArgumentSpec = defineModule({
  name: 'validate_argument_spec',
  aliases: ['ansible.builtin.validate_argument_spec'],
  checkMode: true,
  controlOnly: true,
  argsSchema,
  async run(ctx): Promise<ModuleResult> {
    const a = ctx.args;
    const context = a.validate_args_context ?? {};
    if (a.argument_spec === undefined) return { failed: true, msg: `"argument_spec" arg is required in args: ${JSON.stringify(a)}`, validate_args_context: context };
    if (!isMapping(a.argument_spec)) return { failed: true, msg: `Incorrect type for argument_spec, expected dict and got ${classText(a.argument_spec)}`, validate_args_context: context };
    const provided = a.provided_arguments ?? {};
    if (!isMapping(provided)) return { failed: true, msg: `Incorrect type for provided_arguments, expected dict and got ${classText(provided)}`, validate_args_context: context };
    const spec = a.argument_spec as ArgSpec;
    const fromVars: Record<string, unknown> = {};
    for (const name of Object.keys(spec)) if (ctx.vars.has(name)) fromVars[name] = ctx.vars.lookup(name);
    const { errors } = validateArguments(spec, { ...fromVars, ...provided }, classesFrom(ctx.vars));
    if (errors.length > 0) {
      return {
        failed: true,
        msg: `Validation of arguments failed:\n${errors.join('\n')}`,
        argument_spec_data: spec,
        argument_errors: errors,
        validate_args_context: context,
      };
    }
    return { changed: false, msg: 'The arg spec validation passed', validate_args_context: context };
  },
});

export default validateArgumentSpec;
