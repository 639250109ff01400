export interface InventoryGroup {
  name: string;
  hosts: string[];
  children: string[];
  vars: Record<string, unknown>;
}

/** Each a plain merged object, untemplated, lowest precedence first. */
export interface HostVarLayers {
  /** [g:vars] / YAML group vars, merged all < parent < child, siblings alphabetical, ansible_group_priority */
  inventoryGroupVars: Record<string, unknown>;
  /** group_vars/all next to the inventory, then next to the playbook (playbook dir wins) */
  groupVarsAll: Record<string, unknown>;
  /** group_vars/<group> for the host's groups, same merge order, inventory dir then playbook dir */
  groupVarsGroups: Record<string, unknown>;
  /** host line vars / YAML host vars */
  inventoryHostVars: Record<string, unknown>;
  /** host_vars/<host>, inventory dir then playbook dir */
  hostVarsFiles: Record<string, unknown>;
}

export interface Inventory {
  /** order of first appearance */
  readonly hostNames: string[];
  /** includes all and ungrouped */
  readonly groups: ReadonlyMap<string, InventoryGroup>;
  hostVarLayers(host: string, playbookDir?: string): HostVarLayers;
  /** Ansible's group_names: sorted, without all (Ansible keeps `ungrouped`) */
  groupNames(host: string): string[];
  /** Ansible's `groups` magic var */
  groupsVar(): Record<string, string[]>;
  /** host patterns, inventory order, de-duplicated */
  selectHosts(pattern: string | string[], opts?: { cwd?: string }): string[];
  sources(host: string): { inventoryFile: string; inventoryDir: string };
  /** add_host: adds or updates a host; true when anything changed. */
  addDynamicHost(name: string, groups: string[], vars: Record<string, unknown>): boolean;
  /** group_by: puts `host` in `group` (created under `parents`); true when anything changed. */
  addDynamicGroup(host: string, group: string, parents: string[]): boolean;
  /** meta refresh_inventory: read the sources again, keeping what add_host and group_by did. */
  refresh?(): void;
}
