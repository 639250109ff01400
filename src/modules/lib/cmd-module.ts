import type { ExecResult } from '../../connection/types.js';
import type { ModuleContext, ModuleResult } from '../types.js';
import type { AsyncLaunch } from './async-job.js';
import { outsideClock, parseWrapped, splitLines, stripEnds, wrapScript, type WrapSpec } from './cmd-run.js';
import { newNonce, Reply, withNonce } from '../../connection/shell-protocol.js';
import { quote } from '../../util/shell-quote.js';

/** Arguments command, shell and script share. */
export interface CommandCommonArgs {
  chdir?: string;
  creates?: string;
  removes?: string;
  stdin?: string;
  stdin_add_newline?: boolean;
  strip_empty_ends?: boolean;
}

/** The command as free-form text or `cmd=` (command, shell, script). */
export interface FreeFormArgs {
  _raw_params?: string;
  cmd?: string;
}

export const freeFormArgProps = {
  _raw_params: { type: 'string' },
  cmd: { type: 'string' },
} as const;

/** The free-form text or `cmd`; undefined when neither is given or it is blank. */
export function freeFormText(a: FreeFormArgs): string | undefined {
  const text = a._raw_params ?? a.cmd;
  return text === undefined || text.trim() === '' ? undefined : text;
}

export const commonArgProps = {
  chdir: { type: 'string' },
  creates: { type: 'string' },
  removes: { type: 'string' },
  stdin: { type: 'string' },
  stdin_add_newline: { type: 'boolean', default: true },
  strip_empty_ends: { type: 'boolean', default: true },
  executable: { type: 'string' },
} as const;

export function outputFields(stdout: string, stderr: string, strip: boolean) {
  const out = strip ? stripEnds(stdout) : stdout;
  const err = strip ? stripEnds(stderr) : stderr;
  return { stdout: out, stderr: err, stdout_lines: splitLines(out), stderr_lines: splitLines(err) };
}

/** raw's and script's result once the program ran: its output unstripped, failed on a non-zero rc. */
export function ranResult(rc: number, stdout: string, stderr: string): ModuleResult {
  const r: ModuleResult = { changed: true, rc, ...outputFields(stdout, stderr, false) };
  if (rc !== 0) {
    r.failed = true;
    r.msg = 'non-zero return code';
  }
  return r;
}

/** What turns a command-like script's output into the result: kept with an async job on the target. */
export interface CommandLikeState {
  nonce: string;
  cmd: unknown;
  creates?: string;
  removes?: string;
  chdir?: string;
  strip: boolean;
  check: boolean;
}

/** The one script (creates/removes/chdir guards, the program) and its stdin; `cmd` is what the result shows. */
export function commandLikeLaunch(
  ctx: Pick<ModuleContext, 'check'>,
  a: CommandCommonArgs,
  cmd: unknown,
  spec: Pick<WrapSpec, 'run' | 'program' | 'clockOutside'>,
): AsyncLaunch & { state: CommandLikeState } {
  const nonce = newNonce();
  // The nonce is kept with the job: an async job's output is read back (and parsed) later.
  const stdin = a.stdin === undefined ? undefined : a.stdin + (a.stdin_add_newline === false ? '' : '\n');
  const script = withNonce(wrapScript({ ...spec, chdir: a.chdir, creates: a.creates, removes: a.removes, dryRun: ctx.check, stdin: stdin !== undefined }), nonce);
  const state: CommandLikeState = { nonce, cmd, creates: a.creates, removes: a.removes, chdir: a.chdir, strip: a.strip_empty_ends !== false, check: ctx.check };
  return { script, ...(stdin === undefined ? {} : { stdin }), state };
}

/**
 * Runs `run` on the target with the creates/removes/chdir guards, in one round trip, and
 * shapes the result as Ansible's command module does. `cmd` is what the result shows.
 */
export async function runCommandLike(
  ctx: ModuleContext,
  a: CommandCommonArgs,
  cmd: unknown,
  spec: Pick<WrapSpec, 'run' | 'program' | 'clockOutside'>,
): Promise<ModuleResult> {
  const { script, stdin, state } = commandLikeLaunch(ctx, a, cmd, spec);
  const around = spec.clockOutside ? outsideClock(state.nonce) : undefined;
  const res = await ctx.exec(script, { ...(stdin === undefined ? {} : { stdin }), ...(around ? { around } : {}) });
  return commandLikeResult(state, res);
}

/** The command module's result from the script's output (now, or later from an async job's files). */
export function commandLikeResult(state: CommandLikeState, res: ExecResult): ModuleResult {
  const { cmd, strip } = state;
  const a = state;
  const ctx = { check: state.check };
  const out = parseWrapped(res, new Reply(res.stdout, state.nonce));
  switch (out.kind) {
    case 'exists':
    case 'missing': {
      const path = out.kind === 'exists' ? a.creates : a.removes;
      const why = out.kind === 'exists' ? 'exists' : 'does not exist';
      return {
        changed: false,
        cmd,
        rc: 0,
        ...outputFields(`skipped, since ${path} ${why}`, '', strip),
        msg: `${ctx.check ? 'Would not' : 'Did not'} run command since '${path}' ${why}`,
        start: null,
        end: null,
        delta: null,
      };
    }
    case 'chdir':
      return {
        failed: true,
        changed: false,
        rc: 258,
        cmd,
        msg: `Unable to change directory before execution: [Errno 2] No such file or directory: '${a.chdir}'`,
      };
    case 'notfound':
      // AnsibleModule.run_command fails before the program runs: its cmd is the argv as one
      // shell-quoted string (_clean_args), with empty output and output lines.
      return {
        failed: true,
        changed: false,
        rc: 2,
        cmd: Array.isArray(cmd) ? cmd.map((w) => quote(String(w))).join(' ') : cmd,
        stdout: '',
        stderr: '',
        stdout_lines: [],
        stderr_lines: [],
        msg: `[Errno 2] No such file or directory: b'${Array.isArray(cmd) ? String(cmd[0]) : String(cmd)}'`,
      };
    case 'wouldrun':
    {
      // Ansible 2.14: skipped only when no creates/removes could decide; changed otherwise.
      const r: ModuleResult = { changed: true, cmd, rc: 0, ...outputFields('', '', true), msg: 'Command would have run if not in check mode', start: null, end: null, delta: null };
      if (a.creates === undefined && a.removes === undefined) Object.assign(r, { changed: false, skipped: true });
      return r;
    }
    case 'broken':
      return {
        failed: true,
        changed: true,
        cmd,
        rc: out.rc,
        ...outputFields(out.stdout, out.stderr, strip),
        msg: 'the command did not finish (connection lost or killed)',
      };
    case 'ran': {
      const r: ModuleResult = {
        changed: true,
        cmd,
        rc: out.rc,
        start: out.start,
        end: out.end,
        delta: out.delta,
        ...outputFields(out.stdout, out.stderr, strip),
        msg: '',
      };
      if (out.rc !== 0) {
        r.failed = true;
        r.msg = 'non-zero return code';
      }
      return r;
    }
  }
}
