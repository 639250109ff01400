import { spawnSync } from 'node:child_process';
import { ansibleAvailable } from '../../support/runners.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { scratchDir } from '../../support/local-exec.js';
import { absentCases, blockBase, blockCases, presentCases, replaceCases } from './cases.js';

/**
 * The pure lineinfile/blockinfile/replace tables checked against real ansible-core 2.14:
 * every case runs in ONE ansible-playbook call; the resulting files and messages must equal
 * what the tables (and so the TS implementations) say.
 */
// TSRUN_SKIP_ORACLE speeds up local runs; CI always runs the oracle (ansibleAvailable fails there without ansible).
const hasAnsible = (process.env.CI === 'true' || !process.env.TSRUN_SKIP_ORACLE) && ansibleAvailable();
if (!hasAnsible && process.env.TSRUN_SKIP_ORACLE) console.warn('SKIP file-module oracle: TSRUN_SKIP_ORACLE is set');

type Item = { file: string; args: Record<string, unknown> };
interface TaskResult {
  results: { msg?: string; changed?: boolean; failed?: boolean }[];
}

const dir = scratchDir('tsrun-oracle-files-');
const groups: Record<string, Item[]> = { lineinfile: [], blockinfile: [], replace: [] };

function add(module: string, name: string, before: string, args: Record<string, unknown>): number {
  const file = join(dir, `${module}-${groups[module]!.length}`);
  writeFileSync(file, before);
  groups[module]!.push({ file, args: { path: file, ...args } });
  void name;
  return groups[module]!.length - 1;
}

const lineArgs = (s: Record<string, unknown>) => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) out[k === 'searchString' ? 'search_string' : k] = v;
  return out;
};
const presentIdx = presentCases.map(([n, before, spec]) => add('lineinfile', n, before, lineArgs({ ...spec })));
const absentIdx = absentCases.map(([n, before, spec]) => add('lineinfile', n, before, { ...lineArgs({ ...spec }), state: 'absent' }));
const blockIdx = blockCases.map(([n, before, over]) => {
  const s = { ...blockBase, ...over };
  const args: Record<string, unknown> = { block: s.block, marker: s.marker, marker_begin: s.markerBegin, marker_end: s.markerEnd, state: s.present ? 'present' : 'absent' };
  if (s.insertafter) args.insertafter = s.insertafter;
  if (s.insertbefore) args.insertbefore = s.insertbefore;
  return add('blockinfile', n, before, args);
});
const replaceIdx = replaceCases.map(([n, before, spec]) => add('replace', n, before, { ...spec }));

/** Items may be spread over several local hosts; on this machine one host was fastest (~1 s per item). */
const HOSTS = 1;
let resultOf: (module: string, i: number) => { msg?: string; changed?: boolean; failed?: boolean } = () => ({});

beforeAll(() => {
  if (!hasAnsible) return;
  const hostNames = Array.from({ length: HOSTS }, (_, h) => `h${h}`);
  const inventory: Record<string, Record<string, unknown>> = {};
  for (const [h, name] of hostNames.entries()) {
    const vars: Record<string, unknown> = { ansible_connection: 'local', ansible_python_interpreter: 'auto_silent' };
    for (const [module, items] of Object.entries(groups)) vars[`items_${module}`] = items.filter((_, i) => i % HOSTS === h).map((it) => it.args);
    inventory[name] = vars;
  }
  const invFile = join(dir, 'inventory.json');
  writeFileSync(invFile, JSON.stringify({ all: { hosts: inventory } }));
  // The args are handed over as data (not templated strings), so `{mark}` etc. stay literal.
  const tasks = Object.keys(groups).map((module) => ({ name: module, [`ansible.builtin.${module}`]: '{{ item }}', loop: `{{ items_${module} }}`, ignore_errors: true }));
  const pb = join(dir, 'play.json');
  writeFileSync(pb, JSON.stringify([{ hosts: 'all', gather_facts: false, tasks }]));
  const home = join(dir, 'home');
  mkdirSync(home);
  const r = spawnSync('ansible-playbook', ['-i', invFile, '-f', String(HOSTS), pb], {
    env: { ...process.env, HOME: home, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCAL_TEMP: join(home, 'tmp'), ANSIBLE_PIPELINING: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = JSON.parse(r.stdout.toString()) as { plays: { tasks: { task: { name: string }; hosts: Record<string, TaskResult> }[] }[] };
  const byTask = Object.fromEntries(out.plays[0]!.tasks.map((t) => [t.task.name, t.hosts]));
  resultOf = (module, i) => byTask[module]![`h${i % HOSTS}`]!.results[Math.floor(i / HOSTS)]!;
}, 120_000);

const content = (module: string, i: number) => readFileSync(groups[module]![i]!.file, 'utf8');
const res = (module: string, i: number) => resultOf(module, i);

describe.skipIf(!hasAnsible)('ansible-core agrees with the file edit tables', () => {
  test.each(presentCases.map((c, k) => [c[0], c, presentIdx[k]!] as const))('lineinfile present: %s', (_n, c, i) => {
    expect(content('lineinfile', i)).toBe(c[3]);
    expect(res('lineinfile', i).msg).toBe(c[4]);
  });
  test.each(absentCases.map((c, k) => [c[0], c, absentIdx[k]!] as const))('lineinfile absent: %s', (_n, c, i) => {
    expect(content('lineinfile', i)).toBe(c[3]);
    expect(res('lineinfile', i).changed).toBe(c[4] > 0);
  });
  test.each(blockCases.map((c, k) => [c[0], c, blockIdx[k]!] as const))('blockinfile: %s', (_n, c, i) => {
    expect(content('blockinfile', i)).toBe(c[3]);
    expect(res('blockinfile', i).msg).toBe(c[4]);
  });
  test.each(replaceCases.map((c, k) => [c[0], c, replaceIdx[k]!] as const))('replace: %s', (_n, c, i) => {
    expect(content('replace', i)).toBe(c[3]);
    expect(res('replace', i).msg ?? '').toBe(c[4]);
  });
});
