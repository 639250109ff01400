/**
 * What the user and group modules share: a script that reports each step as a record (connection/shell-protocol.ts Reply)
 * lines, runs a tool only where the account differs (in check mode only says it would), and
 * the control side reading that report back.
 */
import { type Reply } from '../../connection/shell-protocol.js';
import { say } from '../../connection/shell-text.js';
import { sh, type ShellText, type ShellValue } from '../../connection/shell-text.js';

export interface AccountSteps {
  /** sh text printing one report line (a string value literally, shell text expanded). */
  say(key: string, value?: ShellValue): ShellText;
  /**
   * sh text running `cmd`, reporting `changed what` or `fail what` (then stopping the script).
   * `raced`: sh condition true when `cmd` failed only because another process did the same at
   * that moment (the account now is as wanted): then nothing is reported and the script goes on.
   */
  doit(cmd: ShellText, what: string, raced?: ShellText): ShellText;
}

export function accountSteps(check: boolean): AccountSteps {
  const doit = (cmd: ShellText, what: string, raced?: ShellText) => {
    if (check) return say('changed', what);
    const tolerate = raced ? sh` elif ${raced}; then :;` : sh``;
    return sh`if ${cmd} 2>&1; then ${say('changed', what)};${tolerate} else ${say('fail', what)}; exit 0; fi`;
  };
  return { say, doit };
}

export interface AccountOutcome {
  lines: Array<[string, string]>;
  changed: boolean;
  /** The account database entry printed last (`entry` line), '' when none. */
  entry: string;
  /** Ansible's message when a tool failed: `<tool> failed: <its output>`. */
  failure?: string;
}

/** Reads the report; `tools` names the program behind each step (created → useradd, ...). */
export function accountOutcome(reply: Reply, stderr: string, tools: Record<string, string>): AccountOutcome {
  const lines = reply.entries();
  const out: AccountOutcome = {
    lines,
    changed: lines.some(([k]) => k === 'changed'),
    entry: lines.find(([k]) => k === 'entry')?.[1] ?? '',
  };
  const failed = lines.find(([k]) => k === 'fail');
  if (failed) out.failure = `${tools[failed[1]] ?? failed[1]} failed: ${reply.other()} ${stderr}`.trim();
  return out;
}
