import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, type Document, type Node, type Scalar } from 'yaml';
import { markFloat, writtenAsFloat } from '../yaml/float-marks.js';
import { ANSIBLE_YAML_OPTIONS, checkDocument } from '../yaml/yaml.js';
import { parseYamlDocument } from '../yaml/yaml-compose.js';
import { maybeDecryptText } from '../vault/keyring.js';
import { ConfigError, type SourcePos } from '../util/errors.js';
import { ReadBudgetExceeded, spendBytes, spendTokens, tokenMeter } from './load-budget.js';
import { readParsed, writeParsed, type Placed, type Spot } from './parse-cache.js';

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

function spotAt(lc: LineCounter, offset: number | undefined): Spot {
  if (offset === undefined) return null;
  const { line, col } = lc.linePos(offset);
  return [line, col];
}

const posOfSpot = (file: string, spot: Spot): SourcePos => (spot ? { file, line: spot[0], column: spot[1] } : { file });

function resolveNode(node: unknown, doc: Document): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

/**
 * Appends the positions of `js` (a mapping or list, parsed from `node`) and of those below it to
 * `out`, in a form the parse cache keeps; returns its index, or -1 when `js` has none of its own
 * (a scalar, or an object already placed: an alias).
 */
function place(js: unknown, node: unknown, doc: Document, lc: LineCounter, seen: Set<object>, out: Placed[]): number {
  node = resolveNode(node, doc);
  if (js === null || typeof js !== 'object' || seen.has(js)) return -1;
  seen.add(js);
  const placed: Placed = { at: spotAt(lc, (node as Node | undefined)?.range?.[0]), keys: [], items: [] };
  const index = out.push(placed) - 1;
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
      const keyAt = spotAt(lc, (keyNode as Node | null)?.range?.[0]);
      // An empty value (`key:`) has no range of its own; point at the key instead.
      const valueAt = valueNode?.range ? spotAt(lc, valueNode.range[0]) : keyAt;
      const float = writtenAsFloat(valueNode as Scalar | null);
      placed.keys.push([key, keyAt, valueAt, float, place((js as Record<string, unknown>)[key], valueNode, doc, lc, seen, out)]);
    }
  } else if (isSeq(node) && Array.isArray(js)) {
    node.items.forEach((item, i) => {
      const itemNode = resolveNode(item, doc) as Node | null;
      const float = writtenAsFloat(itemNode as Scalar | null);
      placed.items.push([itemNode?.range ? spotAt(lc, itemNode.range[0]) : placed.at, float, place(js[i], itemNode, doc, lc, seen, out)]);
    });
  }
  return index;
}

/** Remembers what `all[index]` says of `js` and of the mappings and lists below it, as positions in `file`. */
function attach(js: unknown, all: Placed[], index: number, file: string): void {
  const placed = all[index];
  const info: NodeInfo = { file, pos: posOfSpot(file, placed.at), keys: new Map(), items: [] };
  infos.set(js as object, info);
  for (const [key, keyAt, valueAt, float, child] of placed.keys) {
    info.keys.set(key, { key: posOfSpot(file, keyAt), value: posOfSpot(file, valueAt) });
    if (float) markFloat(js as object, key);
    if (child >= 0) attach((js as Record<string, unknown>)[key], all, child, file);
  }
  placed.items.forEach(([at, float, child], i) => {
    info.items.push(posOfSpot(file, at));
    if (float) markFloat(js as object, i);
    if (child >= 0) attach((js as unknown[])[i], all, child, file);
  });
}

/**
 * Parses YAML text (YAML 1.1, like PyYAML) and remembers positions of every mapping and list.
 * Text parsed by an earlier run is read back from the parse cache instead (parse-cache.ts).
 */
export function parseYamlWithPositions(text: string, file: string): unknown {
  const shown = displayPath(file);
  const kept = readParsed(text);
  if (kept) {
    // About what parsing it read: a token for each mapping and list, and two for each key or item.
    spendTokens(kept.placed.reduce((n, p) => n + 1 + 2 * (p.keys.length + p.items.length), 0));
    if (kept.placed.length > 0) attach(kept.value, kept.placed, 0, shown);
    return kept.value;
  }
  const decrypted = maybeDecryptText(text, shown);
  const lc = new LineCounter();
  const doc = parseYamlDocument(decrypted, { ...ANSIBLE_YAML_OPTIONS, lineCounter: lc, prettyErrors: false, onToken: tokenMeter() });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const message = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`YAML syntax error: ${message}`, posAt(shown, lc, err.pos[0]));
  }
  // Before toJS, which would stringify such a key (and warn on stderr) instead of refusing it.
  const warned = checkDocument(doc, decrypted, lc, shown, file);
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw new ConfigError(`YAML error: ${(err as Error).message}`, { file: shown });
  }
  const placed: Placed[] = [];
  place(js, doc.contents, doc, lc, new Set(), placed);
  // Kept before anything uses the value: the loader may change what it is given.
  if (warned === 0) writeParsed(text, { value: js, placed });
  if (placed.length > 0) attach(js, placed, 0, shown);
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
