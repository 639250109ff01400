import { stringify } from 'yaml';
import { TsrunError } from '../util/errors.js';
import { loadInventory } from '../inventory/index.js';
import type { LoadedInventory } from '../inventory/load-inventory.js';
import { pyStr as pythonStr } from '../util/python-repr.js';

export interface InventoryCommandOptions {
  inventory: string[];
  list?: boolean;
  /** true for the whole tree, or the name of the group to start at */
  graph?: string | boolean;
  host?: string;
  vars?: boolean;
  yaml?: boolean;
  limit?: string;
}

type Vars = Record<string, unknown>;

function mergedHostVars(inv: LoadedInventory, host: string): Vars {
  const l = inv.hostVarLayers(host);
  return { ...l.inventoryGroupVars, ...l.groupVarsAll, ...l.groupVarsGroups, ...l.inventoryHostVars, ...l.hostVarsFiles };
}

/** Recursively key-sorted copy, since ansible-inventory dumps with sort_keys. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === 'object' && v !== null) {
    const out: Vars = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Vars)[k]);
    return out;
  }
  return v;
}

function dumpJson(v: unknown): string {
  return JSON.stringify(sortKeys(v), null, 4);
}

function dumpYaml(v: unknown): string {
  return stringify(sortKeys(v), { indentSeq: false, lineWidth: 0, singleQuote: true });
}

function availableHosts(inv: LoadedInventory, limit?: string): Set<string> {
  const all = inv.selectHosts('all');
  if (!limit) return new Set(all);
  return new Set(inv.selectHosts(limit));
}

function jsonList(inv: LoadedInventory, available: Set<string>): Vars {
  const results: Vars = {};
  const seen = new Set<string>();
  const formatGroup = (name: string): void => {
    const g = inv.groups.get(name)!;
    const entry: Vars = {};
    if (name !== 'all') {
      const hosts = g.hosts.filter((h) => available.has(h));
      if (hosts.length) entry.hosts = hosts;
    }
    if (g.children.length) entry.children = [...g.children];
    // Children are emitted before deciding on the parent, as Ansible's recursion does.
    for (const c of g.children) {
      if (!seen.has(c)) {
        seen.add(c);
        formatGroup(c);
      }
    }
    if (Object.keys(entry).length) results[name] = entry;
  };
  formatGroup('all');
  const hostvars: Vars = {};
  for (const h of inv.hostNames) {
    if (!available.has(h)) continue;
    const vars = mergedHostVars(inv, h);
    if (Object.keys(vars).length) hostvars[h] = vars;
  }
  return { _meta: { hostvars }, ...results };
}

function yamlList(inv: LoadedInventory, available: Set<string>): Vars {
  const seen = new Set<string>();
  const formatGroup = (name: string): Vars => {
    const g = inv.groups.get(name)!;
    const entry: Vars = {};
    const children: Vars = {};
    for (const c of g.children) if (c !== 'all') Object.assign(children, formatGroup(c));
    if (Object.keys(children).length) entry.children = children;
    if (name !== 'all') {
      const hosts: Vars = {};
      for (const h of g.hosts) {
        if (!available.has(h)) continue;
        // Host vars are written once, at the first group that lists the host.
        hosts[h] = seen.has(h) ? {} : mergedHostVars(inv, h);
        seen.add(h);
      }
      if (Object.keys(hosts).length) entry.hosts = hosts;
    }
    return { [name]: entry };
  };
  return formatGroup('all');
}

function graph(inv: LoadedInventory, top: string, showVars: boolean): string {
  const lines: string[] = [];
  const indent = (text: string, depth: number): string => (depth ? '  |'.repeat(depth) + '--' + text : text);
  const showVarLines = (vars: Vars, depth: number): void => {
    for (const k of Object.keys(vars).sort()) lines.push(indent(`{${k} = ${pythonStr(vars[k])}}`, depth));
  };
  const walk = (name: string, depth: number): void => {
    const g = inv.groups.get(name)!;
    lines.push(indent(`@${name}:`, depth));
    for (const c of g.children) walk(c, depth + 1);
    if (name !== 'all') {
      for (const h of g.hosts) {
        lines.push(indent(h, depth + 1));
        if (showVars) showVarLines(mergedHostVars(inv, h), depth + 2);
      }
    }
    if (showVars) showVarLines(inv.groupVars(name), depth + 1);
  };
  walk(top, 0);
  return lines.join('\n');
}

/** The text `ansible-inventory -i F --list|--graph [G] [--vars]|--host H [--yaml]` prints, ending in a newline. */
export function inventoryCommand(opts: InventoryCommandOptions): string {
  const text = render(opts);
  return text.endsWith('\n') ? text : text + '\n';
}

function render(opts: InventoryCommandOptions): string {
  const actions = [opts.list, opts.graph !== undefined && opts.graph !== false, opts.host !== undefined].filter(Boolean);
  if (actions.length !== 1) throw new TsrunError('inventory: use exactly one of --list, --graph or --host', { exitCode: 5 });
  const inv = loadInventory(opts.inventory.length ? opts.inventory : ['/etc/ansible/hosts']) as LoadedInventory;

  if (opts.host !== undefined) {
    if (!inv.hostNames.includes(opts.host)) throw new TsrunError(`you must pass a single valid host to --host parameter: '${opts.host}' is not in the inventory`);
    const vars = mergedHostVars(inv, opts.host);
    return opts.yaml ? dumpYaml(vars) : dumpJson(vars);
  }
  if (opts.graph !== undefined && opts.graph !== false) {
    const top = typeof opts.graph === 'string' ? opts.graph : 'all';
    if (!inv.groups.has(top)) throw new TsrunError(`pattern must be a valid group name when using --graph: '${top}'`);
    return graph(inv, top, opts.vars ?? false);
  }
  const available = availableHosts(inv, opts.limit);
  return opts.yaml ? dumpYaml(yamlList(inv, available)) : dumpJson(jsonList(inv, available));
}
