import { describe, expect, it } from 'vitest';
import { splitTags, tagsSelect } from '../../src/executor/tags.js';

// Each row: task tags, --tags, --skip-tags, whether the task runs (Ansible's rules).
const cases: [string[], string[], string[], boolean][] = [
  [[], [], [], true],
  [['a'], [], [], true],
  [['a'], ['a'], [], true],
  [['a'], ['b'], [], false],
  [[], ['b'], [], false],
  [['always'], ['b'], [], true],
  [['always'], [], ['always'], false],
  [['always', 'a'], [], ['a'], false],
  [['never'], [], [], false],
  [['never', 'debug'], ['debug'], [], true],
  [['never', 'debug'], ['all'], [], false],
  [['a'], ['tagged'], [], true],
  [[], ['tagged'], [], false],
  [[], ['untagged'], [], true],
  [['a'], ['untagged'], [], false],
  [['a', 'b'], [], ['b'], false],
  [['a'], [], ['tagged'], false],
  [[], [], ['untagged'], false],
  [['a'], ['all'], ['a'], false],
];

describe('tagsSelect', () => {
  it.each(cases)('task %j with --tags %j --skip-tags %j runs: %s', (task, only, skip, expected) => {
    expect(tagsSelect(task, { only, skip })).toBe(expected);
  });

  it('splits comma lists', () => {
    expect(splitTags(['a,b', ' c '])).toEqual(['a', 'b', 'c']);
  });
});
