import { registerSessionPrelude } from '../../connection/session-preludes.js';
import type { AroundScript, ExecResult } from '../../connection/types.js';
import { globWord } from './cmd-expand.js';
import { joinShell, rawShell, say, sh, type ShellText } from '../../connection/shell-text.js';
import { type Reply } from '../../connection/shell-protocol.js';

/** How to run one program on the target, with Ansible's command-module guards around it. */
export interface WrapSpec {
  /** sh text that runs the program; its stdout/stderr/exit code become the result's. */
  run: ShellText;
  chdir?: string;
  creates?: string;
  removes?: string;
  /**
   * The program (argv[0]; `run` is argv): looked up first as execvp looks it up (a name with a
   * slash as it is, otherwise an executable file of that name on PATH), so a missing one is
   * reported as Ansible reports it, then `run` is exec'd: the file on PATH with argv[0] as given,
   * never a shell builtin or function (the target's `echo` builtin is not /usr/bin/echo).
   */
  program?: ShellText;
  /** Stop after the guards: check mode asks only "would it run?". */
  dryRun?: boolean;
  /** The request carries stdin for the program: a guard that ends the script reads it away first. */
  stdin?: boolean;
  /**
   * The clock is read by the long-lived shell around the script (outsideClock, sent as
   * ExecOptions.around) and `run` ends the script (the program, exec'd, replaces the script's
   * subshell). Without it the script reads the clock itself (an async job, which runs where no
   * long-lived shell waits for it).
   */
  clockOutside?: boolean;
}

/** ExecOptions.around for a clockOutside script: the start reading before it, both records after it. */
export function outsideClock(nonce: string): AroundScript {
  return { before: `${CLOCK_FUNCTIONS}${sh`TSRUN_N=${nonce}`.text}; tsrun_start\n`, after: 'tsrun_end "$__ts_rc"\n' };
}

export type WrapOutcome =
  | { kind: 'ran'; rc: number; stdout: string; stderr: string; start: string; end: string; delta: string }
  | { kind: 'exists' | 'missing' | 'chdir' | 'notfound' | 'wouldrun' }
  | { kind: 'broken'; rc: number; stdout: string; stderr: string };


/**
 * `tsrun_now` sets `__ts_now` to the target's clock, `SECONDS NANOS ZONE`, read without starting a
 * process: `date` runs once per shell, paired with /proc/uptime, and each reading adds the uptime
 * since (10 ms resolution; start, end and delta are the module's own timing, as in Ansible, but a
 * `command: true` then costs one fork instead of three). Without /proc/uptime it runs `date`.
 * `tsrun_start` keeps the start reading; `tsrun_end RC` prints both records after the program, in
 * one write: the target writes once for them instead of twice, which sshd may send as two packets.
 * `tsrun_exe NAME` tells whether execvp would find the program (WrapSpec.program), without a process.
 * Defined once per long-lived shell (a session prelude).
 */
const CLOCK_FUNCTIONS = registerSessionPrelude(`__ts_c0=
if read __ts_u __ts_x </proc/uptime 2>/dev/null; then
  case $__ts_u in *[!0-9.]*|.*) ;; *.[0-9][0-9])
    set -- $(date '+%s %N %z' 2>/dev/null)
    case $1:$2:$3 in *[!0-9:+-]*|::*) ;; *:[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]:[+-][0-9][0-9][0-9][0-9])
      __ts_s0=$1 __ts_n0=$((1$2 - 1000000000)) __ts_z=$3
      __ts_c0=$((\${__ts_u%.*} * 100 + 1\${__ts_u#*.} - 100)) ;;
    esac
    set -- ;;
  esac
fi
tsrun_now() {
  if [ -n "$__ts_c0" ] && read __ts_u __ts_x </proc/uptime 2>/dev/null; then
    __ts_n=$((__ts_n0 + (\${__ts_u%.*} * 100 + 1\${__ts_u#*.} - 100 - __ts_c0) * 10000000))
    __ts_f=$((__ts_n % 1000000000 + 1000000000))
    __ts_now="$((__ts_s0 + __ts_n / 1000000000)) \${__ts_f#1} $__ts_z"
  else
    __ts_now=$(date '+%s %N %z')
  fi
}
tsrun_start() { tsrun_now; __ts_t0=$__ts_now; }
tsrun_exe() {
  case $1 in */*) command -v "$1" >/dev/null 2>&1; return ;; esac
  __ts_rest=$PATH:
  while [ -n "$__ts_rest" ]; do
    __ts_f=\${__ts_rest%%:*}; __ts_rest=\${__ts_rest#*:}
    __ts_f=\${__ts_f:-.}/$1
    [ -f "$__ts_f" ] && [ -x "$__ts_f" ] && return 0
  done
  return 1
}
tsrun_end() { tsrun_now; printf '\\n%s start=%s\\n%s end=%s %s\\n' "$TSRUN_N" "$__ts_t0" "$TSRUN_N" "$1" "$__ts_now"; }
`);

/** One sh script: guards, start stamp, the program, end stamp with its exit code. */
export function wrapScript(spec: WrapSpec): ShellText {
  // A guard that exits drains the program's stdin, so the sender never writes into a closed
  // pipe; without stdin there is nothing to drain, and no `cat` to start (a skipped `creates` item).
  const guard = (what: string) => (spec.stdin ? sh`{ cat >/dev/null; ${say(what)}; exit 0; }` : sh`{ ${say(what)}; exit 0; }`);
  // The clock functions come first, so the shell session sends them once per shell.
  const lines: ShellText[] = [rawShell(CLOCK_FUNCTIONS.trimEnd())];
  // -P: Ansible os.chdir()s, so the program sees the physical directory (a symlink resolved) as $PWD.
  if (spec.chdir !== undefined) lines.push(sh`cd -P -- ${spec.chdir} 2>/dev/null || ${guard('chdir')}`);
  if (spec.creates !== undefined)
    lines.push(sh`for f in ${globWord(spec.creates)}; do if [ -e "$f" ] || [ -L "$f" ]; then ${guard('exists')}; fi; done`);
  if (spec.removes !== undefined) {
    lines.push(sh`found=`);
    lines.push(sh`for f in ${globWord(spec.removes)}; do if [ -e "$f" ] || [ -L "$f" ]; then found=1; fi; done`);
    lines.push(sh`[ -n "$found" ] || ${guard('missing')}`);
  }
  if (spec.program !== undefined) lines.push(sh`tsrun_exe ${spec.program} || ${guard('notfound')}`);
  if (spec.dryRun) lines.push(guard('wouldrun'));
  if (spec.clockOutside) {
    lines.push(spec.program !== undefined ? sh`exec ${spec.run}` : spec.run);
    return joinShell([...lines, sh``]);
  }
  lines.push(sh`tsrun_start`);
  lines.push(spec.program !== undefined ? sh`( exec ${spec.run} )` : spec.run);
  lines.push(sh`rc=$?`);
  // The program's output is what comes before the records, which start on a line of their own
  // (the output may not end in a newline).
  lines.push(sh`tsrun_end "$rc"`);
  return joinShell([...lines, sh``]);
}

interface Stamp {
  seconds: number;
  micros: number;
  text: string;
}

/** `SECONDS NANOS ZONE` (see tsrun_stamp): text is the target's local time, as Ansible shows it. */
function parseStamp(fields: string[]): Stamp {
  const [sec, nanos, zone] = fields;
  const micros = /^\d{9}$/.test(nanos ?? '') ? Math.floor(Number(nanos) / 1000) : 0;
  const z = /^([+-])(\d\d)(\d\d)$/.exec(zone ?? '');
  const offset = z ? (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 3600 + Number(z[3]) * 60) : 0;
  const local = new Date((Number(sec) + offset) * 1000).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z
  return { seconds: Number(sec), micros, text: `${local.slice(0, 10)} ${local.slice(11, 19)}.${String(micros).padStart(6, '0')}` };
}

/** Python's `str(timedelta)`: `0:00:00.004082`, no fraction when it is zero. */
export function formatDelta(totalMicros: number): string {
  const us = Math.max(0, Math.round(totalMicros));
  const days = Math.floor(us / 86_400_000_000);
  const rem = us - days * 86_400_000_000;
  const secs = Math.floor(rem / 1_000_000);
  const frac = rem % 1_000_000;
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  const s = secs % 60;
  let out = `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  if (frac) out += `.${String(frac).padStart(6, '0')}`;
  if (days) out = `${days} day${days === 1 ? '' : 's'}, ${out}`;
  return out;
}

/**
 * The wrapped program's outcome from the script's records (connection/shell-protocol.ts Reply):
 * its output is the text before them. A program that never came back (killed, or its shell
 * `exit`ed) leaves no records: its output is all of stdout.
 */
export function parseWrapped(res: ExecResult, reply: Reply): WrapOutcome {
  // A guard ended the script before the program; clock records read outside it may follow.
  const guard = (['exists', 'missing', 'chdir', 'notfound', 'wouldrun'] as const).find((k) => reply.has(k));
  if (guard) return { kind: guard };
  const startRec = reply.records.find((r) => r.key === 'start');
  const endRec = reply.records.find((r) => r.key === 'end');
  if (!startRec || !endRec) return { kind: 'broken', rc: res.rc, stdout: res.stdout, stderr: res.stderr };
  const start = parseStamp(startRec.value.split(' '));
  const endFields = endRec.value.trim().split(' ');
  const end = parseStamp(endFields.slice(1));
  const delta = (end.seconds - start.seconds) * 1_000_000 + (end.micros - start.micros);
  return { kind: 'ran', rc: Number(endFields[0]), stdout: reply.preamble, stderr: res.stderr, start: start.text, end: end.text, delta: formatDelta(delta) };
}

/** Python's `str.splitlines()` for the common line breaks. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r\n|\r|\n|\v|\f|\x1c|\x1d|\x1e|\x85|\u2028|\u2029/);
  if (/(\r\n|\r|\n|\v|\f|\x1c|\x1d|\x1e|\x85|\u2028|\u2029)$/.test(text)) lines.pop();
  return lines;
}

/** Ansible's `strip_empty_ends`: trailing CR/LF removed. */
export function stripEnds(text: string): string {
  return text.replace(/[\r\n]+$/, '');
}
