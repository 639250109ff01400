import type { ModuleDef, ModuleResult } from './types.js';
import { newNonce } from './lib/cmd-run.js';
import { accountOutcome, accountSteps } from './lib/account-script.js';
import { shQuote } from './lib/shell.js';

export interface GroupArgs {
  name: string;
  gid?: number;
  system?: boolean;
  state?: 'present' | 'absent';
  force?: boolean;
  non_unique?: boolean;
}

/** One script: look the group up, add/modify/delete only where it differs. */
export function groupScript(a: GroupArgs, nonce: string, check: boolean): string {
  const n = shQuote(a.name);
  const { say, doit } = accountSteps(nonce, check);
  const L = [`ent=$(getent group ${n})`];
  if (a.state === 'absent') {
    L.push(`if [ -n "$ent" ]; then ${doit(`groupdel${a.force ? ' -f' : ''} ${n}`, 'removed', `! getent group ${n} >/dev/null`)}; fi`);
  } else {
    const add = ['groupadd', a.gid !== undefined ? `-g ${a.gid}` : '', a.non_unique ? '-o' : '', a.system ? '-r' : '', n].filter(Boolean).join(' ');
    L.push(`if [ -z "$ent" ]; then ${doit(add, 'created', `getent group ${n} >/dev/null`)}`);
    if (a.gid !== undefined) {
      L.push(`else cur=$(printf '%s' "$ent" | cut -d: -f3)`);
      L.push(`  if [ "$cur" != ${a.gid} ]; then ${doit(`groupmod -g ${a.gid}${a.non_unique ? ' -o' : ''} ${n}`, 'modified')}; fi`);
    }
    L.push('fi');
  }
  L.push(say('entry', `$(getent group ${n})`));
  return L.join('\n') + '\n';
}

const GROUP_TOOLS = { created: 'groupadd', removed: 'groupdel', modified: 'groupmod' };

const group: ModuleDef = {
  name: 'group',
  aliases: ['ansible.builtin.group'],
  argsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1 },
      gid: { type: 'integer', minimum: 0 },
      system: { type: 'boolean' },
      state: { enum: ['present', 'absent'] },
      force: { type: 'boolean' },
      local: { type: 'boolean' },
      non_unique: { type: 'boolean' },
    },
  },
  async run(ctx): Promise<ModuleResult> {
    const a = ctx.args as unknown as GroupArgs;
    const state = a.state ?? 'present';
    const nonce = newNonce();
    const res = await ctx.exec(groupScript({ ...a, state }, nonce, ctx.check));
    const { changed, entry, failure } = accountOutcome(res, nonce, GROUP_TOOLS);
    if (failure) return { failed: true, changed, name: a.name, msg: failure };
    const r: ModuleResult = { changed, name: a.name, state };
    if (state === 'present') {
      const gid = entry.split(':')[2];
      r.gid = gid ? Number(gid) : a.gid;
      r.system = a.system ?? false;
    }
    return r;
  },
};

export default group;
