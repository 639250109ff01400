import { defineModule, type ModuleResult } from './types.js';
import { truthy } from '../template/python.js';


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
    const conditions = Array.isArray(a.that) ? a.that : [a.that];
    for (const cond of conditions) {
      const ok = typeof cond === 'boolean' ? cond : truthy(ctx.evaluate(cond));
      if (!ok) {
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
