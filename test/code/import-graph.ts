/**
 * The relative-import graph of src/, read from the source text (type-only imports included:
 * they couple the files for a reader as much as value imports do). Own scanner rather than
 * madge: ~50 lines against madge's resolver chain, it sees `import type`, and it also answers the
 * folder-level question (does concept A depend on B and B on A?), which madge does not.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const IMPORT = /(?:^|[\n;])\s*(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** file (relative to root) → the files it imports (relative to root). */
export function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const abs of tsFiles(root)) {
    const text = readFileSync(abs, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const deps = new Set<string>();
    for (const re of [IMPORT, DYNAMIC]) {
      for (const m of text.matchAll(re)) deps.add(relative(root, resolve(dirname(abs), m[1]!.replace(/\.js$/, '.ts'))));
    }
    graph.set(relative(root, abs), [...deps].sort());
  }
  return graph;
}

/** Strongly connected components with more than one member, or a self-loop (Tarjan). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

/** The graph between top-level folders of root (a file directly in root is its own node). */
export function folderGraph(graph: Map<string, string[]>): Map<string, string[]> {
  const top = (f: string) => f.split('/')[0]!;
  const out = new Map<string, Set<string>>();
  for (const [f, deps] of graph) {
    const set = out.get(top(f)) ?? new Set<string>();
    for (const d of deps) if (top(d) !== top(f)) set.add(top(d));
    out.set(top(f), set);
  }
  return new Map([...out].map(([k, v]) => [k, [...v].sort()]));
}
