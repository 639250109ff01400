import type { ModuleDef, ModuleResult } from './types.js';

// Only these are consumed; everything else (even `host` and `group`) becomes a host variable, as in Ansible.
const SPECIAL = new Set(['name', 'hostname', 'groupname', 'groups']);

/** `name:port` (or `[v6]:port`) carries a port, as Ansible's parse_address reads it. */
function splitPort(name: string): [string, number | undefined] {
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(name);
  if (v6) return [v6[1], Number(v6[2])];
  const m = /^([^:]+):(\d+)$/.exec(name);
  return m ? [m[1], Number(m[2])] : [name, undefined];
}

/**
 * Ansible's add_host action: describes the host; the executor adds it to the inventory (and
 * decides `changed`) when it records the result. Runs once per task, not once per host.
 */
const addHost: ModuleDef = {
  name: 'add_host',
  aliases: ['ansible.builtin.add_host'],
  checkMode: true,
  controlOnly: true,
  bypassHostLoop: true,
  argsSchema: { type: 'object', additionalProperties: true, properties: {} },
  async run(ctx): Promise<ModuleResult> {
    const args = ctx.args;
    const given = args.name ?? args.hostname ?? args.host;
    if (given === undefined || given === null) return { failed: true, changed: false, msg: 'name, host or hostname needs to be provided' };
    const [name, port] = splitPort(String(given));
    const groupsArg = args.groupname ?? args.groups ?? args.group ?? '';
    let list: unknown[];
    if (Array.isArray(groupsArg)) list = groupsArg;
    else if (typeof groupsArg === 'string') list = groupsArg === '' ? [] : groupsArg.split(',');
    else return { failed: true, changed: false, msg: 'Groups must be specified as a list.' };
    const groups: string[] = [];
    for (const g of list) if (!groups.includes(String(g).trim())) groups.push(String(g).trim());
    const hostVars: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(args)) if (!SPECIAL.has(k)) hostVars[k] = v;
    if (port !== undefined) hostVars.ansible_ssh_port = port;
    return { changed: false, add_host: { host_name: name, groups, host_vars: hostVars } };
  },
};

export default addHost;
