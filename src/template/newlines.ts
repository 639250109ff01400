const trailingNewlines = (s: string) => /\n*$/.exec(s)![0].length;

/** Jinja drops the final newline (and trim_blocks eats more); Ansible restores the input's count. */
export function keepTrailingNewlines(input: string, out: string, newline = '\n'): string {
  const missing = trailingNewlines(input) - trailingNewlines(out);
  return missing > 0 ? out + newline.repeat(missing) : out;
}
