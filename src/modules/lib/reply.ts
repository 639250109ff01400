/**
 * The one way a generated script reports to the control side, and the one parser for it.
 *
 * Each request gets a fresh random nonce, set as the shell variable `TSRUN_N` (not exported:
 * programs the script runs never see it). A record is a line `NONCE key=value`; the text after
 * it up to the next record is that record's body (a program's own output, base64 lines, a
 * facts section). Nothing a file name, file content or program output contains can forge a
 * record, because it cannot know the nonce.
 */
import { splitPreludes } from '../../connection/session-preludes.js';
import type { ExecOptions, ExecResult } from '../../connection/types.js';
import type { ModuleContext } from '../types.js';
import { parseStatLine, type RemoteStat } from './remote-kv.js';
import { rawShell, sh, type ShellText, type ShellValue } from './sh.js';
import { randomHex } from '../../util/random-hex.js';

export function newNonce(): string {
  return `__TSRUN_${randomHex(8)}`;
}

/** Shell that prints one record; `value` is quoted (one line: the caller keeps newlines out). */
export function say(key: string, value: ShellValue = ''): ShellText {
  return sh`printf '%s %s=%s\\n' "$TSRUN_N" ${key} ${value}`;
}

/** Shell that starts a record line whose value the next command prints (`$(...)`-free streaming: `printf ...; base64 <f`). */
export function sayStart(key: string): ShellText {
  return sh`printf '%s %s=' "$TSRUN_N" ${key}`;
}

export interface Record_ {
  key: string;
  value: string;
  body: string;
}

export class Reply {
  readonly records: Record_[] = [];
  /** Text before the first record. */
  readonly preamble: string;

  constructor(stdout: string, nonce: string) {
    const tag = `${nonce} `;
    let pos = 0;
    let cur: Record_ | undefined;
    let bodyStart = 0;
    let first = -1;
    const close = (end: number) => {
      if (cur) cur.body = stdout.slice(bodyStart, Math.max(bodyStart, end));
    };
    while (pos < stdout.length) {
      const nl = stdout.indexOf('\n', pos);
      const end = nl < 0 ? stdout.length : nl;
      if (stdout.startsWith(tag, pos)) {
        if (first < 0) first = pos;
        // The newline before a record belongs to the record, not to the body before it.
        close(pos - 1);
        const line = stdout.slice(pos + tag.length, end);
        const eq = line.indexOf('=');
        cur = eq < 0 ? { key: line, value: '', body: '' } : { key: line.slice(0, eq), value: line.slice(eq + 1), body: '' };
        this.records.push(cur);
        bodyStart = end + 1;
      }
      pos = end + 1;
    }
    close(stdout.endsWith('\n') ? stdout.length - 1 : stdout.length);
    this.preamble = first < 0 ? stdout : stdout.slice(0, Math.max(0, first - 1));
  }

  has(key: string): boolean {
    return this.records.some((r) => r.key === key);
  }
  /** The first record's value. */
  get(key: string): string | undefined {
    return this.records.find((r) => r.key === key)?.value;
  }
  values(key: string): string[] {
    return this.records.filter((r) => r.key === key).map((r) => r.value);
  }
  /** The first record's body (the text between it and the next record). */
  body(key: string): string | undefined {
    return this.records.find((r) => r.key === key)?.body;
  }
  b64(key: string): string | undefined {
    const v = this.get(key);
    return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
  }
  stat(key: string): RemoteStat | undefined {
    const v = this.get(key);
    return v ? parseStatLine(v) : undefined;
  }
  /** Every record as [key, value], in order. */
  entries(): [string, string][] {
    return this.records.map((r) => [r.key, r.value]);
  }
  /** All text that is not a record line (preamble and bodies), e.g. a failing tool's messages. */
  other(): string {
    return [this.preamble, ...this.records.map((r) => r.body)].filter(Boolean).join('\n');
  }
}

/** The script with its nonce set, after the session preludes it starts with (they are sent once per shell and must stay first). */
export function withNonce(script: ShellText, nonce: string): ShellText {
  const { preludes, rest } = splitPreludes(script.text);
  return rawShell(`${preludes.map((p) => p.text).join('')}${sh`TSRUN_N=${nonce}`.text}\n${rest}`);
}

/** Runs a generated script with a fresh nonce: the result and its parsed records. */
export async function request(ctx: Pick<ModuleContext, 'exec'>, script: ShellText, opts?: Omit<ExecOptions, 'become' | 'env'>): Promise<{ res: ExecResult; reply: Reply }> {
  const nonce = newNonce();
  const res = await ctx.exec(withNonce(script, nonce), opts);
  return { res, reply: new Reply(res.stdout, nonce) };
}
