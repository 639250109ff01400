import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ansibleAvailable, ansiblePlaybook, REPO, run, TSRUN, tsrun, type RunOutput } from '../support/runners.js';
import { normaliseHuman } from './output-normalise.js';
import { itIf } from '../support/needs.js';

const DIR = join(REPO, 'test/fixtures/output');
const INV = join(DIR, 'hosts.ini');

interface Case {
  name: string;
  playbook: string;
  args: string[];
  /** The playbook writes files under `-e out=DIR`, one scratch directory per tool. */
  scratch?: boolean;
}

/**
 * One ansible-playbook run per case feeds both oracles: the default callback prints to stdout
 * and the json callback (through test/fixtures/output/callback_plugins) writes to a file.
 */
const CASES: Case[] = [
  { name: 'basics', playbook: 'basics.yml', args: [] },
  { name: 'includes', playbook: 'includes.yml', args: [] },
  { name: 'diff', playbook: 'diff.yml', args: ['--diff'], scratch: true },
  { name: 'verbose', playbook: 'verbose.yml', args: ['-v'] },
  { name: 'unreachable', playbook: 'unreachable.yml', args: [] },
  { name: 'stops', playbook: 'stops.yml', args: [] },
  { name: 'allfail', playbook: 'allfail.yml', args: [] },
  // -v shows the skipped results meta tasks give when their condition is false
  { name: 'meta-when', playbook: 'meta-when.yml', args: ['-v'] },
];

interface Runs {
  ansible: RunOutput;
  ansibleJson: unknown;
  ours: RunOutput;
  oursJson: RunOutput;
  outDirs: string[];
}

const runs = new Map<string, Runs>();
const scratchDirs: string[] = [];

function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), 'tsrun-output-'));
  scratchDirs.push(d);
  return d;
}

async function runCase(c: Case): Promise<Runs> {
  const base = ['-i', INV, join(DIR, c.playbook), ...c.args];
  const [aOut, tOut, tjOut] = c.scratch ? [scratch(), scratch(), scratch()] : [];
  const extra = (d: string | undefined) => (d ? ['-e', `out=${d}`] : []);
  const jsonFile = join(scratch(), 'ansible.json');
  const [ansible, ours, oursJson] = await Promise.all([
    ansiblePlaybook([...base, ...extra(aOut)], {
      cwd: DIR,
      json: false,
      env: {
        ANSIBLE_HOST_KEY_CHECKING: 'False',
        ANSIBLE_CALLBACK_PLUGINS: join(DIR, 'callback_plugins'),
        ANSIBLE_CALLBACKS_ENABLED: 'json_to_file',
        JSON_TO_FILE: jsonFile,
      },
    }),
    tsrun([...base, ...extra(tOut)], { cwd: DIR, env: { NO_COLOR: '1', ANSIBLE_HOST_KEY_CHECKING: 'False' } }),
    tsrun([...base, ...extra(tjOut), '--json'], { cwd: DIR, env: { NO_COLOR: '1', ANSIBLE_HOST_KEY_CHECKING: 'False' } }),
  ]);
  let ansibleJson: unknown;
  try {
    ansibleJson = JSON.parse(readFileSync(jsonFile, 'utf8'));
  } catch {
    throw new Error(`ansible-playbook wrote no json document:\n${ansible.stdout}\n${ansible.stderr}`);
  }
  return { ansible, ansibleJson, ours, oursJson, outDirs: [aOut, tOut, tjOut].filter((d): d is string => d !== undefined) };
}

type Json = Record<string, unknown>;
interface JsonDoc {
  plays: { play: Json; tasks: { task: Json; hosts: Record<string, Json> }[] }[];
  stats: Json;
}

// Values that legitimately differ between runs or implementations; their keys are still compared.
const VOLATILE = new Set(['start', 'end', 'delta', 'id', 'duration']);
/**
 * Keys tsrun does not produce, on purpose:
 * - invocation: module arguments as Ansible's Python modules echo them back; tsrun's modules are shell.
 * - _ansible_delegated_vars: Ansible's internal record of the delegated host's connection vars.
 */
const NOT_PRODUCED = new Set(['invocation', '_ansible_delegated_vars']);

function shapeOf(value: unknown, outDirs: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => shapeOf(v, outDirs));
  if (value !== null && typeof value === 'object') {
    const out: Json = {};
    for (const k of Object.keys(value).sort()) {
      if (NOT_PRODUCED.has(k)) continue;
      const v = (value as Json)[k];
      out[k] = VOLATILE.has(k) ? '<volatile>' : shapeOf(v, outDirs);
    }
    return out;
  }
  if (typeof value === 'string') {
    let s = value;
    for (const d of outDirs) s = s.split(d).join('OUT');
    return s.replace(/^Failed to connect to .*/, '<connection failure>');
  }
  return value;
}

/**
 * KNOWN DIFFERENCES in module results (src/modules/copy.ts, not the output): Ansible's copy
 * names its temp source file (`src`, diff `after_header`), omits `before_header` for a new file
 * and returns the file module's path-only diff when nothing changed. The human output of the
 * same diffs is still compared line by line.
 */
const MODULE_DIFFERENCES: Record<string, string[]> = { copy: ['src', 'diff'] };

/**
 * Diffs that print nothing: entries with no before/after (lineinfile's "file attributes") or an
 * unchanged text (Ansible's lineinfile returns those in diff mode too); tsrun returns none.
 */
function printableDiffs(diff: unknown): unknown {
  const list = (Array.isArray(diff) ? diff : [diff]) as Json[];
  const kept = list.filter((d) => ('before' in d || 'after' in d || 'prepared' in d) && !('before' in d && d.before === d.after));
  return kept.length ? kept : undefined;
}

function withoutModuleDifferences(r: Json, action: string): Json {
  const drop = MODULE_DIFFERENCES[action] ?? [];
  const kept = Object.fromEntries(Object.entries(r).filter(([k]) => !drop.includes(k)));
  if ('diff' in kept) kept.diff = printableDiffs(kept.diff);
  if (kept.diff === undefined) delete kept.diff;
  if (Array.isArray(kept.results)) kept.results = kept.results.map((item: Json) => withoutModuleDifferences(item, action));
  return kept;
}

/** The json document reduced to what both tools must agree on. */
function jsonShape(doc: JsonDoc, outDirs: string[]) {
  return {
    keys: Object.keys(doc).sort(),
    plays: doc.plays.map((p) => ({
      play: { keys: Object.keys(p.play).sort(), name: p.play.name, path: p.play.path },
      tasks: p.tasks
        // Ansible lists meta tasks (flush_handlers) with no hosts; they carry no information.
        .filter((t) => Object.keys(t.hosts).length > 0)
        .map((t) => ({ task: { keys: Object.keys(t.task).sort(), name: t.task.name, path: t.task.path }, hosts: shapeOf(Object.fromEntries(Object.entries(t.hosts).map(([h, r]) => [h, withoutModuleDifferences(r, String(r.action))])), outDirs) })),
    })),
    stats: doc.stats,
  };
}

/** util-linux script(1) gives tsrun the terminal it wants before it colours anything. */
const SCRIPT = '/usr/bin/script';

describe.runIf(ansibleAvailable())('human and json output match ansible-playbook 2.14', () => {
  beforeAll(async () => {
    const results = await Promise.all(CASES.map(async (c) => [c.name, await runCase(c)] as const));
    for (const [name, r] of results) runs.set(name, r);
  }, 300_000);

  afterAll(() => {
    for (const d of scratchDirs) rmSync(d, { recursive: true, force: true });
  });

  it.each(CASES.map((c) => c.name))('%s: stdout line by line', (name) => {
    const r = runs.get(name)!;
    expect(normaliseHuman(r.ours.stdout, { outDirs: r.outDirs }), r.ours.stderr).toEqual(normaliseHuman(r.ansible.stdout, { outDirs: r.outDirs }));
    expect(r.ours.code).toBe(r.ansible.code);
  });

  itIf(existsSync(SCRIPT) ? undefined : `needs ${SCRIPT} (apt package bsdutils)`, 'colours on a terminal like ANSIBLE_FORCE_COLOR', async () => {
    // One host, so the output order is fixed and the bytes (escape codes, recap padding) compare as they are.
    const args = ['-i', INV, join(DIR, 'allfail.yml')];
    const quoted = [process.execPath, TSRUN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const [theirs, ours] = await Promise.all([
      ansiblePlaybook(args, { cwd: DIR, json: false, env: { ANSIBLE_FORCE_COLOR: '1' } }),
      // The live progress line is tsrun's own (Ansible has none): off here, tested in test/output/progress-tmux.test.ts.
      run(SCRIPT, ['-qec', `stty cols 80; exec ${quoted}`, '/dev/null'], { cwd: DIR, env: { NO_COLOR: undefined, ANSIBLE_NOCOLOR: undefined, TSRUN_PROGRESS: '0' } }),
    ]);
    const lines = (t: string) => t.replace(/\r/g, '').split('\n').filter((l) => !/^Elapsed: /.test(l)).join('\n').trimEnd();
    expect(lines(ours.stdout)).toBe(lines(theirs.stdout));
    expect(ours.stdout).toContain('\x1b[0;31mfatal: [h3]');
  }, 120_000);

  it.each(CASES.map((c) => c.name))('%s: --json like the json callback', (name) => {
    const r = runs.get(name)!;
    let ours: JsonDoc;
    try {
      ours = JSON.parse(r.oursJson.stdout) as JsonDoc;
    } catch {
      throw new Error(`tsrun --json printed no JSON document:\n${r.oursJson.stdout}\n${r.oursJson.stderr}`);
    }
    expect(jsonShape(ours, r.outDirs)).toEqual(jsonShape(r.ansibleJson as JsonDoc, r.outDirs));
    expect(r.oursJson.code).toBe(r.ansible.code);
  });
});
