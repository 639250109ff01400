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
