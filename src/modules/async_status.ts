import { defineModule, type ModuleResult } from './types.js';
import { cleanupJob, jobStatus } from './lib/async-job.js';

/** Ansible's async dir: the `ansible_async_dir` variable, else ~/.ansible_async. */
export function asyncDirOf(vars: { lookup(name: string): unknown }): string {
  const v = vars.lookup('ansible_async_dir');
  return typeof v === 'string' && v !== '' ? v : '~/.ansible_async';
}

const argsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['jid'],
  properties: {
    jid: { type: 'string' },
    mode: { type: 'string', enum: ['status', 'cleanup'] },
  },
} as const;

/** Reports (or removes) a job started with `async:` (src/modules/lib/async-job.ts). */
const asyncStatus = defineModule({
  name: 'async_status',
  aliases: ['ansible.builtin.async_status'],
  // ansible's async_status module does not declare check mode support
  checkMode: false,
  argsSchema,
  async run(ctx): Promise<ModuleResult> {
    const exec = (script: Parameters<typeof ctx.exec>[0]) => ctx.exec(script);
    const dir = asyncDirOf(ctx.vars);
    // a job id names a file in the async dir, nothing else
    if (ctx.args.jid.includes('/') || ctx.args.jid === '.' || ctx.args.jid === '..') return { failed: true, changed: false, msg: `not a job id: ${ctx.args.jid}` };
    if (ctx.args.mode === 'cleanup') return cleanupJob(exec, dir, ctx.args.jid);
    // the module that started the job parses its output: the engine hands over the registry (it imports this module)
    return jobStatus(exec, dir, ctx.args.jid, ctx.modules);
  },
});

export default asyncStatus;
