import { describe, expect, it } from 'vitest';
import { serialBatches } from '../../src/executor/playbook-runner.js';
import { RunStats } from '../../src/output/stats.js';

const hosts = ['a', 'b', 'c', 'd', 'e'];

describe('serialBatches', () => {
  it.each([
    [undefined, [['a', 'b', 'c', 'd', 'e']]],
    [2, [['a', 'b'], ['c', 'd'], ['e']]],
    ['40%', [['a', 'b'], ['c', 'd'], ['e']]],
    ['10%', [['a'], ['b'], ['c'], ['d'], ['e']]],
    [[1, 3], [['a'], ['b', 'c', 'd'], ['e']]],
    [[1, '50%'], [['a'], ['b', 'c'], ['d', 'e']]],
  ])('serial %j', (serial, expected) => {
    expect(serialBatches(hosts, serial)).toEqual(expected);
  });
});

describe('RunStats.exitCode', () => {
  it('is 0, 2 for failures, 4 when any host is unreachable (unreachable wins)', () => {
    const s = new RunStats();
    s.increment('a', 'ok');
    expect(s.exitCode()).toBe(0);
    s.increment('a', 'failures');
    expect(s.exitCode()).toBe(2);
    s.increment('b', 'unreachable');
    expect(s.exitCode()).toBe(4);
  });
});
