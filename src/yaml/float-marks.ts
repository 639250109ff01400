/**
 * YAML floats with an integral value (`37.`, `1.0`, `!!float 5`) become JS numbers that look like
 * ints. Where Python's type matters (argument spec messages: "argument 'x' is of type <class
 * 'float'>"), the loader's marks tell them apart: a side table from a mapping or list to the keys
 * (indices) whose scalar was written as a float. Plain data stays plain.
 */
const marks = new WeakMap<object, Set<string | number>>();

export function markFloat(container: object, key: string | number): void {
  let set = marks.get(container);
  if (!set) marks.set(container, (set = new Set()));
  set.add(key);
}

/** Whether `container[key]` was written as a float in YAML. */
export function isFloatLiteral(container: unknown, key: string | number): boolean {
  return container !== null && typeof container === 'object' && (marks.get(container)?.has(key) ?? false);
}

/** Carries the marks of `keys` from a mapping to the copy that holds the same values. */
export function copyFloatMarks(from: object, to: object, keys: Iterable<string> = Object.keys(from)): void {
  for (const k of keys) if (isFloatLiteral(from, k)) markFloat(to, k);
}

/** A scalar node's text reads as an integral float: a float tag, or a plain number written with a dot. */
export function writtenAsFloat(node: { tag?: string; source?: string; value?: unknown } | null | undefined): boolean {
  if (!node || typeof node.value !== 'number' || !Number.isInteger(node.value)) return false;
  if (node.tag !== undefined) return node.tag === 'tag:yaml.org,2002:float';
  return typeof node.source === 'string' && node.source.includes('.');
}
