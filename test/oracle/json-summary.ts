/** Reduces ansible's json-callback document (and tsrun --json) to what both tools must agree on. */
export interface JsonDoc {
  plays: { play: { name: string }; tasks: { task: { name: string }; hosts: Record<string, Record<string, unknown>> }[] }[];
  stats: Record<string, Record<string, number>>;
}

export function summary(doc: JsonDoc) {
  // ansible's json callback lists a meta task (flush_handlers) once per host with no results;
  // tasks without results carry no information, so both sides drop them.
  const tasks = doc.plays.flatMap((p) =>
    p.tasks.filter((t) => Object.keys(t.hosts).length > 0).map((t) => ({
      play: p.play.name,
      task: t.task.name,
      hosts: Object.fromEntries(
        Object.entries(t.hosts)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([h, r]) => {
            const status = r.unreachable ? 'unreachable' : r.failed ? 'failed' : r.skipped ? 'skipped' : r.changed ? 'changed' : 'ok';
            const msg = r.action === 'debug' ? r.msg : undefined;
            return [h, msg === undefined ? status : `${status}: ${JSON.stringify(msg)}`];
          }),
      ),
    })),
  );
  return { tasks, stats: doc.stats };
}

export function parseJson(text: string, who: string): JsonDoc {
  const start = text.indexOf('{');
  try {
    return JSON.parse(text.slice(start)) as JsonDoc;
  } catch {
    throw new Error(`${who} printed no JSON document:\n${text}`);
  }
}
