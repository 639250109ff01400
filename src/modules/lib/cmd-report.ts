import { sh, type ShellText, type ShellValue } from './sh.js';

/**
 * The sh text printing one record (reply.ts's format, `NONCE key=value`) for scripts that carry
 * their nonce as a literal: a string `value` is printed literally, shell text (`"$x"`) as the
 * shell expands it. Read back with reply.ts's Reply.
 */
export function report(nonce: string, key: string, value: ShellValue = ''): ShellText {
  return sh`printf '%s %s=%s\n' ${nonce} ${key} ${value}`;
}
