import { describe, expect, it } from 'vitest';
import { callModule, prepareArgs } from '../../src/executor/module-args.js';
import { moduleRegistry } from '../../src/modules/index.js';
import { localContext } from '../support/local-exec.js';

const modules = moduleRegistry();
const def = (name: string) => {
  const d = modules.get(name);
  if (!d) throw new Error(`no module ${name}`);
  return d;
};

/** Rendered args → converted args, as Ansible's argument spec converts them. */
describe('prepareArgs converts like Ansible', () => {
  it.each([
    ['wait_for', { port: '18999', timeout: ' 2 ' }, { port: 18999, timeout: 2 }],
    ['wait_for', { timeout: '1.5' }, { timeout: 1.5 }],
    ['group', { name: 'g', system: 'yes', force: 'False', non_unique: 0 }, { name: 'g', system: true, force: false, non_unique: false }],
    ['user', { name: 'u', groups: 'a, b' }, { name: 'u', groups: 'a, b' }],
    ['command', { cmd: 'true', creates: true }, { cmd: 'true', creates: 'True' }],
    ['user', { name: 'u', comment: 42 }, { name: 'u', comment: '42' }],
    ['group', { name: 'g', gid: null }, { name: 'g' }],
  ])('%s %j', (module, args, expected) => {
    expect(prepareArgs(def(module), module, args)).toEqual({ ok: true, args: expected });
  });
});

/** Values that cannot be converted fail the task: module, argument, expected type, rendered value. */
describe('prepareArgs refuses with a clear message', () => {
  it.each([
    ['group', { name: 'g', gid: '1; touch /tmp/PWNED #' }, "group: argument 'gid' is of type str and we were unable to convert to int: '1; touch /tmp/PWNED #'"],
    ['user', { name: 'u', uid: '$(id)' }, "user: argument 'uid' is of type str and we were unable to convert to int: '$(id)'"],
    ['wait_for', { timeout: 'yes' }, "wait_for: argument 'timeout' is of type str and we were unable to convert to float: 'yes'"],
    ['group', { name: 'g', system: 'maybe' }, "group: argument 'system' is of type str and we were unable to convert to bool: 'maybe'"],
    ['user', { name: 'u', password: 'secret-hash', uid: 1, shell: ['x'] }, "user: argument 'shell' is of type list and we were unable to convert to str: ['x']"],
    ['file', { path: '/x', state: 'dir' }, "file: value of state must be one of: file, directory, touch, absent, link, hard, got: 'dir'"],
    ['group', { name: 'g', foo: 1 }, 'Unsupported parameters for (group) module: foo. Supported parameters include: force, gid, local, name, non_unique, state, system.'],
    ['group', {}, 'group: missing required arguments: name'],
  ])('%s %j', (module, args, msg) => {
    expect(prepareArgs(def(module), module, args)).toEqual({ ok: false, msg });
  });

  it('never shows a no_log argument', () => {
    const r = prepareArgs(def('user'), 'user', { name: 'u', password: ['s3cret'] });
    expect(r).toEqual({ ok: false, msg: "user: argument 'password' is of type list and we were unable to convert to str: VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" });
  });
});

describe('check mode belongs to the engine', () => {
  it('skips a module without check-mode support before it can touch the host', async () => {
    const ctx = localContext({ _raw_params: 'touch /tmp/never' }, {
      check: true,
      exec: () => {
        throw new Error('a module skipped in check mode must not reach the host');
      },
    });
    expect(await callModule(def('raw'), 'raw', ctx)).toEqual({ changed: false, skipped: true });
    expect(await callModule(def('wait_for'), 'wait_for', { ...ctx, args: { timeout: 1 } })).toEqual({ changed: false, skipped: true, msg: 'remote module (wait_for) does not support check mode' });
  });
});
