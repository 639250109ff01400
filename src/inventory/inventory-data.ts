import { combineVars } from './combine-vars.js';
import { loaderWarning } from '../util/warnings.js';

/**
 * The mutable graph parsers build, mirroring Ansible's InventoryData: groups and hosts in
 * insertion order, parent/child links, per-group depth and priority.
 */
export class GroupData {
  readonly hosts: string[] = [];
  readonly children: string[] = [];
  readonly parents: string[] = [];
  vars: Record<string, unknown> = {};
  depth = 0;
  priority = 1;
  constructor(readonly name: string) {}
}

export class HostData {
  vars: Record<string, unknown> = {};
  /** Groups added directly (ancestors are derived). */
  readonly groups: string[] = [];
  constructor(
    readonly name: string,
    readonly inventoryFile: string,
    readonly inventoryDir: string,
  ) {}
}

export class InventoryData {
  readonly groups = new Map<string, GroupData>();
  readonly hosts = new Map<string, HostData>();

  constructor() {
    this.addGroup('all');
    this.addGroup('ungrouped');
    this.addChild('all', 'ungrouped');
  }

  addGroup(name: string): GroupData {
    let g = this.groups.get(name);
    if (!g) {
      g = new GroupData(name);
      this.groups.set(name, g);
    }
    return g;
  }

  addHost(name: string, source: { file: string; dir: string }, group?: string, port?: number): HostData {
    let h = this.hosts.get(name);
    if (!h) {
      h = new HostData(name, source.file, source.dir);
      this.hosts.set(name, h);
    }
    if (group) {
      const g = this.addGroup(group);
      if (!g.hosts.includes(name)) g.hosts.push(name);
      if (!h.groups.includes(group)) h.groups.push(group);
    }
    if (port !== undefined) h.vars.ansible_port = port;
    return h;
  }

  addChild(parent: string, child: string): void {
    const p = this.addGroup(parent);
    const c = this.addGroup(child);
    if (p.children.includes(child)) return;
    if (parent === child || this.ancestors(parent).has(child)) {
      throw new Error(`adding group '${child}' as child to '${parent}' creates a recursive dependency loop`);
    }
    p.children.push(child);
    c.parents.push(parent);
    this.raiseDepth(c, p.depth + 1);
  }

  private raiseDepth(g: GroupData, depth: number): void {
    if (g.depth >= depth) return;
    g.depth = depth;
    for (const c of g.children) this.raiseDepth(this.groups.get(c)!, depth + 1);
  }

  setGroupVar(group: string, key: string, value: unknown): void {
    const g = this.addGroup(group);
    if (key === 'ansible_group_priority') g.priority = Number.parseInt(String(value), 10);
    g.vars = mergeVar(g.vars, key, value);
  }

  setHostVar(host: string, key: string, value: unknown): void {
    const h = this.hosts.get(host)!;
    h.vars = mergeVar(h.vars, key, value);
  }

  ancestors(group: string): Set<string> {
    const out = new Set<string>();
    const walk = (name: string): void => {
      for (const p of this.groups.get(name)?.parents ?? []) {
        if (!out.has(p)) {
          out.add(p);
          walk(p);
        }
      }
    };
    walk(group);
    return out;
  }

  /** Direct groups plus all their ancestors, including `all`. */
  hostGroups(host: string): string[] {
    const h = this.hosts.get(host);
    if (!h) return [];
    const out = new Set<string>();
    for (const g of h.groups) {
      out.add(g);
      for (const a of this.ancestors(g)) out.add(a);
    }
    out.add('all');
    return [...out];
  }

  /**
   * Ansible's Group.get_hosts(): own hosts then descendants' level by level, de-duplicated.
   */
  groupHosts(group: string): string[] {
    const g = this.groups.get(group);
    if (!g) return [];
    const ordered: GroupData[] = [g];
    const seen = new Set<string>([g.name]);
    let level = [g];
    while (level.length > 0) {
      const next: GroupData[] = [];
      for (const item of level) {
        for (const c of item.children) {
          if (seen.has(c)) continue;
          seen.add(c);
          const cg = this.groups.get(c)!;
          ordered.push(cg);
          next.push(cg);
        }
      }
      level = next;
    }
    const hosts: string[] = [];
    const seenHosts = new Set<string>();
    for (const og of ordered) {
      for (const h of og.hosts) {
        if (!seenHosts.has(h)) {
          seenHosts.add(h);
          hosts.push(h);
        }
      }
    }
    return hosts;
  }

  /** Ansible's reconcile_inventory: parentless groups under `all`, groupless hosts in `ungrouped`. */
  reconcile(): void {
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && g.parents.length === 0) this.addChild('all', g.name);
    }
    const ungrouped = this.groups.get('ungrouped')!;
    for (const h of this.hosts.values()) {
      // Ansible warns and goes on: patterns then match the group, not the host of that name.
      if (this.groups.has(h.name)) loaderWarning(`Found both group and host with same name: ${h.name}`);
      const direct = h.groups.filter((g) => g !== 'all');
      if (direct.includes('ungrouped') && direct.some((g) => g !== 'ungrouped')) {
        ungrouped.hosts.splice(ungrouped.hosts.indexOf(h.name), 1);
        h.groups.splice(h.groups.indexOf('ungrouped'), 1);
      } else if (direct.length === 0) {
        this.addHost(h.name, { file: h.inventoryFile, dir: h.inventoryDir }, 'ungrouped');
      }
    }
  }
}

/**
 * Ansible's Group/Host.set_variable: combine_vars with the default hash_behaviour=replace,
 * so a later value replaces an earlier one wholesale, mappings included.
 */
function mergeVar(vars: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  return combineVars(vars, { [key]: value });
}
