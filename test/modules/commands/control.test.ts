import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import debug from '../../../src/modules/debug.js';
import setFact from '../../../src/modules/set_fact.js';
import fail from '../../../src/modules/fail.js';
import assert from '../../../src/modules/assert.js';
import pause, { pauseSeconds } from '../../../src/modules/pause.js';
import ping from '../../../src/modules/ping.js';
import includeVars from '../../../src/modules/include_vars.js';
import { commandModules } from '../../../src/modules/command-modules.js';
import { plainVars } from '../../../src/vars/types.js';
import { invoke, scratchDir } from '../../support/local-exec.js';
import { ctxFor } from './local.js';

/** A tiny evaluator for tests: a variable name, or `name == literal`. */
function evaluator(vars: Record<string, unknown>) {
  return (expr: string): unknown => {
    const eq = /^(\w+)\s*==\s*(.+)$/.exec(expr.trim());
    if (eq) return vars[eq[1]] === JSON.parse(eq[2]);
    if (!(expr in vars)) throw new Error(`'${expr}' is undefined`);
    return vars[expr];
  };
}

describe('module definitions', () => {
  it('every module has a strict schema and a unique name', () => {
    const names = new Set<string>();
    for (const m of commandModules) {
      // set_fact and add_host take variables of any name as arguments
      expect(m.argsSchema.additionalProperties, m.name).toBe(['set_fact', 'add_host'].includes(m.name));
      for (const n of [m.name, ...(m.aliases ?? [])]) {
        expect(names.has(n), n).toBe(false);
        names.add(n);
      }
    }
    expect(commandModules).toHaveLength(25);
    const control = commandModules.filter((m) => m.controlOnly).map((m) => m.name).sort();
    expect(control).toEqual(['add_host', 'assert', 'debug', 'fail', 'group_by', 'include_vars', 'pause', 'set_fact', 'validate_argument_spec']);
  });
});

describe('debug', () => {
  it('msg, var, undefined var, verbosity', async () => {
    const vars = { x: [1, 2] };
    const ctx = (args: Record<string, unknown>, v: Record<string, unknown> = {}) =>
      ctxFor(args, { evaluate: evaluator(vars), vars: plainVars(v) });
    expect(await invoke(debug, ctx({}))).toMatchObject({ msg: 'Hello world!', changed: false });
    expect(await invoke(debug, ctx({ msg: ['a'] }))).toMatchObject({ msg: ['a'] });
    expect(await invoke(debug, ctx({ var: 'x' }))).toMatchObject({ x: [1, 2], changed: false });
    expect(await invoke(debug, ctx({ var: 'nope' }))).toMatchObject({ nope: 'VARIABLE IS NOT DEFINED!' });
    expect(await invoke(debug, ctx({ msg: 'hi', verbosity: 2 }))).toMatchObject({ skipped: true, skipped_reason: 'Verbosity threshold not met.' });
    expect(await invoke(debug, ctx({ msg: 'hi', verbosity: 2 }, { ansible_verbosity: 2 }))).toMatchObject({ msg: 'hi' });
  });
});

describe('set_fact / fail / assert', () => {
  it('set_fact returns ansible_facts and converts yes/no strings like Ansible', async () => {
    const r = await invoke(setFact, ctxFor({ a: 1, b: 'yes', c: 'False', d: 'text', cacheable: true }));
    expect(r).toEqual({ changed: false, ansible_facts: { a: 1, b: true, c: false, d: 'text' }, _ansible_facts_cacheable: true });
    expect((await invoke(setFact, ctxFor({ 'bad-name': 1 }))).failed).toBe(true);
    expect((await invoke(setFact, ctxFor({}))).failed).toBe(true);
  });

  it('fail', async () => {
    expect(await invoke(fail, ctxFor({}))).toEqual({ failed: true, changed: false, msg: 'Failed as requested from task' });
    expect(await invoke(fail, ctxFor({ msg: 'boom' }))).toMatchObject({ failed: true, msg: 'boom' });
  });

  it('assert evaluates each condition with Python truthiness', async () => {
    const ctx = (args: Record<string, unknown>) => ctxFor(args, { evaluate: evaluator({ a: 1, empty: [], s: 'x' }) });
    expect(await invoke(assert, ctx({ that: ['a == 1', 's'] }))).toMatchObject({ changed: false, msg: 'All assertions passed' });
    expect(await invoke(assert, ctx({ that: 'a == 1', success_msg: 'good', quiet: true }))).toEqual({ changed: false, msg: 'good' });
    expect(await invoke(assert, ctx({ that: ['a == 1', 'empty'], fail_msg: 'bad' }))).toEqual({
      failed: true,
      changed: false,
      evaluated_to: false,
      assertion: 'empty',
      msg: 'bad',
    });
    expect(await invoke(assert, ctx({ that: 'a == 2' }))).toMatchObject({ failed: true, msg: 'Assertion failed' });
  });
});

describe('pause and ping', () => {
  it('pause waits the given time and, without a TTY, skips a prompt with a warning (as Ansible)', async () => {
    expect(pauseSeconds({ minutes: 2 })).toBe(120);
    expect(pauseSeconds({})).toBeNull();
    // The wait is checked on a fake clock: still waiting at 999 ms, done at 1000 ms.
    vi.useFakeTimers();
    let r: Awaited<ReturnType<typeof invoke>>;
    try {
      let done = false;
      const running = invoke(pause, ctxFor({ seconds: 1 })).then((x) => ((done = true), x));
      await vi.advanceTimersByTimeAsync(999);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(done).toBe(true);
      r = await running;
    } finally {
      vi.useRealTimers();
    }
    expect(r).toMatchObject({ changed: false, stdout: 'Paused for 1.0 seconds', delta: 1, rc: 0, stderr: '', user_input: '', echo: true });
    if (!process.stdin.isTTY) {
      const skipped = await invoke(pause, ctxFor({ prompt: 'go?' }));
      expect(skipped.failed).toBeUndefined();
      expect(skipped.user_input).toBe('');
      expect(skipped.warnings).toEqual(['Not waiting for response to prompt as stdin is not interactive']);
    }
  });

  it('ping round-trips through the connection', async () => {
    expect(await invoke(ping, ctxFor({}))).toEqual({ changed: false, ping: 'pong' });
    expect(await invoke(ping, ctxFor({ data: 'x' }))).toEqual({ changed: false, ping: 'x' });
  });
});

describe('include_vars', () => {
  const dir = scratchDir();
  writeFileSync(join(dir, 'main.yml'), 'a: 1\nflag: yes\nnested: {x: 1}\n');
  mkdirSync(join(dir, 'd/sub'), { recursive: true });
  writeFileSync(join(dir, 'd/10-one.yml'), 'one: 1\nnested: {x: 1}\n');
  writeFileSync(join(dir, 'd/20-two.json'), '{"two": 2, "nested": {"y": 2}}');
  writeFileSync(join(dir, 'd/sub/30-three.yaml'), 'three: 3\n');
  writeFileSync(join(dir, 'd/README.txt'), 'text');
  const ctx = (args: Record<string, unknown>) => ctxFor(args, { findFile: (_k, rel) => join(dir, rel) });

  it('loads one file, optionally under a name', async () => {
    const r = await invoke(includeVars, ctx({ _raw_params: 'main.yml' }));
    expect(r).toEqual({ changed: false, ansible_facts: { a: 1, flag: true, nested: { x: 1 } }, ansible_included_var_files: [join(dir, 'main.yml')] });
    const named = await invoke(includeVars, ctx({ file: 'main.yml', name: 'cfg' }));
    expect(named.ansible_facts).toEqual({ cfg: { a: 1, flag: true, nested: { x: 1 } } });
  });

  it('loads a directory in order, with depth, matching and merge', async () => {
    const r = await invoke(includeVars, ctx({ dir: 'd', ignore_unknown_extensions: true }));
    expect(r.ansible_facts).toEqual({ one: 1, two: 2, three: 3, nested: { y: 2 } });
    expect(r.ansible_included_var_files).toEqual([join(dir, 'd/10-one.yml'), join(dir, 'd/20-two.json'), join(dir, 'd/sub/30-three.yaml')]);
    const shallow = await invoke(includeVars, ctx({ dir: 'd', depth: 1, files_matching: '.*one', hash_behaviour: 'merge' }));
    expect(shallow.ansible_facts).toEqual({ one: 1, nested: { x: 1 } });
    const merged = await invoke(includeVars, ctx({ dir: 'd', depth: 1, hash_behaviour: 'merge', ignore_files: ['README'] }));
    expect(merged.ansible_facts).toEqual({ one: 1, two: 2, nested: { x: 1, y: 2 } });
    const strict = await invoke(includeVars, ctx({ dir: 'd' }));
    expect(strict.failed).toBe(true);
  });
});
