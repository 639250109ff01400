import { defineModule, type ModuleResult } from './types.js';

const NOT_DEFINED = 'VARIABLE IS NOT DEFINED!';

function isUndefinedError(err: unknown): boolean {
  // Ansible prints the marker for any AnsibleUndefined, a missing attribute or key included
  return /undefined|not defined|has no attribute|object has no element/i.test(String((err as Error)?.message ?? err));
}

const argsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    msg: { default: 'Hello world!' },
    var: { type: 'string' },
    verbosity: { type: 'integer', minimum: 0, default: 0 },
  },
} as const;

const debug = defineModule({
  name: 'debug',
  aliases: ['ansible.builtin.debug'],
  checkMode: true,
  resultIsMessage: true,
  controlOnly: true,
  argsSchema,
  async run(ctx): Promise<ModuleResult> {
    const a = ctx.args;
    if (a.msg !== undefined && a.var !== undefined)
      return { failed: true, changed: false, msg: "'msg' and 'var' are incompatible options" };
    // Ansible exposes the -v count as `ansible_verbosity`; the executor sets it the same way.
    const current = Number(ctx.vars.lookup('ansible_verbosity') ?? 0);
    if ((a.verbosity ?? 0) > current)
      return { skipped: true, changed: false, skipped_reason: 'Verbosity threshold not met.' };
    if (a.var === undefined) return { changed: false, msg: (a.msg ?? 'Hello world!') as string, _ansible_verbose_always: true };
    let value: unknown;
    try {
      value = ctx.evaluate(a.var);
    } catch (err) {
      if (!isUndefinedError(err)) throw err;
      value = undefined;
    }
    return { changed: false, [a.var]: value === undefined ? NOT_DEFINED : value, _ansible_verbose_always: true };
  },
});

export default debug;
