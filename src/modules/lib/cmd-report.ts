import { sh, type ShellText, type ShellValue } from './sh.js';

/** `NONCE key value` lines a generated script prints for the control side, in order. */
export function reportLines(stdout: string, nonce: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith(`${nonce} `)) continue;
    const rest = line.slice(nonce.length + 1);
    const sp = rest.indexOf(' ');
    out.push(sp < 0 ? [rest, ''] : [rest.slice(0, sp), rest.slice(sp + 1)]);
  }
  return out;
}

/** The sh text printing one report line: a string `value` is printed literally, shell text (`"$x"`) as the shell expands it. */
export function report(nonce: string, key: string, value: ShellValue = ''): ShellText {
  return sh`printf '%s %s %s\n' ${nonce} ${key} ${value}`;
}

/** Lines of output that are not report lines (the tools' own messages). */
export function otherLines(stdout: string, nonce: string): string {
  return stdout
    .split('\n')
    .filter((l) => l && !l.startsWith(`${nonce} `))
    .join('\n');
}
