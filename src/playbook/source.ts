import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Document, type Node, type Scalar } from 'yaml';
import { markFloat, writtenAsFloat } from '../yaml/float-marks.js';
import { ANSIBLE_YAML_OPTIONS, checkDocument } from '../yaml/yaml.js';
import { parseYamlDocument } from '../yaml/yaml-compose.js';
import { maybeDecryptText } from '../vault/keyring.js';
import { ConfigError, type SourcePos } from '../util/errors.js';
import { ReadBudgetExceeded, spendBytes, tokenMeter } from './load-budget.js';

/**
 * Where the pieces of a loaded YAML file came from. Plain JS objects are what the loader works
 * on; this side table maps each mapping/sequence back to its node so any key or value can be
 * reported as file:line:column without threading nodes through the code.
 */
interface NodeInfo {
  file: string;
  pos: SourcePos;
  /** For mappings: key -> position of the key and of its value. For sequences: index -> item. */
  keys: Map<string, { key: SourcePos; value: SourcePos }>;
  items: SourcePos[];
}

const infos = new WeakMap<object, NodeInfo>();


/** The name shown to the operator: relative to cwd when the file is below it. */
export function displayPath(file: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

function posAt(file: string, lc: LineCounter, offset: number | undefined): SourcePos {
  if (offset === undefined) return { file };
  const { line, col } = lc.linePos(offset);
  return { file, line, column: col };
}

function resolveNode(node: unknown, doc: Document): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function record(js: unknown, node: unknown, doc: Document, file: string, lc: LineCounter, seen: Set<object>): void {
  node = resolveNode(node, doc);
  if (js === null || typeof js !== 'object' || seen.has(js)) return;
  seen.add(js);
  const pos = posAt(file, lc, (node as Node | undefined)?.range?.[0]);
  const info: NodeInfo = { file, pos, keys: new Map(), items: [] };
  infos.set(js, info);
  if (isMap(node) && !Array.isArray(js)) {
    // A repeated key keeps its last value (as PyYAML): only that pair describes the value.
    const last = new Map<unknown, unknown>();
    for (const pair of node.items) last.set(isScalar(pair.key) ? pair.key.value : pair.key, pair);
    for (const pair of node.items) {
      if (last.get(isScalar(pair.key) ? pair.key.value : pair.key) !== pair) continue;
      const keyNode = pair.key;
      if (isScalar(keyNode) && typeof keyNode.value === 'symbol') continue; // `<<` merge key
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const valueNode = resolveNode(pair.value, doc) as Node | null;
      const keyPos = posAt(file, lc, (keyNode as Node | null)?.range?.[0]);
      // An empty value (`key:`) has no range of its own; point at the key instead.
      const valuePos = valueNode?.range ? posAt(file, lc, valueNode.range[0]) : keyPos;
      info.keys.set(key, { key: keyPos, value: valuePos });
      if (writtenAsFloat(valueNode as Scalar | null)) markFloat(js, key);
      record((js as Record<string, unknown>)[key], valueNode, doc, file, lc, seen);
    }
  } else if (isSeq(node) && Array.isArray(js)) {
    node.items.forEach((item, i) => {
      const itemNode = resolveNode(item, doc) as Node | null;
      info.items.push(itemNode?.range ? posAt(file, lc, itemNode.range[0]) : pos);
      if (writtenAsFloat(itemNode as Scalar | null)) markFloat(js, i);
      record(js[i], itemNode, doc, file, lc, seen);
    });
  }
}

/** Parses YAML text (YAML 1.1, like PyYAML) and remembers positions of every mapping and list. */
export function parseYamlWithPositions(text: string, file: string): unknown {
  const shown = displayPath(file);
  text = maybeDecryptText(text, shown);
  const lc = new LineCounter();
  const doc = parseYamlDocument(text, { ...ANSIBLE_YAML_OPTIONS, lineCounter: lc, prettyErrors: false, onToken: tokenMeter() });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`YAML syntax error: ${message}`, posAt(shown, lc, err.pos[0]));
  }
  // Before toJS, which would stringify such a key (and warn on stderr) instead of refusing it.
  checkDocument(doc, text, lc, shown, file);
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw new ConfigError(`YAML error: ${(err as Error).message}`, { file: shown });
  }
  record(js, doc.contents, doc, shown, lc, new Set());
  return js;
}

export function readYamlWithPositions(file: string, from?: SourcePos): unknown {
  let text: string;
  try {
    // Counted before reading: a file far over the budget is not read twice.
    spendBytes(statSync(file).size);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof ReadBudgetExceeded) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    if (from) throw new ConfigError(`cannot read file ${displayPath(file)}: ${code}`, from);
    throw new ConfigError(`cannot read file: ${code}`, { file: displayPath(file) });
  }
  return parseYamlWithPositions(text, file);
}

/** Position of a mapping or list as a whole (its first key / item). */
export function posOf(value: unknown, fallback: SourcePos): SourcePos {
  if (value !== null && typeof value === 'object') return infos.get(value)?.pos ?? fallback;
  return fallback;
}

/** Position of `key` itself inside mapping `obj`. */
export function keyPos(obj: unknown, key: string, fallback?: SourcePos): SourcePos {
  const info = obj !== null && typeof obj === 'object' ? infos.get(obj) : undefined;
  return info?.keys.get(key)?.key ?? info?.pos ?? fallback ?? { file: '<unknown>' };
}

/** Position of the value under `key` (or list index) inside `container`. */
export function valuePos(container: unknown, key: string | number, fallback?: SourcePos): SourcePos {
  const info = container !== null && typeof container === 'object' ? infos.get(container) : undefined;
  if (info) {
    if (typeof key === 'number') return info.items[key] ?? info.pos;
    return info.keys.get(key)?.value ?? info.pos;
  }
  return fallback ?? { file: '<unknown>' };
}

/**
 * Position of a JSON Pointer (ajv's instancePath) below `root`. With `asKey`, the last segment
 * is a mapping key and the key's own position is returned.
 */
export function pointerPos(root: unknown, pointer: string, fallback: SourcePos, asKey?: string): SourcePos {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let container: unknown = root;
  let pos = posOf(root, fallback);
  for (const seg of segments) {
    if (container === null || typeof container !== 'object') break;
    const key = Array.isArray(container) ? Number(seg) : seg;
    pos = valuePos(container, key, pos);
    container = (container as Record<string, unknown>)[seg];
  }
  if (asKey !== undefined) return keyPos(container, asKey, pos);
  return pos;
}
