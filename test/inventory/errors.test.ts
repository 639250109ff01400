import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/index.js';
import { ConfigError } from '../../src/util/errors.js';
import { onLoaderWarning } from '../../src/util/warnings.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'inventory', 'errors');

function errorOf(file: string): ConfigError {
  try {
    loadInventory([join(DIR, file)]);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`${file} loaded without error`);
}

describe('inventory errors name file, line and problem', () => {
  // Problems found after the whole file was read name the line only.
  const lineOnly: [string, number, RegExp][] = [
    ['undefined-child.ini', 5, /\[prod:children\] includes undefined group 'missing'/],
    ['vars-undefined-group.ini', 4, /\[x:vars\] is for group 'x', which is never defined/],
  ];
  for (const [file, line, problem] of lineOnly) {
    it(file, () => {
      const err = errorOf(file);
      expect(err.message).toContain(`${join(DIR, file)}:${line}: `);
      expect(err.message).toMatch(problem);
      expect(err.pos).toEqual({ file: join(DIR, file), line });
    });
  }

  // A line that cannot be read: its column is where the entry starts.
  const cases: [string, number, RegExp][] = [
    ['bad-section-space.ini', 3, /invalid section header '\[bad group\]'/],
    ['bad-section-type.ini', 1, /unknown type 'hostz'/],
    ['unclosed-quote.ini', 2, /No closing quotation/],
    ['empty-range.ini', 3, /host range \[3:1\] in 'h\[3:1\]' yields no hosts/],
    ['key-without-equals.ini', 2, /expected key=value host variable assignment, got 'novalue'/],
    ['group-var-without-equals.ini', 5, /expected key=value in \[g:vars\], got 'justaword'/],
    ['trailing-colon.ini', 2, /trailing ':' must be followed by a port/],
    ['bad-child-name.ini', 4, /expected a group name in \[p:children\], got 'g extra'/],
    ['range-unequal-width.ini', 2, /equal-length begin and end/],
  ];
  for (const [file, line, problem] of cases) {
    it(file, () => {
      const err = errorOf(file);
      const column = readFileSync(join(DIR, file), 'utf8').split('\n')[line - 1].search(/\S/) + 1;
      expect(err.message).toContain(`${join(DIR, file)}:${line}:${column}: `);
      expect(err.message).toMatch(problem);
      expect(err.pos).toEqual({ file: join(DIR, file), line, column });
      expect(err.exitCode).toBe(4);
    });
  }

  const yamlCases: [string, string, RegExp][] = [
    ['group-is-list.yml', '1:1', /group 'g' must be a mapping/],
    ['host-vars-not-mapping.yml', '3:5', /host 'h1' in group 'g' must map to a mapping of variables/],
    ['unknown-group-key.yml', '2:3', /unexpected key 'host' in group 'g'.*\(did you mean `hosts`\?\)/],
  ];
  for (const [file, at, problem] of yamlCases) {
    it(file, () => {
      const err = errorOf(file);
      expect(err.message.startsWith(`${join(DIR, file)}:${at}: `)).toBe(true);
      expect(err.message).toMatch(problem);
    });
  }

  it('a missing source is a warning, as in ansible-playbook, and the other sources still load', () => {
    const seen: string[] = [];
    onLoaderWarning((m) => seen.push(m));
    const inv = loadInventory(['/nonexistent/inventory', 'h1,']);
    expect(inv.hostNames).toEqual(['h1']);
    expect(seen).toEqual([expect.stringMatching(/^Unable to parse \/nonexistent\/inventory as an inventory source/)]);
  });
});
