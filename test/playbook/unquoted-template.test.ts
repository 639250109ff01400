/**
 * `msg: {{ foo }}` unquoted is a mapping used as a key: PyYAML (so Ansible) refuses it and
 * explains the quoting; tsrun must not run it as `{"{ foo }": null}` (issue 15 #4).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/yaml/yaml.js';
import { ansibleAvailable, ansiblePlaybook, tsrun } from '../support/runners.js';

const BOOK = '- hosts: localhost\n  gather_facts: false\n  vars:\n    foo: 1\n  tasks:\n    - debug:\n        msg: {{ foo }}\n';

describe('an unquoted template at the start of a value', () => {
  it('is refused with file:line:column, a caret and the quoting advice, exit 4', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-unquoted-'));
    writeFileSync(join(dir, 'book.yml'), BOOK);
    const r = await tsrun(['-i', 'localhost,', 'book.yml'], { cwd: dir });
    expect(r.code).toBe(4);
    expect(r.stdout).not.toContain('TASK');
    expect(r.stderr).toContain('ERROR! YAML syntax error: found unacceptable key');
    expect(r.stderr).toContain(`The error appears to be in '${join(dir, 'book.yml')}': line 7, column 15, but may\n`);
    expect(r.stderr).toMatch(/\n {4}- debug:\n {8}msg: \{\{ foo \}\}\n {14}\^ here\n/);
    expect(r.stderr).toContain('Always quote template expression brackets when they start a value');
    expect(r.stderr).not.toContain('Warning');
    if (ansibleAvailable()) {
      const a = await ansiblePlaybook(['-i', 'localhost,', 'book.yml'], { cwd: dir, json: false });
      expect(a.code).toBe(4);
      expect(a.stdout + a.stderr).toContain('line 7, column 15');
      // The position block and the excerpt are Ansible's, character for character.
      const block = (text: string) => /The error appears to be in [^]*?\^ here\n/.exec(text)?.[0];
      expect(block(r.stderr)).toBeDefined();
      expect(block(r.stderr)).toBe(block(a.stderr));
    }
  });

  it('is refused in vars files and inventories too, and lists as keys as well', () => {
    expect(() => parseYaml('a: {{ b }}\n', 'vars.yml')).toThrow(/^vars\.yml:1:5: YAML syntax error: found unacceptable key \(a mapping/);
    expect(() => parseYaml('? [a, b]\n: 1\n', 'vars.yml')).toThrow(/found unacceptable key \(a list cannot be a key\)/);
    expect(parseYaml('a: "{{ b }}"\n', 'vars.yml')).toEqual({ a: '{{ b }}' });
  });
});
