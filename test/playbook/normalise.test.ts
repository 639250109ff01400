import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { readYamlFile } from '../../src/yaml/yaml.js';
import { loadTaskFile } from '../../src/playbook/index.js';
import { fakeRegistry } from './fake-registry.js';

interface Case {
  case: string;
  tasks: unknown[];
  expect: Record<string, unknown>[];
}

const cases = readYamlFile(join(import.meta.dirname, '../fixtures/playbook/normalise/cases.yml')) as Case[];
const dir = mkdtempSync(join(tmpdir(), 'tsrun-normalise-'));
const opts = { modules: fakeRegistry() };

describe('task normalisation', () => {
  cases.forEach((c, i) => {
    test(c.case, () => {
      const file = join(dir, `case${i}.yml`);
      writeFileSync(file, stringify(c.tasks));
      const items = loadTaskFile(file, { opts });
      expect(items).toHaveLength(c.expect.length);
      c.expect.forEach((e, j) => expect(items[j]).toMatchObject(e));
      for (const item of items) {
        expect(item.pos.file).toBe(file);
        if (item.kind === 'task') expect(item.baseDir).toBe(dir);
      }
    });
  });

  test('positions point at each task mapping', () => {
    const file = join(dir, 'pos.yml');
    writeFileSync(file, '- name: a\n  debug: msg=1\n\n-   command: ls\n    when: x\n');
    const items = loadTaskFile(file, { opts });
    expect(items.map((t) => [t.pos.line, t.pos.column])).toEqual([[1, 3], [4, 5]]);
  });
});
