import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OMIT_TOKEN, evaluateCondition, renderString, type TemplateEnv } from '../../src/template/index.js';
import { plainVars } from '../../src/vars/types.js';
import { ORACLE_CASES, ORACLE_VARS, type OracleCase } from './expressions-cases.js';

const hasAnsible = spawnSync('ansible-playbook', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasAnsible && process.env.CI !== 'true') console.warn('skipping expression oracle tests: ansible-playbook is not installed');

type Outcome = { ok: true; value: unknown } | { ok: false; message: string };
const ORACLE_ENV = { TSRUN_ORACLE_ENV: 'oracle-value' };

function caseTask(c: OracleCase, i: number): Record<string, unknown> {
  if ('t' in c) return { name: `case ${i}`, debug: { msg: c.t }, ignore_errors: true };
  return { name: `case ${i}`, debug: { msg: 'ok' }, when: c.when, ignore_errors: true };
}

function runAnsible(dir: string): Outcome[] {
  const playbook = [{ hosts: 'localhost', connection: 'local', gather_facts: false, vars: ORACLE_VARS, tasks: ORACLE_CASES.map(caseTask) }];
  // JSON is YAML, so quoting of the expressions cannot go wrong
  writeFileSync(join(dir, 'play.yml'), JSON.stringify(playbook, null, 1));
  const r = spawnSync('ansible-playbook', ['-i', 'localhost,', 'play.yml'], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      ...ORACLE_ENV,
      HOME: dir,
      ANSIBLE_LOCAL_TEMP: join(dir, 'tmp'),
      ANSIBLE_STDOUT_CALLBACK: 'json',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_DEPRECATION_WARNINGS: '0',
      ANSIBLE_LOCALHOST_WARNING: '0',
      ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  const start = r.stdout.indexOf('{');
  if (start < 0) throw new Error(`ansible-playbook produced no JSON (rc ${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout.slice(start)) as { plays: { tasks: { task: { name: string }; hosts: Record<string, Record<string, unknown>> }[] }[] };
  const tasks = out.plays[0].tasks;
  if (tasks.length !== ORACLE_CASES.length) throw new Error(`expected ${ORACLE_CASES.length} task results, got ${tasks.length}: ${r.stderr}`);
  return tasks.map((t, i) => {
    const res = t.hosts.localhost;
    if (res.failed) return { ok: false, message: String(res.msg ?? res.exception ?? JSON.stringify(res)) };
    const c = ORACLE_CASES[i];
    if ('when' in c) return { ok: true, value: !res.skipped };
    return { ok: true, value: res.msg };
  });
}

function runOurs(c: OracleCase, env: TemplateEnv): Outcome {
  try {
    const v = 't' in c ? renderString(c.t, env) : evaluateCondition(c.when, env);
    return { ok: true, value: JSON.parse(JSON.stringify(v ?? null)) };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

describe.runIf(hasAnsible || process.env.CI === 'true')('expressions vs ansible-playbook', () => {
  let dir = '';
  let expected: Outcome[] = [];
  let env: TemplateEnv;

  beforeAll(() => {
    if (!hasAnsible) throw new Error('ansible-playbook is not installed (required when CI=true)');
    dir = mkdtempSync(join(tmpdir(), 'tsrun-expr-oracle-'));
    mkdirSync(join(dir, 'files'));
    mkdirSync(join(dir, 'tmp'));
    writeFileSync(join(dir, 'files', 'oracle.txt'), 'file content\nline 2\n\n');
    Object.assign(process.env, ORACLE_ENV);
    env = { vars: plainVars({ ...ORACLE_VARS, omit: OMIT_TOKEN }), searchPath: [dir] };
    expected = runAnsible(dir);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has at least 100 cases', () => {
    expect(ORACLE_CASES.length).toBeGreaterThanOrEqual(100);
  });

  it.each(ORACLE_CASES.map((c, i) => [i, 't' in c ? c.t : `when: ${c.when}`, c] as const))('case %i: %s', (i, _label, c) => {
    const ours = runOurs(c, env);
    const theirs = expected[i];
    if (!theirs.ok) {
      expect(ours.ok, `ansible failed (${theirs.message}) but tsrun gave ${JSON.stringify(ours)}`).toBe(false);
      return;
    }
    expect(ours).toEqual(theirs);
  });
});
