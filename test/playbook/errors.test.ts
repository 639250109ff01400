import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../src/util/errors.js';
import { loadPlaybook, loadTaskFile } from '../../src/playbook/index.js';
import { fakeRegistry } from './fake-registry.js';

/**
 * Every fixture in errors/ must fail to load. Its first line says how:
 * `# expect: LINE:COL: message` (file is the fixture itself) or `# expect-re: <regex on the whole message>`.
 * Files named tasks-*.yml are loaded as task files, the others as playbooks.
 */
const dir = join(import.meta.dirname, '../fixtures/playbook/errors');
const opts = { modules: fakeRegistry() };

function load(file: string): void {
  if (file.split('/').pop()!.startsWith('tasks-')) loadTaskFile(file, { opts });
  else loadPlaybook(file, opts);
}

describe('load errors name file:line:column', () => {
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.yml')).sort()) {
    test(name, () => {
      const file = join(dir, name);
      const header = readFileSync(file, 'utf8').split('\n')[0];
      let err: unknown;
      try {
        load(file);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as ConfigError).message;
      const shown = relative(process.cwd(), file);
      const exact = /^# expect: (.*)$/.exec(header);
      if (exact) expect(message).toBe(`${shown}:${exact[1]}`);
      else expect(message).toMatch(new RegExp(/^# expect-re: (.*)$/.exec(header)![1]));
      expect((err as ConfigError).exitCode).toBe(4);
    });
  }
});
