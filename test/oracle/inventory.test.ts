import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { inventoryCommand } from '../../src/cli/inventory.js';
import { loadInventory } from '../../src/inventory/index.js';
import { ansibleAvailable, ansibleInventoryBatch, FIXTURES, loadCases, scratch, type BatchJob } from './inventory-oracle-support.js';

const missing = ansibleAvailable();
if (missing && process.env.CI === 'true') throw new Error(`inventory oracle tests need ansible: ${missing}`);
if (missing) console.log(`skipping inventory oracle tests: ${missing}`);

const cases = loadCases();
// Python keeps 1.0 a float and tuples as tuples in `--graph --vars`; JS has neither.
const GRAPH_EXCLUDED = new Set(['02-ini-typed-host-vars', '36-ini-special-values']);
const CHILDREN_INI = join(FIXTURES, '06-ini-children', 'hosts.ini');
const LIMIT_FILE = join(scratch, 'limit.txt');
const LIMITS = ['web', 'prod:!web', `@${LIMIT_FILE}`, 'backend:&web', 'nothere'];
const LIMITED_PATTERNS = ['all', 'prod', 'web:lb'];

/** The host whose vars `--host` is compared for: the last one, which usually has the most layers. */
function lastHost(source: string): string {
  return loadInventory([source]).hostNames.at(-1)!;
}

function ourSelection(select: () => string[]): string[] | string {
  try {
    return select();
  } catch (err) {
    return `ERROR: ${(err as Error).message}`;
  }
}

describe.skipIf(missing !== undefined)('inventory against ansible-inventory', () => {
  const listed = new Map<string, unknown>();
  const listedText = new Map<string, string>();
  const graphs = new Map<string, string>();
  const yamlLists = new Map<string, unknown>();
  const hostVars = new Map<string, unknown>();
  const selected = new Map<string, (string[] | string)[]>();
  const limited = new Map<string, (string[] | string)[]>();

  beforeAll(async () => {
    writeFileSync(LIMIT_FILE, 'web\n\nlb\n!w2\n');
    const graphCases = cases.filter((c) => !GRAPH_EXCLUDED.has(c.name));
    const patternCases = cases.filter((c) => c.patterns.length);
    const jobs: BatchJob[] = [
      ...cases.map((c) => ({ cli: ['-i', c.source, '--list'] })),
      ...graphCases.map((c) => ({ cli: ['-i', c.source, '--graph', '--vars'] })),
      ...cases.map((c) => ({ cli: ['-i', c.source, '--list', '--yaml'] })),
      ...cases.map((c) => ({ cli: ['-i', c.source, '--host', lastHost(c.source)] })),
      ...patternCases.map((c) => ({ inventory: c.source, patterns: c.patterns })),
      ...LIMITS.map((limit) => ({ inventory: CHILDREN_INI, patterns: LIMITED_PATTERNS, limit })),
    ];
    const results = await ansibleInventoryBatch(jobs);
    let i = 0;
    for (const c of cases) {
      const r = results[i++];
      if (r.rc !== 0) throw new Error(`ansible-inventory failed for ${c.name}: ${r.stderr}`);
      listed.set(c.name, JSON.parse(r.stdout));
      listedText.set(c.name, r.stdout);
    }
    for (const c of graphCases) graphs.set(c.name, results[i++].stdout);
    for (const c of cases) yamlLists.set(c.name, parseYaml(results[i++].stdout));
    for (const c of cases) hostVars.set(c.name, JSON.parse(results[i++].stdout));
    for (const c of patternCases) selected.set(c.name, results[i++].hosts!);
    for (const l of LIMITS) limited.set(l, results[i++].hosts!);
  });

  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of cases) {
    it(`--list matches for ${c.name}`, () => {
      const text = inventoryCommand({ inventory: [c.source], list: true });
      expect(JSON.parse(text)).toEqual(listed.get(c.name));
      if (!GRAPH_EXCLUDED.has(c.name)) expect(text).toBe(listedText.get(c.name));
    });
    it(`--list --yaml and --host match for ${c.name}`, () => {
      expect(parseYaml(inventoryCommand({ inventory: [c.source], list: true, yaml: true }))).toEqual(yamlLists.get(c.name));
      expect(JSON.parse(inventoryCommand({ inventory: [c.source], host: lastHost(c.source) }))).toEqual(hostVars.get(c.name));
    });
    if (!GRAPH_EXCLUDED.has(c.name)) {
      it(`--graph --vars matches for ${c.name}`, () => {
        expect(inventoryCommand({ inventory: [c.source], graph: true, vars: true })).toBe(graphs.get(c.name));
      });
    }
    if (c.patterns.length) {
      it(`host patterns match for ${c.name}`, () => {
        const inv = loadInventory([c.source]);
        const theirs = selected.get(c.name)!;
        c.patterns.forEach((pattern, i) => {
          const ours = ourSelection(() => inv.selectHosts(pattern));
          const want = theirs[i];
          if (typeof want === 'string') expect({ pattern, ours }).toEqual({ pattern, ours: expect.stringMatching(/^ERROR: /) });
          else expect({ pattern, hosts: ours }).toEqual({ pattern, hosts: want });
        });
      });
    }
  }

  for (const limit of LIMITS) {
    it(`--limit ${limit.startsWith('@') ? '@file' : limit} matches`, () => {
      const inv = loadInventory([CHILDREN_INI]);
      const allowed = new Set(inv.selectHosts(limit, { cwd: scratch }));
      const theirs = limited.get(limit)!;
      LIMITED_PATTERNS.forEach((pattern, i) => {
        const ours = inv.selectHosts(pattern).filter((h) => allowed.has(h));
        expect({ pattern, hosts: ours }).toEqual({ pattern, hosts: theirs[i] });
      });
    });
  }
});
