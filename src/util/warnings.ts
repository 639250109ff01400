/**
 * Warnings found while loading (duplicate YAML keys, a host named like a group) happen before the
 * output exists: they wait here until the CLI connects its output, then go straight through.
 */
type WarningSink = (message: string) => void;

const pending: string[] = [];
let sink: WarningSink | undefined;

export function onLoaderWarning(next: WarningSink): void {
  sink = next;
  for (const w of pending.splice(0)) next(w);
}

export function loaderWarning(message: string): void {
  if (sink) sink(message);
  else pending.push(message);
}

/**
 * Runs `fn` with the loader warnings it raises held back and returned beside its value, so a
 * load that is abandoned (and done again elsewhere) warns once, not twice. If `fn` throws, its
 * warnings are dropped, as they are when a load fails.
 */
export function holdLoaderWarnings<T>(fn: () => T): { value: T; warnings: string[] } {
  const warnings: string[] = [];
  const previous = sink;
  sink = (m) => warnings.push(m);
  try {
    return { value: fn(), warnings };
  } finally {
    sink = previous;
  }
}
