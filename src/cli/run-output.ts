/**
 * Builds what a run prints and records: the human or json output, plus (on request) the live
 * progress line, the HTML run report and profile_tasks' slowest-tasks summary.
 */
import type { SourcePos } from '../util/errors.js';
import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DefaultOutput } from '../output/default.js';
import type { Callback } from '../output/events.js';
import { fanout, type Listener } from '../output/fanout.js';
import { JsonOutput } from '../output/json.js';
import { ProgressLine } from '../output/progress.js';
import type { Redactor } from '../output/redact.js';
import { renderReport } from '../output/report-html.js';
import { formatSlowest, RunRecord, type RunRecordData } from '../output/run-record.js';
import { colorEnabled } from '../output/terminal.js';
import { operatorErrorText, sourceExcerpt } from '../output/excerpt.js';
import { TsrunError } from '../util/errors.js';
import { toBool } from '../util/ansible-bool.js';

export interface RunOutputOptions {
  json: boolean;
  verbosity: number;
  diff: boolean;
  redactor: Redactor;
  /** --report FILE, else TSRUN_REPORT. */
  report?: string;
  /** --profile-tasks, TSRUN_PROFILE_TASKS or callbacks_enabled naming profile_tasks. */
  profileTasks: boolean;
  /** callbacks_enabled naming timer (ansible.posix.timer): the run's duration after the recap. */
  timer?: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** `K/N` of a --shard run, recorded in the --json document for `tsrun merge`. */
  shard?: string;
}

/** Whether ansible.cfg's callbacks_enabled (or its older name, or their environment variables) names `callback` of ansible.posix. */
export function callbackRequested(callback: 'profile_tasks' | 'timer', env: NodeJS.ProcessEnv, extra: string[] = []): boolean {
  const names = [env.ANSIBLE_CALLBACKS_ENABLED, env.ANSIBLE_CALLBACK_WHITELIST, ...extra]
    .filter((v): v is string => typeof v === 'string')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim());
  return names.some((n) => n === callback || n === `ansible.posix.${callback}`);
}

/** Writes beside the target and renames, so a reader never sees half a report. */
function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    throw new TsrunError(`could not write the run report ${file}: ${(e as Error).message}`);
  }
}

export function buildRunOutput(o: RunOutputOptions): Callback {
  const write = (t: string): void => void o.stdout.write(t);
  const writeErr = (t: string): void => void o.stderr.write(t);
  const listeners: Listener[] = [];
  let main: Callback;
  const errorText = (message: string, pos?: SourcePos): string => operatorErrorText({ message, pos }, o.cwd);
  if (o.json) {
    main = new JsonOutput({ write, writeErr, redactor: o.redactor, shard: o.shard, errorText, columns: o.stdout.columns || undefined });
  } else {
    const color = colorEnabled(o.env, Boolean(o.stdout.isTTY));
    let out = write;
    let err = writeErr;
    // -v logs are written straight to stderr by the executor; a live line would be torn by them.
    // TSRUN_PROGRESS=0 turns the live line off (screen recordings, terminals that mangle \r).
    if (o.stdout.isTTY && o.verbosity === 0 && (o.env.TSRUN_PROGRESS === undefined || toBool(o.env.TSRUN_PROGRESS))) {
      const progress = new ProgressLine({ write, color, columns: () => o.stdout.columns || 80 });
      out = progress.wrap(write);
      err = progress.wrap(writeErr);
      // First, so the line is gone before the recap is printed.
      listeners.push({
        taskTargets: (t, h, usesTerminal) => progress.taskTargets(t, h, usesTerminal),
        hostTaskStart: (h) => progress.hostTaskStart(h),
        hostTaskEnd: (h, t, s) => progress.hostTaskEnd(h, t, s),
        transfer: (h, t, sent, total) => progress.transfer(h, t, sent, total),
        playbookEnd: () => progress.stop(),
      });
    }
    main = new DefaultOutput({
      write: out, writeErr: err, color, verbosity: o.verbosity, diff: o.diff, redactor: o.redactor, columns: o.stdout.columns || undefined,
      excerpt: (pos) => sourceExcerpt(pos, o.cwd),
      errorText,
      timer: o.timer,
    });
  }
  listeners.push(main);
  const reportFile = o.report ?? (o.env.TSRUN_REPORT || undefined);
  if (reportFile !== undefined || o.profileTasks) {
    const file = reportFile !== undefined ? resolve(o.cwd, reportFile) : undefined;
    const onEnd = (data: RunRecordData): void => {
      if (o.profileTasks) (o.json ? writeErr : write)(formatSlowest(data, o.stdout.columns || 0));
      if (file) writeAtomically(file, renderReport(data));
    };
    listeners.push(new RunRecord(o.redactor, Date.now, onEnd));
  }
  return fanout(listeners);
}
