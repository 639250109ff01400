import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { cycles, folderGraph, importGraph } from './import-graph.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

describe('import cycles in src/', () => {
  const graph = importGraph(SRC);

  it('scans the tree and resolves imports to files that exist', () => {
    expect(graph.size).toBeGreaterThan(100);
    const missing = [...graph].flatMap(([f, deps]) => deps.filter((d) => !graph.has(d)).map((d) => `${f} -> ${d}`));
    expect(missing).toEqual([]);
  });

  it('no file imports itself through others', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('no two concepts (top-level folders) depend on each other', () => {
    expect(cycles(folderGraph(graph))).toEqual([]);
  });

  it('the scanner finds a cycle when there is one (and type-only imports count)', () => {
    const g = new Map([['a/x.ts', ['b/y.ts']], ['b/y.ts', ['a/z.ts']], ['a/z.ts', []], ['c/w.ts', ['c/w.ts']]]);
    expect(cycles(g)).toEqual([['c/w.ts']]);
    expect(cycles(folderGraph(g))).toEqual([['a', 'b']]);
  });
});
