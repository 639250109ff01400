import { ConfigError } from '../util/errors.js';
import { didYouMean } from '../util/suggest.js';
import { isPlainObject } from './combine-vars.js';
import { expandHostEntry } from './host-entry.js';
import type { InventoryData } from './inventory-data.js';
import { yamlKeyPos } from './yaml-positions.js';

/**
 * Ansible's YAML inventory: top-level groups, each with optional `hosts`, `children`, `vars`.
 * Ansible skips malformed entries with a warning; tsrun refuses them with a ConfigError.
 */
export function parseYamlInventory(data: unknown, file: string, dir: string, inv: InventoryData, text = ''): void {
  if (data === null || data === undefined) return;
  if (!isPlainObject(data)) throw new ConfigError('YAML inventory must be a mapping of group names', { file });
  const source = { file, dir };
  const fail = (message: string, path: string[]): never => {
    throw new ConfigError(message, { file, ...(text ? yamlKeyPos(text, path) : {}) });
  };

  const parseGroup = (name: string, body: unknown, path: string[]): void => {
    if (body !== null && body !== undefined && !isPlainObject(body)) {
      fail(`group '${name}' must be a mapping with hosts, children or vars`, path);
    }
    inv.addGroup(name);
    if (!body) return;
    for (const [key, raw] of Object.entries(body)) {
      // A bare string is allowed as a one-entry mapping, as in Ansible.
      const section = typeof raw === 'string' ? { [raw]: null } : raw;
      if (section === null || section === undefined) continue;
      if (!['hosts', 'children', 'vars'].includes(key)) {
        fail(`unexpected key '${key}' in group '${name}': only hosts, children and vars are valid${didYouMean(key, ['hosts', 'children', 'vars'])}`, [...path, key]);
      }
      if (!isPlainObject(section)) {
        fail(`'${key}' of group '${name}' must be a mapping`, [...path, key]);
      }
      if (key === 'vars') {
        for (const [k, v] of Object.entries(section)) inv.setGroupVar(name, k, v);
      } else if (key === 'children') {
        for (const [child, childBody] of Object.entries(section)) {
          parseGroup(child, childBody, [...path, 'children', child]);
          try {
            inv.addChild(name, child);
          } catch (err) {
            fail((err as Error).message, [...path, 'children', child]);
          }
        }
      } else {
        for (const [entry, hostVars] of Object.entries(section)) {
          if (hostVars !== null && hostVars !== undefined && !isPlainObject(hostVars)) {
            fail(`host '${entry}' in group '${name}' must map to a mapping of variables`, [...path, 'hosts', entry]);
          }
          let expanded: { hosts: string[]; port?: number };
          try {
            expanded = expandHostEntry(entry, false);
          } catch (err) {
            fail(`group '${name}': ${(err as Error).message}`, [...path, 'hosts', entry]);
          }
          for (const h of expanded!.hosts) {
            inv.addHost(h, source, name, expanded!.port);
            for (const [k, v] of Object.entries(hostVars ?? {})) inv.setHostVar(h, k, v);
          }
        }
      }
    }
  };

  for (const [name, body] of Object.entries(data)) parseGroup(name, body, [name]);
}
