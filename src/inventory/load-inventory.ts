import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { maybeDecryptText } from '../vault/keyring.js';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ConfigError, TsrunError } from '../util/errors.js';
import { parseYaml } from '../yaml/yaml.js';
import { loaderWarning } from '../util/warnings.js';
import { combineVars, isPlainObject } from './combine-vars.js';
import { parseAddress } from './address.js';
import { selectHosts } from './host-patterns.js';
import { parseIniInventory } from './ini-parser.js';
import { InventoryData, type GroupData } from './inventory-data.js';
import type { HostVarLayers, Inventory, InventoryGroup } from './types.js';
import { VarsFileReader } from './vars-files.js';
import { IMPLICIT_LOCALHOST, implicitLocalhostVars } from './implicit-localhost.js';
import { parseYamlInventory } from './yaml-parser.js';

const YAML_EXTENSIONS = ['.yml', '.yaml', '.json'];
// Ansible's INVENTORY_IGNORE_EXTS / INVENTORY_IGNORE_PATTERNS defaults, for directory sources.
const IGNORED_EXTENSIONS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry'];

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function parseInventoryFile(file: string, inv: InventoryData): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read inventory: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { file });
  }
  text = maybeDecryptText(text, file);
  const dir = dirname(file);
  const ext = extname(file);
  if (YAML_EXTENSIONS.includes(ext)) return parseYamlInventory(parseYaml(text, file), file, dir, inv, text);
  // Like Ansible's plugin chain: an extension-less file is YAML if it reads as a mapping, else INI.
  if (!ext) {
    let data: unknown;
    try {
      data = parseYaml(text, file);
    } catch {
      data = undefined;
    }
    if (isPlainObject(data)) return parseYamlInventory(data, file, dir, inv, text);
  }
  parseIniInventory(text, file, dir, inv);
}

function parseDirectory(dir: string, inv: InventoryData): void {
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.') || IGNORED_EXTENSIONS.some((e) => entry.endsWith(e))) continue;
    const full = join(dir, entry);
    if (isDirectory(full)) {
      if (entry === 'group_vars' || entry === 'host_vars') continue;
      parseDirectory(full, inv);
    } else parseInventoryFile(full, inv);
  }
}

function parseHostList(list: string, inv: InventoryData): void {
  for (const raw of list.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const addr = parseAddress(entry);
    const name = addr && !addr.host.includes('[') ? addr.host : entry;
    inv.addHost(name, { file: list, dir: '' }, 'ungrouped', addr && !addr.host.includes('[') ? addr.port : undefined);
  }
}

function toPublicGroup(g: GroupData): InventoryGroup {
  return { name: g.name, hosts: [...g.hosts], children: [...g.children], vars: { ...g.vars } };
}

class LoadedInventory implements Inventory {
  readonly hostNames: string[];
  private publicGroups: ReadonlyMap<string, InventoryGroup>;
  private readonly files = new VarsFileReader();
  /** The inventory before the last refresh: hosts it dropped still finish the play they are in, as in Ansible. */
  private retired?: InventoryData;
  /** add_host / group_by calls, in order: meta refresh_inventory keeps what they did. */
  private readonly dynamic: { kind: 'host' | 'group'; run: () => void }[] = [];
  private replaying = false;

  constructor(
    private data: InventoryData,
    /** Directories whose group_vars/ and host_vars/ apply, in source order. */
    private varsDirs: string[],
    /** Reads the sources again, into `data` (meta: refresh_inventory). */
    private readonly reload?: (data: InventoryData) => { data: InventoryData; varsDirs: string[] },
  ) {
    this.hostNames = [...data.hosts.keys()];
    this.publicGroups = this.snapshotGroups();
  }

  /**
   * meta: refresh_inventory: the sources are read again; hosts and groups that add_host and
   * group_by made stay (a group_by of a host the sources no longer have is dropped).
   */
  refresh(): void {
    if (!this.reload) return;
    this.retired = this.data;
    // as in Ansible, hosts add_host made come first, then the sources' hosts, then group_by's groups
    this.data = new InventoryData();
    this.replaying = true;
    try {
      for (const op of this.dynamic) if (op.kind === 'host') op.run();
      this.varsDirs = this.reload(this.data).varsDirs;
      for (const op of this.dynamic) if (op.kind === 'group') op.run();
    } finally {
      this.replaying = false;
    }
    this.changed();
  }

  get groups(): ReadonlyMap<string, InventoryGroup> {
    return this.publicGroups;
  }

  private snapshotGroups(): ReadonlyMap<string, InventoryGroup> {
    return new Map([...this.data.groups.values()].map((g) => [g.name, toPublicGroup(g)]));
  }

  private changed(): void {
    this.data.reconcile();
    this.hostNames.splice(0, this.hostNames.length, ...this.data.hosts.keys());
    this.publicGroups = this.snapshotGroups();
  }

  /** A host made at run time belongs to no inventory source; like the implicit localhost it reports the first. */
  private ensureHost(name: string): boolean {
    if (this.data.hosts.has(name)) return false;
    const { inventoryFile, inventoryDir } = this.hostNames.length > 0 ? this.sources(this.hostNames[0]) : { inventoryFile: '', inventoryDir: '' };
    const h = this.data.addHost(name, { file: inventoryFile, dir: inventoryDir });
    if (IMPLICIT_LOCALHOST.includes(name)) h.vars = { ansible_connection: 'local' };
    return true;
  }

  addDynamicHost(name: string, groups: string[], vars: Record<string, unknown>): boolean {
    if (!this.replaying) this.dynamic.push({ kind: 'host', run: () => this.addDynamicHost(name, groups, vars) });
    let changed = this.ensureHost(name);
    const h = this.data.hosts.get(name)!;
    const merged = combineVars(h.vars, vars);
    if (JSON.stringify(merged) !== JSON.stringify(h.vars)) {
      h.vars = merged;
      changed = true;
    }
    for (const g of groups) {
      if (!this.data.groups.has(g)) changed = true;
      if (!this.data.addGroup(g).hosts.includes(name)) {
        this.data.addHost(name, { file: h.inventoryFile, dir: h.inventoryDir }, g);
        changed = true;
      }
    }
    if (changed) this.changed();
    return changed;
  }

  addDynamicGroup(host: string, group: string, parents: string[]): boolean {
    if (!this.replaying) this.dynamic.push({ kind: 'group', run: () => this.data.hosts.has(host) && this.addDynamicGroup(host, group, parents) });
    let changed = false;
    this.ensureHost(host);
    this.data.addGroup(group);
    for (const p of parents) {
      if (!this.data.groups.has(p)) changed = true;
      const parent = this.data.addGroup(p);
      if (!parent.children.includes(group)) {
        this.data.addChild(p, group);
        changed = true;
      }
    }
    if (!this.data.groups.get(group)!.hosts.includes(host)) {
      const h = this.data.hosts.get(host)!;
      this.data.addHost(host, { file: h.inventoryFile, dir: h.inventoryDir }, group);
      changed = true;
    }
    if (changed) this.changed();
    return changed;
  }

  /** The data that knows `host`: the current one, or the one before a refresh that dropped it. */
  private dataFor(host: string): InventoryData {
    return !this.data.hosts.has(host) && this.retired?.hosts.has(host) ? this.retired : this.data;
  }

  /** Ansible's sort_groups: by depth, then ansible_group_priority, then name. */
  private sortedGroups(host: string): GroupData[] {
    const data = this.dataFor(host);
    return data
      .hostGroups(host)
      .filter((g) => g !== 'all')
      .map((g) => data.groups.get(g)!)
      .sort((a, b) => a.depth - b.depth || a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  hostVarLayers(host: string, playbookDir?: string): HostVarLayers {
    const h = this.dataFor(host).hosts.get(host);
    if (!h && !IMPLICIT_LOCALHOST.includes(host)) throw new TsrunError(`host '${host}' is not in the inventory`);
    const dirs = playbookDir ? [...this.varsDirs, resolve(playbookDir)] : this.varsDirs;
    const groups = h ? this.sortedGroups(host) : [];
    const all = this.data.groups.get('all')!;

    let inventoryGroupVars = { ...all.vars };
    for (const g of groups) inventoryGroupVars = combineVars(inventoryGroupVars, g.vars);
    // Ansible consumes ansible_group_priority as group metadata; hosts never see it.
    delete inventoryGroupVars.ansible_group_priority;

    let groupVarsAll: Record<string, unknown> = {};
    let groupVarsGroups: Record<string, unknown> = {};
    let hostVarsFiles: Record<string, unknown> = {};
    for (const d of dirs) groupVarsAll = combineVars(groupVarsAll, this.files.entityVars(d, 'group_vars', 'all'));
    for (const d of dirs) {
      for (const g of groups) groupVarsGroups = combineVars(groupVarsGroups, this.files.entityVars(d, 'group_vars', g.name));
    }
    for (const d of dirs) hostVarsFiles = combineVars(hostVarsFiles, this.files.entityVars(d, 'host_vars', host));

    const inventoryHostVars = h ? { ...h.vars } : implicitLocalhostVars();
    return { inventoryGroupVars, groupVarsAll, groupVarsGroups, inventoryHostVars, hostVarsFiles };
  }

  /** Vars of one group as ansible-inventory shows them: inventory vars, then group_vars files. */
  groupVars(group: string): Record<string, unknown> {
    const g = this.data.groups.get(group);
    if (!g) return {};
    let out = { ...g.vars };
    for (const d of this.varsDirs) out = combineVars(out, this.files.entityVars(d, 'group_vars', group));
    return out;
  }

  groupNames(host: string): string[] {
    return this.dataFor(host)
      .hostGroups(host)
      .filter((g) => g !== 'all')
      .sort();
  }

  groupsVar(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const name of this.data.groups.keys()) out[name] = this.data.groupHosts(name);
    return out;
  }

  groupHosts(group: string): string[] {
    return this.data.groupHosts(group);
  }

  selectHosts(pattern: string | string[], opts: { cwd?: string } = {}): string[] {
    const target = {
      hostNames: () => this.hostNames,
      groupNames: () => [...this.data.groups.keys()],
      groupHosts: (g: string) => this.data.groupHosts(g),
    };
    return selectHosts(target, pattern, opts.cwd);
  }

  sources(host: string): { inventoryFile: string; inventoryDir: string } {
    const h = this.dataFor(host).hosts.get(host);
    if (h) return { inventoryFile: h.inventoryFile, inventoryDir: h.inventoryDir };
    // Ansible's implicit localhost belongs to no source; it reports the first one.
    if (IMPLICIT_LOCALHOST.includes(host)) {
      const first = this.data.hosts.values().next().value as { inventoryFile: string; inventoryDir: string } | undefined;
      const dir = first?.inventoryDir ?? this.varsDirs[0] ?? '';
      return { inventoryFile: first?.inventoryFile ?? dir, inventoryDir: dir };
    }
    throw new TsrunError(`host '${host}' is not in the inventory`);
  }
}

export type { LoadedInventory };

/** INI file, YAML file, directory of those, or an "h1,h2," host list; later sources add to earlier ones. */
export function loadInventory(sources: string[], opts: { cwd?: string } = {}): Inventory & LoadedInventory {
  const { data, varsDirs } = readSources(sources, opts.cwd ?? process.cwd(), new InventoryData());
  return new LoadedInventory(data, varsDirs, (into) => readSources(sources, opts.cwd ?? process.cwd(), into));
}

function readSources(sources: string[], cwd: string, data: InventoryData): { data: InventoryData; varsDirs: string[] } {
  const varsDirs: string[] = [];
  let missing = 0;
  for (const source of sources) {
    const path = resolve(cwd, source);
    if (existsSync(path)) {
      if (isDirectory(path)) {
        parseDirectory(path, data);
        varsDirs.push(path);
      } else {
        parseInventoryFile(path, data);
        varsDirs.push(dirname(path));
      }
    } else if (source.includes(',')) {
      parseHostList(source, data);
    } else {
      // ansible-playbook warns and goes on with the other sources (or only the implicit localhost)
      loaderWarning(`Unable to parse ${path} as an inventory source (it does not exist; a host list needs a comma: '${basename(source)},')`);
      missing++;
    }
  }
  if (missing === sources.length) loaderWarning('No inventory was parsed, only implicit localhost is available');
  data.reconcile();
  return { data, varsDirs };
}
