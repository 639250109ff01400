/**
 * Shell text that many requests start with (function definitions): registered once, it is
 * sent to each long-lived shell once and run there, in the shell itself, so later requests,
 * which run in subshells of it, inherit the functions and only their own text travels.
 * A request that starts with a registered prelude has it stripped; the shell session defines
 * it first if it has not yet. Requests with a timeout run as a new `sh -c` (no inheritance)
 * and keep their full text.
 *
 * A prelude must only define functions and variables: it runs in the long-lived shell, where
 * a syntax error or `exit` would end the shell, and it must not read its stdin.
 */
export interface SessionPrelude {
  readonly id: number;
  readonly text: string;
}

const registered: SessionPrelude[] = [];

/** Registers `text` (ending in a newline) and returns it, for use as a script's start. */
export function registerSessionPrelude(text: string): string {
  if (!text.endsWith('\n')) throw new Error('a session prelude must end with a newline');
  if (!registered.some((p) => p.text === text)) registered.push({ id: registered.length, text });
  return text;
}

/** The registered preludes `script` starts with, in order, and the rest of the script. */
export function splitPreludes(script: string): { preludes: SessionPrelude[]; rest: string } {
  const preludes: SessionPrelude[] = [];
  let rest = script;
  for (let found = true; found; ) {
    found = false;
    for (const p of registered) {
      if (rest.startsWith(p.text)) {
        preludes.push(p);
        rest = rest.slice(p.text.length);
        found = true;
      }
    }
  }
  return { preludes, rest };
}
