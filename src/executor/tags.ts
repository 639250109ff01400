/**
 * Ansible's tag selection. `always` runs unless skipped by name; `never` runs only when asked
 * for by name; `tagged` / `untagged` / `all` are the special selectors.
 */
export interface TagFilter {
  only: string[];
  skip: string[];
}

export function tagsSelect(taskTags: readonly string[], filter: TagFilter): boolean {
  const tags = new Set(taskTags);
  const only = filter.only.length > 0 ? filter.only : ['all'];
  let run = false;
  if (tags.has('always') && !filter.skip.includes('always')) run = true;
  else {
    for (const t of only) {
      if (t === 'all' && !tags.has('never')) run = true;
      else if (t === 'tagged' && tags.size > 0 && !tags.has('never')) run = true;
      else if (t === 'untagged' && tags.size === 0) run = true;
      else if (tags.has(t)) run = true;
    }
  }
  if (!run) return false;
  for (const t of filter.skip) {
    if (tags.has(t)) return false;
    if (t === 'all' && !tags.has('always')) return false;
    if (t === 'tagged' && tags.size > 0) return false;
    if (t === 'untagged' && tags.size === 0) return false;
  }
  return true;
}

/** `tags: a,b` and `-t a,b` both split on commas. */
export function splitTags(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((t) => t.trim()).filter(Boolean);
}
