import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { readYamlFile } from '../../src/yaml/yaml.js';
import type { TaskItem } from '../../src/playbook/types.js';
import { EXECUTOR_ACTIONS, loadTaskFile } from '../../src/playbook/index.js';
import { fakeRegistry } from './fake-registry.js';
import { runAnsiblePython } from './ansible-python.js';

/**
 * Oracle: every module task of the normalisation cases goes through ansible-core's own
 * ModuleArgsParser (one python run); action, arguments and delegate_to must agree with ours.
 */
const PARSE = [
  'import json, sys',
  'from ansible.parsing.mod_args import ModuleArgsParser',
  'out = []',
  'for ds in json.load(sys.stdin):',
  '    action, args, delegate = ModuleArgsParser(ds).parse(skip_action_validation=True)',
  '    out.append({"action": action, "args": args, "delegate_to": delegate if isinstance(delegate, str) else None})',
  'print(json.dumps(out))',
].join('\n');

interface Case {
  case: string;
  tasks: unknown[];
}

function moduleTasks(raw: unknown[]): Record<string, unknown>[] {
  return (raw as Record<string, unknown>[]).flatMap((ds) =>
    'block' in ds ? [...moduleTasks((ds.block as unknown[]) ?? []), ...moduleTasks((ds.rescue as unknown[]) ?? []), ...moduleTasks((ds.always as unknown[]) ?? [])] : [ds],
  );
}

function flatten(items: TaskItem[]): TaskItem[] {
  return items.flatMap((i) => (i.kind === 'block' ? [...flatten(i.block), ...flatten(i.rescue), ...flatten(i.always)] : [i]));
}

describe('oracle: task action and arguments as ansible-core parses them', () => {
  test('all module tasks of the normalisation cases', () => {
    const cases = readYamlFile(join(import.meta.dirname, '../fixtures/playbook/normalise/cases.yml')) as Case[];
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-args-oracle-'));
    const raw = cases.flatMap((c) => moduleTasks(c.tasks));
    const file = join(dir, 'all.yml');
    writeFileSync(file, stringify(raw));
    const ours = flatten(loadTaskFile(file, { opts: { modules: fakeRegistry() } }));
    expect(ours).toHaveLength(raw.length);
    // a dynamic legacy `include` keeps its name but is run by the executor like include_tasks
    const keep = ours.map((t) => t.kind === 'task' && !EXECUTOR_ACTIONS.has(t.action) && t.action !== 'include');
    const theirs = runAnsiblePython(PARSE, raw.filter((_, i) => keep[i])) as { action: string; args: Record<string, unknown>; delegate_to: string | null }[];
    const mine = ours.filter((_, i) => keep[i]).map((t) => (t.kind === 'task' ? { action: t.action, args: t.args, delegate_to: (t.delegate_to as string | undefined) ?? null } : t));
    expect(theirs.length).toBeGreaterThan(20);
    expect(mine).toEqual(theirs.map((t) => ({ ...t, action: t.action.replace(/^ansible\.(builtin|legacy)\./, '') })));
  });
});
