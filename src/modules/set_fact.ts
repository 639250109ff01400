import { activeConfig } from '../config/index.js';
import { defineModule, type ModuleResult } from './types.js';

const NAME = '^[A-Za-z_][A-Za-z0-9_]*$';

/** Ansible (without jinja2_native) turns "yes"/"no"/"true"/"false" strings into booleans. */
export function setFactValue(v: unknown, native = false): unknown {
  if (native) return v;
  if (typeof v === 'string' && ['true', 'yes'].includes(v.toLowerCase())) return true;
  if (typeof v === 'string' && ['false', 'no'].includes(v.toLowerCase())) return false;
  return v;
}

const setFact = defineModule({
  name: 'set_fact',
  aliases: ['ansible.builtin.set_fact'],
  checkMode: true,
  factsLayer: 'setFacts',
  controlOnly: true,
  argsSchema: {
    type: 'object',
    // Keys may be templates (`"{{ item }}": v`), so, as in Ansible, names are checked once rendered, at run time.
    additionalProperties: true,
    properties: { cacheable: { type: 'boolean' } },
  } as const,
  async run(ctx): Promise<ModuleResult> {
    const facts: Record<string, unknown> = {};
    let cacheable = false;
    for (const [k, v] of Object.entries(ctx.args)) {
      if (k === 'cacheable') {
        cacheable = ctx.args.cacheable ?? false;
        continue;
      }
      if (!new RegExp(NAME).test(k))
        return {
          failed: true,
          changed: false,
          msg: `The variable name '${k}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.`,
        };
      facts[k] = setFactValue(v, activeConfig().get<boolean>('DEFAULT_JINJA2_NATIVE'));
    }
    if (Object.keys(facts).length === 0)
      return { failed: true, changed: false, msg: 'No key/value pairs provided, at least one is required for this action to succeed' };
    return { changed: false, ansible_facts: facts, _ansible_facts_cacheable: cacheable };
  },
});

export default setFact;
