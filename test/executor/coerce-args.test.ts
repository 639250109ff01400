import { describe, expect, it } from 'vitest';
import { coerceArgs } from '../../src/executor/coerce-args.js';

const schema = {
  properties: {
    port: { type: 'integer' },
    timeout: { type: 'number' },
    force: { type: 'boolean' },
    groups: { type: 'array' },
    mode: { type: ['string', 'integer'] },
    name: { type: 'string' },
    free: {},
  },
};

describe('coerceArgs', () => {
  it.each([
    [{ port: '18999' }, { port: 18999 }],
    [{ port: ' 22 ' }, { port: 22 }],
    [{ timeout: '1.5' }, { timeout: 1.5 }],
    [{ force: 'yes' }, { force: true }],
    [{ force: 'False' }, { force: false }],
    [{ force: 'maybe' }, { force: 'maybe' }],
    [{ groups: 'a, b' }, { groups: ['a', 'b'] }],
    [{ mode: '0644' }, { mode: '0644' }],
    [{ name: 42 }, { name: '42' }],
    [{ port: 'eighty' }, { port: 'eighty' }],
    [{ free: '12' }, { free: '12' }],
    [{ unknown: '12' }, { unknown: '12' }],
  ])('%j -> %j', (args, expected) => {
    expect(coerceArgs(args, schema)).toEqual(expected);
  });
});
