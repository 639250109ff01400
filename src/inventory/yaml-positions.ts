import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { ANSIBLE_YAML_OPTIONS } from '../yaml/yaml.js';

/**
 * Line (1-based) of the mapping key at `path` in a YAML text, for error messages. Only used
 * on the error path, so the re-parse costs nothing in normal runs.
 */
export function yamlKeyPos(text: string, path: string[]): { line: number; column: number } | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...ANSIBLE_YAML_OPTIONS, lineCounter, prettyErrors: false });
  let node: unknown = doc.contents;
  let line: { line: number; column: number } | undefined;
  for (const key of path) {
    if (!isMap(node)) return line;
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (!pair) return line;
    const range = (pair.key as Node).range;
    if (range) {
      const p = lineCounter.linePos(range[0]);
      line = { line: p.line, column: p.col };
    }
    node = pair.value;
  }
  return line;
}
