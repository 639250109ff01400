import { defineModule, type ModuleContext, type ModuleResult } from './types.js';
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
    uid: { type: 'integer', minimum: 0 },
    group: { type: 'string' },
    groups: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    append: { type: 'boolean', default: false },
    shell: { type: 'string' },
    home: { type: 'string' },
    comment: { type: 'string' },
    create_home: { type: 'boolean', default: true },
    createhome: { type: 'boolean' },
    system: { type: 'boolean', default: false },
    state: { enum: ['present', 'absent'], default: 'present' },
    remove: { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
    password: { type: 'string', noLog: true },
    update_password: { enum: ['always', 'on_create'], default: 'always' },
    non_unique: { type: 'boolean', default: false },
    // usermod -m: with a new home, move the old one's content there.
    move_home: { type: 'boolean', default: false },
    // libuser's luseradd/lusermod: see libuserScript (lib/account-script.ts).
    local: { type: 'boolean', default: false },
  },
} as const;

type RawUserArgs = Infer<typeof argsSchema>;
export type UserArgs = Omit<RawUserArgs, 'createhome'>;

export function groupList(groups: UserArgs['groups']): string[] | undefined {
  if (groups === undefined) return undefined;
  const list = Array.isArray(groups) ? groups : groups.split(',');
  return [...new Set(list.map((g) => g.trim()).filter(Boolean))].sort();
}

/**
 * One script comparing the passwd entry with the wanted one and calling useradd / usermod /
 * userdel only for a difference. The password hash is read from stdin (never on a command line).
 * Every value goes through `sh`, so it reaches the tools as one literal word.
 */
export function userScript(a: UserArgs, check: boolean): ShellText {
  const n = a.name;
  const { say, doit } = accountSteps(check);
  const L: ShellText[] = [];
  if (a.password !== undefined) L.push(sh`IFS= read -r pw`);
  L.push(sh`ent=$(getent passwd -- ${n})`);
  if (a.state === 'absent') {
    L.push(sh`if [ -n "$ent" ]; then ${doit(sh`userdel ${a.remove ? ['-r'] : []} ${a.force ? ['-f'] : []} -- ${n}`, 'removed', sh`! getent passwd -- ${n} >/dev/null`)}; fi`);
    return joinShell([...L, sh``]);
  }
  const groups = groupList(a.groups);
  for (const g of [...(a.group !== undefined ? [a.group] : []), ...(groups ?? [])])
    L.push(sh`getent group -- ${g} >/dev/null || { ${say('nogroup', g)}; exit 0; }`);
  const add: string[] = [];
  if (a.uid !== undefined) add.push('-u', String(a.uid));
  if (a.non_unique) add.push('-o');
  if (a.group !== undefined) add.push('-g', a.group);
  if (groups?.length) add.push('-G', groups.join(','));
  if (a.shell !== undefined) add.push('-s', a.shell);
  if (a.home !== undefined) add.push('-d', a.home);
  if (a.comment !== undefined) add.push('-c', a.comment);
  if (a.system) add.push('-r');
  add.push(a.create_home === false ? '-M' : '-m');
  const addCmd = a.group === undefined ? sh`useradd ${add} $nflag -- ${n}` : sh`useradd ${add} -- ${n}`;
  L.push(sh`if [ -z "$ent" ]; then`);
  // As Ansible: with no group= and a group named like the user already there, add -N so useradd does not try to create it.
  if (a.group === undefined) L.push(sh`  nflag=; getent group -- ${n} >/dev/null && nflag=-N`);
  L.push(sh`  ${doit(addCmd, 'created', sh`getent passwd -- ${n} >/dev/null`)}`);
  if (a.password !== undefined && !check) L.push(sh`  printf '%s:%s\n' ${n} "$pw" | chpasswd -e 2>&1 || { ${say('fail', 'password')}; exit 0; }`);
  L.push(sh`else`);
  L.push(sh`  oldifs=$IFS; IFS=:; set -f; set -- $ent; set +f; IFS=$oldifs`);
  L.push(sh`  cuid=$3; cgid=$4; cgecos=$5; chome=$6; cshell=$7; set --`);
  if (a.uid !== undefined) L.push(sh`  [ "$cuid" = ${String(a.uid)} ] || set -- "$@" -u ${String(a.uid)} ${a.non_unique ? ['-o'] : []}`);
  if (a.group !== undefined) L.push(sh`  [ "$cgid" = "$(getent group -- ${a.group} | cut -d: -f3)" ] || set -- "$@" -g ${a.group}`);
  if (a.shell !== undefined) L.push(sh`  [ "$cshell" = ${a.shell} ] || set -- "$@" -s ${a.shell}`);
  if (a.home !== undefined) L.push(sh`  [ "$chome" = ${a.home} ] || set -- "$@" -d ${a.home} ${a.move_home ? ['-m'] : []}`);
  if (a.comment !== undefined) L.push(sh`  [ "$cgecos" = ${a.comment} ] || set -- "$@" -c ${a.comment}`);
  if (groups !== undefined) {
    const joined = groups.join(',');
    // Supplementary groups: every group the user is in except the primary one, sorted like JS sort (C locale).
    L.push(sh`  prim=$(id -gn -- ${n}); cur=$(for g in $(id -Gn -- ${n}); do [ "$g" = "$prim" ] || echo "$g"; done | LC_ALL=C sort -u | tr '\n' , | sed 's/,$//')`);
    if (a.append) {
      const missing = groups.map((g) => sh`case ",$cur," in *,${g},*) ;; *) miss=1 ;; esac`);
      L.push(sh`  miss=; ${missing.length ? joinShell(missing, '; ') : sh`:`}; [ -z "$miss" ] || set -- "$@" -a -G ${joined}`);
    } else {
      L.push(sh`  [ "$cur" = ${joined} ] || set -- "$@" -G ${joined}`);
    }
  }
  L.push(sh`  if [ $# -gt 0 ]; then ${doit(sh`usermod "$@" -- ${n}`, 'modified')}; fi`);
  if (a.password !== undefined && a.update_password !== 'on_create') {
    const set = check ? say('changed', 'password') : sh`{ printf '%s:%s\n' ${n} "$pw" | chpasswd -e 2>&1 && ${say('changed', 'password')} || { ${say('fail', 'password')}; exit 0; }; }`;
    L.push(sh`  [ "$(getent shadow -- ${n} | cut -d: -f2)" = "$pw" ] || ${set}`);
  }
  L.push(sh`fi`);
  L.push(say('entry', sh`"$(getent passwd -- ${n})"`));
  return joinShell([...L, sh``]);
}

const USER_TOOLS = { created: 'useradd', modified: 'usermod', removed: 'userdel', password: 'chpasswd' };

const user = defineModule({
  name: 'user',
  aliases: ['ansible.builtin.user'],
  checkMode: true,
  argsSchema,
  async run(ctx): Promise<ModuleResult> {
    const { createhome, ...raw } = ctx.args;
    const a: UserArgs = { ...raw, create_home: raw.create_home ?? createhome, state: raw.state ?? 'present' };
    const result = await runUser(ctx, a);
    // AnsibleModule.warn: the warning is part of the result (registered, and shown after it)
    if (a.password !== undefined && !/^\$[0-9a-z]+\$|^[!*]/.test(a.password) && a.password !== '')
      result.warnings = ["The input password appears not to have been hashed. The 'password' argument must be encrypted for this module to work properly."];
    return result;
  },
});

async function runUser(ctx: ModuleContext<UserArgs>, a: UserArgs): Promise<ModuleResult> {
  if (a.local) return runLibuser(ctx, 'user', a.name, a.state ?? 'present');
  if (a.password !== undefined && /[\n:]/.test(a.password)) return { failed: true, changed: false, name: a.name, msg: 'password hash must not contain a newline or colon' };
  const { res, reply } = await request(ctx, userScript(a, ctx.check), a.password !== undefined ? { stdin: `${a.password}\n` } : {});
  const { lines, changed, entry, failure } = accountOutcome(reply, res.stderr, USER_TOOLS);
  const nogroup = lines.find(([k]) => k === 'nogroup');
  if (nogroup) return { failed: true, changed: false, name: a.name, msg: `Group ${nogroup[1]} does not exist` };
  if (failure) return { failed: true, changed, name: a.name, msg: failure };
  if (a.state === 'absent')
    return changed ? { changed, name: a.name, state: 'absent', remove: a.remove ?? false, force: a.force ?? false } : { changed, name: a.name, state: 'absent' };
  const f = entry.split(':');
  const r: ModuleResult = { changed, name: a.name, state: 'present' };
  if (f.length >= 7) Object.assign(r, { uid: Number(f[2]), group: Number(f[3]), comment: f[4], home: f[5], shell: f[6] });
  const wanted = groupList(a.groups);
  if (wanted !== undefined) r.groups = wanted.join(',');
  if (a.password !== undefined) r.password = 'NOT_LOGGING_PASSWORD';
  // Ansible's keys differ between a new account and an existing one.
  if (lines.some(([k, v]) => k === 'changed' && v === 'created')) Object.assign(r, { create_home: a.create_home ?? true, system: a.system ?? false });
  else Object.assign(r, { append: a.append ?? false, move_home: a.move_home ?? false });
  return r;
}

export default user;
