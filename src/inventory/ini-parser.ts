import { ConfigError } from '../util/errors.js';
import { expandHostEntry } from './host-entry.js';
import type { InventoryData } from './inventory-data.js';
import { iniValue } from './python-literal.js';
import { shlexSplit, ShlexError } from '../util/shlex.js';

const SECTION_RE = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME_RE = /^([^:\]\s]+)\s*(?:#.*)?$/;

type State = 'hosts' | 'vars' | 'children';

/**
 * Ansible's INI inventory format, line by line. Where Ansible only warns and falls back to
 * an empty inventory (undefined child group, vars for an undefined group, bad section),
 * this throws a ConfigError naming file and line.
 */
export function parseIniInventory(text: string, file: string, dir: string, inv: InventoryData): void {
  const source = { file, dir };
  // Groups referenced (as child or by [g:vars]) before being declared; must be declared later.
  const pending = new Map<string, { line: number; state: State; parents: string[] }>();
  const declared = new Set<string>(['all', 'ungrouped']);
  let group = 'ungrouped';
  let state: State = 'hosts';

  const lines = text.split(/\r?\n/);
  for (let idx = 0; idx < lines.length; idx++) {
    const lineNo = idx + 1;
    const fail = (msg: string): never => {
      // The entry the line holds starts at its first non-blank character.
      throw new ConfigError(msg, { file, line: lineNo, column: lines[idx].search(/\S|$/) + 1 });
    };
    const line = lines[idx].trim();
    if (!line || line[0] === '#' || line[0] === ';') continue;

    const m = SECTION_RE.exec(line);
    if (m) {
      group = m[1];
      const kind = m[2] ?? 'hosts';
      if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children') {
        fail(`section [${group}:${kind}] has unknown type '${kind}' (expected hosts, vars or children)`);
      }
      state = kind as State;
      if (state !== 'vars') {
        declared.add(group);
        pending.delete(group);
      } else if (!declared.has(group) && !pending.has(group)) {
        pending.set(group, { line: lineNo, state, parents: [] });
      }
      inv.addGroup(group);
      continue;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      fail(`invalid section header '${line}': expected [group], [group:vars] or [group:children] with no spaces`);
    }

    if (state === 'hosts') {
      let tokens: string[];
      try {
        tokens = shlexSplit(line, { comments: true });
      } catch (err) {
        if (err instanceof ShlexError) fail(`cannot parse host line '${line}': ${err.message}`);
        throw err;
      }
      if (tokens.length === 0) continue;
      let expanded: { hosts: string[]; port?: number };
      try {
        expanded = expandHostEntry(tokens[0], true);
      } catch (err) {
        fail((err as Error).message);
      }
      const vars: [string, unknown][] = [];
      for (const t of tokens.slice(1)) {
        const eq = t.indexOf('=');
        if (eq < 0) fail(`expected key=value host variable assignment, got '${t}'`);
        vars.push([t.slice(0, eq), iniValue(t.slice(eq + 1))]);
      }
      for (const h of expanded!.hosts) {
        inv.addHost(h, source, group, expanded!.port);
        for (const [k, v] of vars) inv.setHostVar(h, k, v);
      }
    } else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) fail(`expected key=value in [${group}:vars], got '${line}'`);
      inv.setGroupVar(group, line.slice(0, eq).trim(), iniValue(line.slice(eq + 1).trim()));
    } else {
      const gm = GROUP_NAME_RE.exec(line);
      if (!gm) fail(`expected a group name in [${group}:children], got '${line}'`);
      const child = gm![1];
      inv.addGroup(child);
      try {
        inv.addChild(group, child);
      } catch (err) {
        fail((err as Error).message);
      }
      if (!declared.has(child)) {
        const p = pending.get(child);
        if (p && p.state === 'children') p.parents.push(group);
        else if (!p) pending.set(child, { line: lineNo, state: 'children', parents: [group] });
      }
    }
  }

  for (const [name, p] of pending) {
    if (p.state === 'vars') {
      throw new ConfigError(`section [${name}:vars] is for group '${name}', which is never defined`, { file, line: p.line });
    }
    throw new ConfigError(
      `section [${p.parents[p.parents.length - 1]}:children] includes undefined group '${name}' (declare it with [${name}])`,
      { file, line: p.line },
    );
  }
}
