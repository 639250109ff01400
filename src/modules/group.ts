import { defineModule, type ModuleResult } from './types.js';
import type { Infer } from './schema-types.js';
import { joinShell, sh, type ShellText } from '../connection/shell-text.js';
import { request } from '../connection/shell-protocol.js';
import { accountOutcome, accountSteps, runLibuser } from './lib/account-script.js';

const argsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1 },
    gid: { type: 'integer', minimum: 0 },
    system: { type: 'boolean', default: false },
    state: { enum: ['present', 'absent'], default: 'present' },
    force: { type: 'boolean', default: false },
    // libuser's lgroupadd/lgroupmod/lgroupdel: see libuserScript (lib/account-script.ts).
    local: { type: 'boolean', default: false },
    non_unique: { type: 'boolean', default: false },
  },
} as const;

export type GroupArgs = Infer<typeof argsSchema>;

/** One script: look the group up, add/modify/delete only where it differs. Every value is quoted by `sh`. */
export function groupScript(a: GroupArgs, check: boolean): ShellText {
  const n = a.name;
  const { say, doit } = accountSteps(check);
  const L = [sh`ent=$(getent group -- ${n})`];
  if (a.state === 'absent') {
    L.push(sh`if [ -n "$ent" ]; then ${doit(sh`groupdel ${a.force ? ['-f'] : []} -- ${n}`, 'removed', sh`! getent group -- ${n} >/dev/null`)}; fi`);
  } else {
    const opts = [...(a.gid !== undefined ? ['-g', String(a.gid)] : []), ...(a.non_unique ? ['-o'] : []), ...(a.system ? ['-r'] : [])];
    L.push(sh`if [ -z "$ent" ]; then ${doit(sh`groupadd ${opts} -- ${n}`, 'created', sh`getent group -- ${n} >/dev/null`)}`);
    if (a.gid !== undefined) {
      L.push(sh`else cur=$(printf '%s' "$ent" | cut -d: -f3)`);
      L.push(sh`  if [ "$cur" != ${String(a.gid)} ]; then ${doit(sh`groupmod -g ${String(a.gid)} ${a.non_unique ? ['-o'] : []} -- ${n}`, 'modified')}; fi`);
    }
    L.push(sh`fi`);
  }
  L.push(say('entry', sh`"$(getent group -- ${n})"`));
  return joinShell([...L, sh``]);
}

const GROUP_TOOLS = { created: 'groupadd', removed: 'groupdel', modified: 'groupmod' };

const group = defineModule({
  name: 'group',
  aliases: ['ansible.builtin.group'],
  checkMode: true,
  argsSchema,
  async run(ctx): Promise<ModuleResult> {
    const a = ctx.args;
    const state = a.state ?? 'present';
    if (a.local) return runLibuser(ctx, 'group', a.name, state);
    const { res, reply } = await request(ctx, groupScript({ ...a, state }, ctx.check));
    const { changed, entry, failure } = accountOutcome(reply, res.stderr, GROUP_TOOLS);
    if (failure) return { failed: true, changed, name: a.name, msg: failure };
    const r: ModuleResult = { changed, name: a.name, state };
    if (state === 'present') {
      const gid = entry.split(':')[2];
      r.gid = gid ? Number(gid) : a.gid;
      r.system = a.system ?? false;
    }
    return r;
  },
});

export default group;
