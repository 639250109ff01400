/** A load within a budget of YAML tokens and bytes stops with ReadBudgetExceeded once over it. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Lexer } from 'yaml';
import { ReadBudgetExceeded, withLoadBudget } from '../../src/playbook/load-budget.js';
import { readYamlWithPositions } from '../../src/playbook/source.js';

const dir = mkdtempSync(join(tmpdir(), 'tsrun-budget-'));
const many = join(dir, 'many.yml');
writeFileSync(many, Array.from({ length: 1000 }, (_, i) => `- item ${i}\n`).join(''));
const long = join(dir, 'long.yml');
writeFileSync(long, `text: |\n${'  a line of text\n'.repeat(50_000)}`);

describe('withLoadBudget', () => {
  it('counts tokens, not bytes, for what parsing costs', () => {
    expect(() => withLoadBudget({ tokens: 1000, bytes: 1e9 }, () => readYamlWithPositions(many))).toThrow(ReadBudgetExceeded);
    // 800 KB of text block: a handful of tokens.
    expect(withLoadBudget({ tokens: 1000, bytes: 1e9 }, () => readYamlWithPositions(long))).toHaveProperty('text');
  });

  it('bounds bytes, before a file is read', () => {
    expect(() => withLoadBudget({ tokens: 1e9, bytes: 100_000 }, () => readYamlWithPositions(long))).toThrow(ReadBudgetExceeded);
  });

  it('adds up every file of the load, and leaves loads outside it unbounded', () => {
    const perFile = [...new Lexer().lex(readFileSync(many, 'utf8'))].length;
    const twice = () => [readYamlWithPositions(many), readYamlWithPositions(many)];
    const tokens = (n: number) => () => withLoadBudget({ tokens: n, bytes: 1e9 }, twice);
    expect(tokens(2 * perFile)).not.toThrow();
    expect(tokens(2 * perFile - 1)).toThrow(ReadBudgetExceeded);
    expect(twice()).toHaveLength(2);
  });
});
