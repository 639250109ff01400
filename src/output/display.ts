/**
 * Ansible's Display, where its text layout matters to scripts that compare output: the width it
 * wraps to and how a warning is laid out.
 */
import { munge, wrap } from '../util/textwrap.js';

/** Display.columns: the terminal width less one, at least 79; 79 when stdout is not a terminal. */
export function displayColumns(terminalColumns?: number): number {
  return Math.max(79, (terminalColumns ?? 0) - 1);
}

/** Display.warning: `[WARNING]: msg` run through textwrap.wrap at the display width, newlines and tabs as spaces. */
export function warningText(message: string, columns: number): string {
  return `${wrap(munge(`[WARNING]: ${message}`), columns, true, true).join('\n')}\n`;
}

/**
 * ansible.posix.timer's line after the recap: the time since start-up (tsrun counts from process
 * start, loading included) in whole days, hours, minutes and seconds.
 */
export function playbookRunTook(elapsedMs: number): string {
  const total = Math.floor(elapsedMs / 1000);
  const days = Math.floor(total / 86400);
  const rest = total % 86400;
  return `Playbook run took ${days} days, ${Math.floor(rest / 3600)} hours, ${Math.floor(rest / 60) % 60} minutes, ${rest % 60} seconds`;
}
