import { randomBytes } from 'node:crypto';
import type { ExecResult } from '../../connection/types.js';
import { globWord } from './cmd-expand.js';
import { joinShell, rawShell, sh, type ShellText } from './sh.js';

/** How to run one program on the target, with Ansible's command-module guards around it. */
export interface WrapSpec {
  /** sh text that runs the program; its stdout/stderr/exit code become the result's. */
  run: ShellText;
  chdir?: string;
  creates?: string;
  removes?: string;
  /** Program looked up with `command -v` first, so a missing one is reported as Ansible does. */
  program?: ShellText;
  /** Stop after the guards: check mode asks only "would it run?". */
  dryRun?: boolean;
}

export type WrapOutcome =
  | { kind: 'ran'; rc: number; stdout: string; stderr: string; start: string; end: string; delta: string }
  | { kind: 'exists' | 'missing' | 'chdir' | 'notfound' | 'wouldrun' }
  | { kind: 'broken'; rc: number; stdout: string; stderr: string };

export function newNonce(): string {
  return `__TSRUN_${randomBytes(8).toString('hex')}`;
}

const STAMP = rawShell(`"$(date '+%s %N %Y-%m-%d %H:%M:%S')"`);

/** One sh script: guards, start stamp, the program, end stamp with its exit code. */
export function wrapScript(spec: WrapSpec, nonce: string): ShellText {
  // Guard exits drain stdin so the sender never writes into a closed pipe.
  const say = (what: string) => sh`{ cat >/dev/null; printf '%s\\n' ${`${nonce} ${what}`}; exit 0; }`;
  const lines: ShellText[] = [];
  if (spec.chdir !== undefined) lines.push(sh`cd -- ${spec.chdir} 2>/dev/null || ${say('chdir')}`);
  if (spec.creates !== undefined)
    lines.push(sh`for f in ${globWord(spec.creates)}; do if [ -e "$f" ] || [ -L "$f" ]; then ${say('exists')}; fi; done`);
  if (spec.removes !== undefined) {
    lines.push(sh`found=`);
    lines.push(sh`for f in ${globWord(spec.removes)}; do if [ -e "$f" ] || [ -L "$f" ]; then found=1; fi; done`);
    lines.push(sh`[ -n "$found" ] || ${say('missing')}`);
  }
  if (spec.program !== undefined) lines.push(sh`command -v ${spec.program} >/dev/null 2>&1 || ${say('notfound')}`);
  if (spec.dryRun) lines.push(say('wouldrun'));
  lines.push(sh`printf '%s start %s\\n' ${nonce} ${STAMP}`);
  lines.push(spec.run);
  lines.push(sh`rc=$?`);
  lines.push(sh`printf '\\n%s end %s %s\\n' ${nonce} "$rc" ${STAMP}`);
  return joinShell([...lines, sh``]);
}

interface Stamp {
  seconds: number;
  micros: number;
  text: string;
}

function parseStamp(fields: string[]): Stamp {
  const [sec, nanos, date, time] = fields;
  const micros = /^\d{9}$/.test(nanos ?? '') ? Math.floor(Number(nanos) / 1000) : 0;
  return { seconds: Number(sec), micros, text: `${date} ${time}.${String(micros).padStart(6, '0')}` };
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

export function parseWrapped(res: ExecResult, nonce: string): WrapOutcome {
  const startTag = `${nonce} start `;
  const startAt = res.stdout.indexOf(startTag);
  if (startAt < 0) {
    const m = new RegExp(`${nonce} (exists|missing|chdir|notfound|wouldrun)\\n`).exec(res.stdout);
    if (m) return { kind: m[1] as 'exists' };
    return { kind: 'broken', rc: res.rc, stdout: res.stdout, stderr: res.stderr };
  }
  const startEol = res.stdout.indexOf('\n', startAt);
  const endAt = res.stdout.lastIndexOf(`\n${nonce} end `);
  if (endAt < startEol) return { kind: 'broken', rc: res.rc, stdout: res.stdout.slice(startEol + 1), stderr: res.stderr };
  const start = parseStamp(res.stdout.slice(startAt + startTag.length, startEol).split(' '));
  const endFields = res.stdout.slice(endAt + nonce.length + 6).trim().split(' ');
  const end = parseStamp(endFields.slice(1));
  const delta = (end.seconds - start.seconds) * 1_000_000 + (end.micros - start.micros);
  return {
    kind: 'ran',
    rc: Number(endFields[0]),
    stdout: res.stdout.slice(startEol + 1, endAt),
    stderr: res.stderr,
    start: start.text,
    end: end.text,
    delta: formatDelta(delta),
  };
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
