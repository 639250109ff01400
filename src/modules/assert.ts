import { defineModule, type ModuleResult } from './types.js';


const argsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['that'],
  properties: {
    that: { anyOf: [{ type: 'string' }, { type: 'boolean' }, { type: 'array', items: { type: ['string', 'boolean'] } }] },
    fail_msg: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], default: 'Assertion failed' },
    msg: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    success_msg: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], default: 'All assertions passed' },
    quiet: { type: 'boolean', default: false },
  },
} as const;

const assert = defineModule({
  name: 'assert',
  aliases: ['ansible.builtin.assert'],
  checkMode: true,
  controlOnly: true,
  argsSchema,
  async run(ctx): Promise<ModuleResult> {
    const a = ctx.args;
    // Ansible's assert reads `that` untemplated: a list's items are conditionals (templated when
    // evaluated, warning about {{ }}), a string is templated first (it may name a list).
    let thats: unknown = 'that' in ctx.rawArgs ? ctx.rawArgs.that : a.that;
    if (typeof thats === 'string') thats = ctx.render(thats);
    const conditions = Array.isArray(thats) ? thats : [thats];
    for (const cond of conditions) {
      if (!ctx.condition(cond)) {
        return {
          failed: true,
          changed: false,
          evaluated_to: false,
          assertion: cond,
          msg: (a.fail_msg ?? a.msg ?? 'Assertion failed') as string,
        };
      }
    }
    const r: ModuleResult = { changed: false, msg: (a.success_msg ?? 'All assertions passed') as string };
    if (!a.quiet) r._ansible_verbose_always = true;
    return r;
  },
});

export default assert;
