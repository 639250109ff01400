/**
 * --start-at-task: tasks (including fact gathering and includes) are passed over until the first
 * whose name, or "role : name", equals the pattern or matches it as a shell glob (fnmatch);
 * from then on, for this play and all later ones, everything runs.
 */
export class StartAt {
  private matched: boolean;
  private readonly re: RegExp | undefined;

  constructor(private readonly pattern: string | undefined) {
    this.matched = pattern === undefined;
    this.re = pattern === undefined ? undefined : fnmatchRegex(pattern);
  }

  /** Every task runs from now on (no pattern, or it has matched). */
  get open(): boolean {
    return this.matched;
  }

  /** True when this task runs; the first match opens the gate for the rest of the run. */
  admits(name: string | undefined, fullName: string): boolean {
    if (this.matched) return true;
    for (const n of [name, fullName]) {
      if (n !== undefined && (n === this.pattern || this.re!.test(n))) {
        this.matched = true;
        return true;
      }
    }
    return false;
  }
}

/** Python's fnmatch.translate: * ? [seq] [!seq], the whole name. */
function fnmatchRegex(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        let body = pattern.slice(i + 1, close).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        out += `[${body}]`;
        i = close;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^(?:${out})$`, 's');
}
