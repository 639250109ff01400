/**
 * Real examples for `tsrun doc`: the first task in the repository's own roles and playbooks
 * that uses the module. They are run by the project's tests, so they stay valid.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, stringify, type Node } from 'yaml';

function yamlFiles(dir: string, depth = 4): string[] {
  if (!existsSync(dir) || depth < 0) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p, depth - 1));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

/** Walks task lists (including blocks and plays' task sections) for a mapping with the module's key. */
function findTask(node: Node | null | undefined, keys: Set<string>): Node | undefined {
  if (isSeq(node)) {
    for (const item of node.items) {
      const hit = findTask(item as Node, keys);
      if (hit) return hit;
    }
  } else if (isMap(node)) {
    for (const pair of node.items) {
      const k = String((pair.key as { value?: unknown })?.value ?? '');
      if (keys.has(k)) return node;
    }
    for (const pair of node.items) {
      const hit = findTask(pair.value as Node, keys);
      if (hit) return hit;
    }
  }
  return undefined;
}

export function repositoryExample(root: string, moduleNames: string[]): { text: string; where: string } | undefined {
  const keys = new Set(moduleNames);
  const files = [...yamlFiles(join(root, 'roles')), ...yamlFiles(join(root, 'playbooks'))].filter((f) => !/\/(defaults|vars|meta)\//.test(f));
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    if (![...keys].some((k) => text.includes(`${k}:`))) continue;
    const lc = new LineCounter();
    let doc;
    try {
      doc = parseDocument(text, { lineCounter: lc });
    } catch {
      continue;
    }
    const task = findTask(doc.contents as Node, keys);
    if (!task?.range) continue;
    const body = stringify([task.toJSON()], { lineWidth: 0 }).trimEnd();
    return { text: body, where: `${relative(root, file)}:${lc.linePos(task.range[0]).line}` };
  }
  return undefined;
}
