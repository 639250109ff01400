import { describe, expect, test } from 'vitest';
import { validateArguments, type ArgSpec } from '../../src/argspec/validate.js';
import type { PyClassOf } from '../../src/argspec/py-class.js';

/**
 * Ansible's ArgumentSpecValidator, step by step (the messages were read from ansible-playbook
 * 2.14 runs; test/oracle/role-argspecs.test.ts compares whole runs with it).
 */
const spec: ArgSpec = {
  name: { type: 'str', required: true },
  port: { type: 'int', default: 80 },
  mode: { type: 'str', choices: ['yes', 'maybe'] },
  tags: { type: 'list', elements: 'int' },
  size: { type: 'bytes' },
  net: {
    type: 'dict',
    mutually_exclusive: [['a', 'b']],
    required_if: [['a', 1, ['c']]],
    options: { a: { type: 'int' }, b: { type: 'int' }, c: { type: 'str', aliases: ['cc'] }, inner: { type: 'dict', options: { leaf: { type: 'bool', required: true } } } },
  },
};

describe('validateArguments: parameters → Ansible messages and converted values', () => {
  test.each<[string, Record<string, unknown>, string[]]>([
    ['nothing wrong', { name: 'n', port: '8080', tags: '1,2', size: '2K', net: { a: '1', cc: 'x' } }, []],
    ['a required option missing', {}, ['missing required arguments: name']],
    ['an int that is no int', { name: 'n', port: 'http' }, ["argument 'port' is of type <class 'str'> and we were unable to convert to int: <class 'str'> cannot be converted to an int"]],
    ['an element that is no int', { name: 'n', tags: ['1', 'x'] }, ["Elements value for option 'tags' is of type <class 'str'> and we were unable to convert to int: <class 'str'> cannot be converted to an int"]],
    ['a bytes value that is no size', { name: 'n', size: '2Q' }, ["argument 'size' is of type <class 'str'> and we were unable to convert to bytes: <class 'str'> cannot be converted to a Byte value"]],
    ['a choice not offered', { name: 'n', mode: 'no' }, ['value of mode must be one of: yes, maybe, got: no']],
    ['True written for the choice yes', { name: 'n', mode: true }, []],
    ['an unknown name', { name: 'n', nme: 'x' }, ['nme. Supported parameters include: mode, name, net, port, size, tags.']],
    ['nested checks name where they are', { name: 'n', net: { a: 1, b: 2, x: 1, inner: {} } }, [
      'parameters are mutually exclusive: a|b found in net',
      'a is 1 but all of the following are missing: c found in net',
      'missing required arguments: leaf found in net -> inner',
      'net.x. Supported parameters include: a, b, c, inner (cc).',
    ]],
    ['required_if inside a dict option', { name: 'n', net: { a: 1 } }, ['a is 1 but all of the following are missing: c found in net']],
  ])('%s', (_what, params, errors) => {
    expect(validateArguments(spec, params).errors).toEqual(errors);
  });

  test('values are converted and defaults filled; the input is not changed', () => {
    const params = { name: 5, net: { cc: 'x' } };
    const r = validateArguments(spec, params);
    expect(r.params).toEqual({ name: '5', port: 80, mode: null, tags: null, size: null, net: { c: 'x', cc: 'x', a: null, b: null, inner: null } });
    expect(params).toEqual({ name: 5, net: { cc: 'x' } });
  });

  test('the Python class comes from classOf: a float written 37. is no int', () => {
    const classOf: PyClassOf = (v, path) => (path.join('.') === 'port' ? 'float' : typeof v === 'string' ? 'AnsibleUnicode' : 'int');
    expect(validateArguments(spec, { name: 'n', port: 37 }, classOf).errors).toEqual([
      "argument 'port' is of type <class 'float'> and we were unable to convert to int: <class 'float'> cannot be converted to an int",
    ]);
  });

  test('a spec with required and a default is reported (the default then fills the option)', () => {
    expect(validateArguments({ x: { required: true, default: 1 } }, {}).errors).toEqual(['internal error: required and default are mutually exclusive for x']);
  });
});
