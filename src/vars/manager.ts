import type { Inventory } from '../inventory/index.js';
import type { RoleRef } from '../playbook/types.js';
import { OMIT_TOKEN } from '../template/index.js';
import { lazyHostvars, lazyObject } from './lazy-object.js';
import { Scope, type VarLayer } from './scope.js';
import { safeFacts } from './unsafe.js';
import { factCacheFromConfig, type FactCache } from './fact-cache.js';
import { activeConfig } from '../config/index.js';
import type { VarSource } from './types.js';
import { mergesHashes } from '../inventory/combine-vars.js';
import { IMPLICIT_LOCALHOST } from '../inventory/implicit-localhost.js';
import { controllerPython } from '../util/controller-python.js';

/** What a host has learned during the run; outlives plays, as in Ansible. */
export interface HostFacts {
  /** From setup/gather_facts: stored as gathered, never templated. */
  facts: Record<string, unknown>;
  /** include_vars: templated lazily like other vars. */
  includeVars: Record<string, unknown>;
  /** set_fact and register: results of templating or data from hosts, not templated again... */
  setFacts: Record<string, unknown>;
  /** ...except these: set_fact values rendered from safe data only (src/vars/unsafe.ts), rendered again when read, as Ansible does. */
  renderedSetFacts: Set<string>;
}

/** set_fact's facts into the host's set_fact layer; those rendered from safe data only are rendered again when read. */
export function storeSetFacts(hf: HostFacts, facts: Record<string, unknown>): void {
  Object.assign(hf.setFacts, facts);
  const safe = safeFacts(facts);
  for (const k of Object.keys(facts)) {
    if (safe.has(k)) hf.renderedSetFacts.add(k);
    else hf.renderedSetFacts.delete(k);
  }
}

/** A registered result (unsafe in Ansible: never rendered again). */
export function storeRegistered(hf: HostFacts, name: string, value: unknown): void {
  hf.setFacts[name] = value;
  hf.renderedSetFacts.delete(name);
}

/** Play-level inputs that do not change from task to task. */
export interface PlayVars {
  playbookDir: string;
  playName: string;
  playHosts: string[];
  batch: string[];
  /**
   * Ansible's removed hosts of the play (failed and not rescued, unreachable, end_host):
   * ansible_play_hosts and ansible_play_batch leave them out. clear_host_errors does not bring
   * them back, in Ansible either.
   */
  removed?: Set<string>;
  /** Play roles, in play order; their defaults and vars are visible to every task of the play. */
  roles: RoleRef[];
  vars: Record<string, unknown>;
  /** vars_files, loaded per host (paths may be templated per host). */
  varsFiles: Map<string, Record<string, unknown>>;
}

/** Where a task sits: its role and the vars of the blocks around it, outermost first. */
export interface TaskVarsContext {
  role?: RoleRef;
  blockVars: Record<string, unknown>[];
  taskVars: Record<string, unknown>;
  /** Include params (the vars of the includes around the task, and of the task when it is an include), outermost first. */
  includeParams?: Record<string, unknown>[];
}

export interface RunInfo {
  checkMode: boolean;
  diffMode: boolean;
  verbosity: number;
  runTags: string[];
  skipTags: string[];
  version: string;
}

/** Magic variables that need a play: absent from `hostvars[h]`, as in Ansible. */
const PLAY_MAGIC = ['play_hosts', 'ansible_play_hosts', 'ansible_play_hosts_all', 'ansible_play_batch', 'ansible_play_name'];

const layer = (name: string, values: Record<string, unknown>, templated = true): VarLayer => ({ name, values, templated });

function roleChain(role: RoleRef | undefined): RoleRef[] {
  if (!role) return [];
  return [...[...role.parents].reverse(), role];
}

/** Every dependency of a role, depth first, each once (Ansible's get_all_dependencies). */
function allDependencies(role: RoleRef, seen = new Set<RoleRef>()): RoleRef[] {
  const out: RoleRef[] = [];
  for (const dep of role.deps ?? []) {
    if (seen.has(dep)) continue;
    seen.add(dep);
    out.push(...allDependencies(dep, seen), dep);
  }
  return out;
}

/** Ansible's `ansible_facts`: facts without their `ansible_` prefix. */
function factsDict(facts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(facts)) out[k.startsWith('ansible_') ? k.slice(8) : k] = v;
  return out;
}

/**
 * Builds the variable scope of a host for a task, in Ansible's precedence order
 * (role defaults ... extra vars). No values are copied: layers reference live objects, so a
 * set_fact is visible to the next scope built.
 */
export class VariableManager {
  private readonly hostFacts = new Map<string, HostFacts>();
  private readonly invLayers = new Map<string, ReturnType<Inventory['hostVarLayers']>>();
  private groupsCache?: Record<string, string[]>;

  /** hash_behaviour=merge, read once per run as Ansible reads its constant. */
  private readonly mergeHashes = mergesHashes();

  constructor(
    readonly inventory: Inventory,
    readonly extraVars: Record<string, unknown>,
    readonly run: RunInfo,
    /** Where facts outlive the run (fact_caching); the default memory cache keeps nothing. */
    private readonly cache: FactCache = factCacheFromConfig(activeConfig()),
  ) {}

  /**
   * Bumped whenever a caller takes a host's facts to change them (factsOf), so the shared
   * `hostvars` view below is rebuilt only when some host's facts may have changed.
   */
  private factsGeneration = 0;
  private sharedHostvars?: { play: PlayVars; generation: number; value: Record<string, unknown> };

  /** A host's facts, for changing them (register, set_fact, gathered facts). */
  factsOf(host: string): HostFacts {
    this.factsGeneration++;
    return this.readFacts(host);
  }

  /** The host's facts went into the fact cache (gathered, or set_fact cacheable): the cache keeps them. */
  factsCached(host: string): void {
    this.cache.save(host, this.readFacts(host).facts);
  }

  /** meta: clear_facts and --flush-cache: the host's cached facts are gone (set_fact's others stay, as in Ansible). */
  clearFacts(host: string): void {
    this.factsOf(host).facts = {};
    this.cache.remove(host);
  }

  private readFacts(host: string): HostFacts {
    let f = this.hostFacts.get(host);
    if (!f) {
      // facts an earlier run cached (jsonfile) are there from the start, below play vars as gathered ones
      f = { facts: this.cache.load(host) ?? {}, includeVars: {}, setFacts: {}, renderedSetFacts: new Set() };
      this.hostFacts.set(host, f);
    }
    return f;
  }

  /** add_host / group_by changed hosts or groups: inventory layers and `groups` are read again. */
  inventoryChanged(): void {
    this.invLayers.clear();
    this.groupsCache = undefined;
  }

  /** Inventory vars change only through add_host / group_by; reading them once per host keeps scopes cheap. */
  private inventoryLayers(host: string, playbookDir: string): ReturnType<Inventory['hostVarLayers']> {
    const key = `${playbookDir}\0${host}`;
    let l = this.invLayers.get(key);
    if (!l) {
      l = this.inventory.hostVarLayers(host, playbookDir);
      this.invLayers.set(key, l);
    }
    return l;
  }

  /** The scope of `host` for a task (or for the play itself when `task` is absent). */
  scope(host: string, play: PlayVars, task?: TaskVarsContext, searchPath: string[] = []): Scope {
    return this.build(host, play, task, searchPath, false);
  }

  /**
   * `hostvars[h]`: Ansible's get_vars(host) with no play and no task, so no role defaults or
   * vars, play vars, vars_files or play magic (ansible_play_hosts...). Its values render with
   * fail_on_undefined=False: one that needs a variable the host does not have stays as written.
   */
  private hostvarsScope(host: string, play: PlayVars): Scope {
    return this.build(host, play, undefined, [], true);
  }

  private build(host: string, play: PlayVars, task: TaskVarsContext | undefined, searchPath: string[], hostOnly: boolean): Scope {
    const layers: VarLayer[] = [];
    const playRoles = hostOnly ? [] : play.roles;
    const inv = this.inventoryLayers(host, play.playbookDir);
    const own = roleChain(task?.role);
    const hf = this.readFacts(host);

    layers.push(layer('fallbacks', { ansible_host: host }));
    for (const role of playRoles) layers.push(layer(`role ${role.name} defaults`, role.defaults));
    for (const role of own) layers.push(layer(`role ${role.name} defaults`, role.defaults));
    layers.push(layer('inventory group vars', inv.inventoryGroupVars));
    layers.push(layer('group_vars/all', inv.groupVarsAll));
    layers.push(layer('group_vars', inv.groupVarsGroups));
    layers.push(layer('inventory host vars', inv.inventoryHostVars));
    layers.push(layer('host_vars', inv.hostVarsFiles));
    layers.push(layer('facts', { ...hf.facts, ansible_facts: factsDict(hf.facts) }, false));
    if (!hostOnly) {
      layers.push(layer('play vars', play.vars));
      layers.push(layer('vars_files', play.varsFiles.get(host) ?? {}));
    }
    for (const role of playRoles) layers.push(layer(`role ${role.name} vars`, role.vars));
    for (const role of own) {
      // Ansible's Role.get_vars: the role's dependencies' vars sit just below its own
      for (const dep of allDependencies(role)) layers.push(layer(`role ${dep.name} vars (dependency of ${role.name})`, dep.vars));
      layers.push(layer(`role ${role.name} vars`, role.vars));
    }
    if (task) {
      task.blockVars.forEach((v, i) => layers.push({ ...layer(`block vars ${i}`, v), group: 'task' }));
      layers.push({ ...layer('task vars', task.taskVars), group: 'task' });
    }
    layers.push(layer('include_vars', hf.includeVars));
    layers.push({ ...layer('set_fact', hf.setFacts, false), renderedNames: hf.renderedSetFacts });
    // Ansible's get_role_params: the dependency chain's params, outermost first, then the role's own
    for (const role of own) layers.push(layer(`role ${role.name} params`, role.params));
    task?.includeParams?.forEach((v, i) => layers.push({ ...layer(`include params ${i}`, v), group: 'include' }));
    layers.push(layer('extra vars', this.extraVars));
    const magic = this.magic(host, play, task?.role, hostOnly);
    // a task's file search path, as Ansible hands it to lookups (the role's dir, the task file's, the playbook's)
    if (task && searchPath.length) magic.ansible_search_path = [...new Set(searchPath)];
    layers.push({ ...layer('magic', magic, false), safe: true });
    const scope = new Scope(layers, searchPath, undefined, this.mergeHashes, hostOnly);
    // `vars` sees the same layers; it must be built after the scope exists.
    (layers[layers.length - 1].values as Record<string, unknown>).vars = lazyObject(scope);
    return scope;
  }

  /**
   * One `hostvars` for every scope built while no facts changed: a template that reads
   * hostvars[h] of all N hosts, rendered for N hosts, builds N scopes instead of N² (at 200
   * hosts, 40,000 scopes per template task, which dominated memory and CPU).
   */
  private hostvarsFor(play: PlayVars): Record<string, unknown> {
    const s = this.sharedHostvars;
    if (s && s.play === play && s.generation === this.factsGeneration) return s.value;
    const value = lazyHostvars(this.inventory.hostNames, (h) => withoutPlayViews(this.hostvarsScope(h, play)), IMPLICIT_LOCALHOST);
    this.sharedHostvars = { play, generation: this.factsGeneration, value };
    return value;
  }

  private magic(host: string, play: PlayVars, role: RoleRef | undefined, hostOnly: boolean): Record<string, unknown> {
    const { inventoryFile, inventoryDir } = this.inventory.sources(host);
    const batch = play.removed?.size ? play.batch.filter((h) => !play.removed?.has(h)) : play.batch;
    const magic: Record<string, unknown> = {
      inventory_hostname: host,
      inventory_hostname_short: host.split('.')[0],
      group_names: this.inventory.groupNames(host),
      groups: (this.groupsCache ??= this.inventory.groupsVar()),
      hostvars: this.hostvarsFor(play),
      play_hosts: batch,
      ansible_play_hosts: play.removed?.size ? play.playHosts.filter((h) => !play.removed?.has(h)) : play.playHosts,
      ansible_play_hosts_all: play.playHosts,
      ansible_play_batch: batch,
      ansible_play_name: play.playName,
      playbook_dir: play.playbookDir,
      inventory_dir: inventoryDir,
      inventory_file: inventoryFile,
      omit: OMIT_TOKEN,
      ansible_check_mode: this.run.checkMode,
      ansible_diff_mode: this.run.diffMode,
      ansible_verbosity: this.run.verbosity,
      ansible_run_tags: this.run.runTags,
      ansible_skip_tags: this.run.skipTags,
      ansible_version: { full: this.run.version, string: this.run.version },
    };
    const python = controllerPython();
    if (python !== undefined) magic.ansible_playbook_python = python;
    if (hostOnly) {
      for (const k of PLAY_MAGIC) delete magic[k];
      return magic;
    }
    Object.assign(magic, roleNames(play.roles));
    if (role) {
      magic.role_name = role.name;
      magic.role_path = role.path;
      magic.ansible_role_name = role.name;
      // undefined, not [], for a role nothing included or imported
      if (role.parents.length > 0) {
        magic.ansible_parent_role_names = role.parents.map((r) => r.name);
        magic.ansible_parent_role_paths = role.parents.map((r) => r.path);
      }
    }
    return magic;
  }
}

/**
 * A host's variables as `hostvars[h]` shows them: without `hostvars` and `vars` (Ansible builds
 * hostvars with include_hostvars=False and no play), so using `hostvars[h]` whole does not
 * recurse into itself. Values are still rendered by the host's full scope.
 */
function withoutPlayViews(scope: Scope): VarSource {
  const hidden = (n: string) => n === 'hostvars' || n === 'vars';
  return {
    lookup: (n) => (hidden(n) ? undefined : scope.lookup(n)),
    has: (n) => !hidden(n) && scope.has(n),
    names: () => [...scope.names()].filter((n) => !hidden(n)),
  };
}

/**
 * Ansible's role-name lists: the play's own roles in order (role_names is the old name), the
 * names of their meta dependencies at any depth, and both together (Ansible builds those two
 * from sets, so their order means nothing).
 */
function roleNames(roles: RoleRef[]): Record<string, string[]> {
  const direct = roles.filter((r) => r.parents.length === 0);
  const deps = new Set<string>();
  const walk = (r: RoleRef) => {
    for (const d of r.deps ?? []) {
      if (deps.has(d.name)) continue;
      deps.add(d.name);
      walk(d);
    }
  };
  for (const r of roles) {
    if (r.parents.length > 0) deps.add(r.name);
    walk(r);
  }
  const playNames = direct.map((r) => r.name);
  return {
    ansible_play_role_names: playNames,
    role_names: playNames,
    ansible_dependent_role_names: [...deps],
    ansible_role_names: [...new Set([...deps, ...playNames])],
  };
}
