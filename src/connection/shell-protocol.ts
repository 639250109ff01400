/**
 * The text protocol spoken to a long-lived remote `sh` that reads commands on its stdin.
 * Each request runs the script isolated from that shell (see buildRequest), with its stdin
 * redirected so it can never read the command stream, then prints a random end marker
 * carrying the exit status on stdout and a second one on stderr. Markers are random per
 * request, so script output cannot fake them.
 *
 * Inside that framing a script answers in records (Reply below): each request gets a fresh
 * random nonce, set as the shell variable `TSRUN_N` (not exported: programs the script runs
 * never see it). A record is a line `NONCE key=value`; the text after it up to the next record
 * is that record's body (a program's own output, base64 lines, a facts section). Nothing a file
 * name, file content or program output contains can forge a record: it cannot know the nonce.
 * Everything here is pure except request(), which sends one script and parses its answer.
 */
import { isUtf8 } from 'node:buffer';
import { randomHex } from '../util/random-hex.js';
import { splitPreludes } from './session-preludes.js';
import { rawShell, sh, type ShellText } from './shell-text.js';
import type { AroundScript, ExecOptions, ExecResult } from './types.js';

export { quote as shellQuote } from '../util/shell-quote.js';
import { quote as shellQuote } from '../util/shell-quote.js';

export function newMarker(): string {
  return `__tsrun_${randomHex(12)}`;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Command line that starts the long-lived shell (for ssh exec / a local `sh -c`): it prints
 * `ready` once running, so the caller knows when input is read as commands (and not by sudo).
 * `sudoPrompt` given: the shell runs under `sudo -S`, whose password prompt appears on stderr.
 */
export function startCommand(ready: string, become?: { user: string; sudoPrompt: string }): string {
  if (!become) return `sh -c ${shellQuote(`printf '%s\\n' ${ready}; exec sh`)}`;
  // Ctrl-C signals the session's process group (see ShellTransport.signal); sudo passes the
  // signal on to its child only, and a shell runs no trap while it waits for a command. So
  // under sudo the command shell runs in the background of one that waits, and that one ends
  // the whole group (the running command included). A background job's stdin would be
  // /dev/null: the command stream goes to it on fd 3.
  const keeper = `trap 'trap - TERM; kill -TERM 0' TERM; printf '%s\\n' ${ready}; exec 3<&0; sh <&3 3<&- & wait $!`;
  // Flags in the order Ansible's sudo plugin writes them (`sudo -H -S ...`), which -vvvv shows.
  return `sudo -H -S -p ${shellQuote(become.sudoPrompt)} -u ${shellQuote(become.user)} sh -c ${shellQuote(keeper)}`;
}

/** Sent once after the ready line: settings every later request relies on. */
export function sessionSetup(): string {
  // setsid puts each script in its own process group so a timeout kills its children too.
  return `if command -v setsid >/dev/null 2>&1; then __ts_sid=setsid; else __ts_sid=; fi\n`;
}

export interface RequestInput {
  marker: string;
  script: string;
  /** Run in the long-lived shell itself before the request (session preludes, once per shell). */
  setup?: string;
  /** See ExecOptions.around: run by the long-lived shell just before and just after the script. */
  around?: AroundScript;
  stdin?: Buffer;
  env?: Record<string, string>;
  /** Remote watchdog: the script's process group gets TERM after this long, KILL 2 s later. */
  timeoutMs?: number;
  /**
   * Binary stdin may go raw (see AWAIT_GO) instead of as base64: only where nothing between
   * here and the shell can be a terminal (not under sudo) and without a timeout.
   */
  rawStdin?: boolean;
}

/**
 * Yielded by requestChunks before a raw payload: the sender must wait until the shell has
 * printed `goLine(marker)` on stderr. The shell reads its commands from the same stream as the
 * payload, and reads ahead; once it prints that line it has read the whole command line and
 * is running it, so the payload that follows reaches `head -c` and never the shell's parser.
 */
export const AWAIT_GO = Symbol('await-go');

export function goLine(marker: string, go = true): string {
  return `${marker}_${go ? '' : 'NO'}GO\n`;
}

/** Payloads at least this large and not text go raw (when allowed): no base64, no here-document. */
export const RAW_MIN_BYTES = 64 * 1024;

/** Base64 in 76-column lines, produced in slices so a large payload is never one big string. */
function* base64Lines(data: Buffer): Generator<string> {
  const SLICE = 57 * 1024; // 57 input bytes make one 76-character line
  for (let i = 0; i < data.length; i += SLICE) {
    const b64 = data.subarray(i, i + SLICE).toString('base64');
    let out = '';
    for (let j = 0; j < b64.length; j += 76) out += `${b64.slice(j, j + 76)}\n`;
    yield out;
  }
}

/** Text that a quoted here-document carries verbatim: UTF-8, no NUL, ending in a newline. */
function heredocSafe(data: Buffer): boolean {
  if (data.length === 0 || data[data.length - 1] !== 0x0a || data.includes(0)) return false;
  return isUtf8(data);
}

/**
 * Shell text for one request. Without a timeout the script runs in a subshell through
 * `eval` (a fork, no exec: the cheapest way that still keeps syntax errors, `exit`, `cd`
 * and `set` away from the long-lived shell). With a timeout it runs as `setsid sh -c` in the
 * background, in its own process group, so a watchdog can kill it with all its children.
 */
export function* requestChunks(req: RequestInput): Generator<string | Buffer | typeof AWAIT_GO> {
  // Adjacent text goes out as one write: a `command: true` request is one write, not several.
  let text = '';
  for (const chunk of requestParts(req)) {
    if (typeof chunk === 'string') {
      text += chunk;
      continue;
    }
    if (text) yield text;
    text = '';
    yield chunk;
  }
  if (text) yield text;
}

function* requestParts(req: RequestInput): Generator<string | Buffer | typeof AWAIT_GO> {
  const { marker: m } = req;
  const exports: string[] = [];
  for (const [k, v] of Object.entries(req.env ?? {})) {
    if (!ENV_NAME.test(k)) throw new Error(`invalid environment variable name ${JSON.stringify(k)}`);
    exports.push(`export ${k}=${shellQuote(v)}; `);
  }
  const body = req.timeoutMs === undefined
    ? `eval ${shellQuote(req.script)}`
    : `exec $__ts_sid sh -c ${shellQuote(req.script)}`;
  const job = `( ${exports.join('')}${body} )`;

  // The script's stdin is always redirected: it must never read the command stream.
  // The whole request is one `{ ...; }` group: sh parses a compound command to its end before
  // running any of it, so a request cut short (Ctrl-C, connection lost mid-payload) is a
  // syntax error at end of input and runs nothing, instead of running with a partial payload.
  // A raw payload follows a command that must already be running (it prints the go line), so
  // that request cannot be one group; its writes are checked by length and digest on the target.
  const raw = Boolean(req.rawStdin && req.timeoutMs === undefined && (req.stdin?.length ?? 0) >= RAW_MIN_BYTES && !heredocSafe(req.stdin ?? Buffer.alloc(0)));
  if (!raw) yield '{ ';
  const lines: string[] = [];
  if (req.setup) yield `{\n${req.setup}} </dev/null\n`;
  if (req.around?.before.trim()) yield `{\n${req.around.before}} </dev/null\n`;
  const bg = req.timeoutMs === undefined ? '' : ' &';
  const stdin = req.stdin ?? Buffer.alloc(0);
  // Payloads are yielded as they are (or base64 slices), never joined into one string:
  // pushing a 4 MiB file to 50 hosts must not cost 50 copies of it.
  if (stdin.length === 0) {
    lines.push(`${job} </dev/null${bg}`);
  } else if (raw) {
    // head -c reads exactly the payload. Whatever the script leaves unread is drained, so no
    // byte of the payload can ever be read as a command by the shell.
    // Without head the payload is not sent (NOGO) and the request fails with rc 127.
    yield `if command -v head >/dev/null 2>&1; then printf '%s\\n' ${m}_GO >&2; head -c ${stdin.length} | { ${job}; __ts_r=$?; cat >/dev/null; exit $__ts_r; }; else printf '%s\\n' ${m}_NOGO >&2; (exit 127); fi\n`;
    yield AWAIT_GO;
    yield stdin;
  } else if (heredocSafe(stdin)) {
    yield `${job} <<'${m}_IN'${bg}\n`;
    yield stdin;
    lines.push(`${m}_IN`);
  } else {
    yield `base64 -d <<'${m}_IN' | ${job}${bg}\n`;
    yield* base64Lines(stdin);
    lines.push(`${m}_IN`);
  }
  if (req.timeoutMs === undefined) {
    lines.push('__ts_rc=$?');
  } else {
    const secs = (Math.max(1, req.timeoutMs) / 1000).toFixed(3);
    // dash rejects `kill -SIG -- -PGID`; without setsid there is no group, so kill the pid.
    const kill = (sig: string): string => `kill -${sig} -$__ts_p 2>/dev/null || kill -${sig} $__ts_p 2>/dev/null`;
    lines.push(
      '__ts_p=$!',
      `( trap 'kill $__ts_s 2>/dev/null; exit 0' TERM; sleep ${secs} & __ts_s=$!; wait $__ts_s; ${kill('TERM')}; sleep 2; ${kill('KILL')} ) </dev/null >/dev/null 2>&1 &`,
      '__ts_w=$!',
      'wait $__ts_p; __ts_rc=$?',
      'kill $__ts_w 2>/dev/null',
    );
  }
  if (req.around?.after.trim()) lines.push(`{\n${req.around.after}} </dev/null`);
  lines.push(`printf '\n%s %d\n' ${m} "$__ts_rc"; printf '\n%s\n' ${m} >&2`);
  if (!raw) lines.push('}');
  yield lines.join('\n') + '\n';
}

/** The whole request as one string (for tests and small requests). */
export function buildRequest(req: RequestInput): string {
  let out = '';
  for (const chunk of requestChunks(req)) {
    if (chunk === AWAIT_GO) continue;
    out += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  }
  return out;
}

/** Accumulates one stream and finds `tail` in it without re-copying everything per chunk. */
class MarkedStream {
  private chunks: Buffer[] = [];
  private length = 0;
  /** Absolute offset where `tail` starts, once seen. */
  end = -1;
  /** Absolute offset just after the marker (and its line, when needed): what follows is the next request's. */
  private restStart = -1;
  private carry = Buffer.alloc(0);

  constructor(
    private readonly tail: Buffer,
    private readonly needNewlineAfter: boolean,
  ) {}

  /** Returns the bytes after `tail` up to the next newline (the rc), or '' when not needed. */
  afterTail = '';

  push(chunk: Buffer): void {
    if (this.end >= 0) return;
    const windowStart = this.length - this.carry.length;
    this.chunks.push(chunk);
    this.length += chunk.length;
    const window = Buffer.concat([this.carry, chunk]);
    const at = window.indexOf(this.tail);
    if (at >= 0) {
      if (this.needNewlineAfter) {
        const nl = window.indexOf(0x0a, at + this.tail.length);
        if (nl >= 0) {
          this.afterTail = window.subarray(at + this.tail.length, nl).toString('latin1');
          this.end = windowStart + at;
          this.restStart = windowStart + nl + 1;
          return;
        }
      } else {
        this.end = windowStart + at;
        this.restStart = this.end + this.tail.length;
        return;
      }
      // Marker seen but its line is not complete yet: keep it all in the window.
      this.carry = window.subarray(at);
      return;
    }
    const keep = Math.min(window.length, this.tail.length + 24);
    this.carry = window.subarray(window.length - keep);
  }

  data(): Buffer {
    const all = Buffer.concat(this.chunks, this.length);
    return this.end >= 0 ? all.subarray(0, this.end) : all;
  }

  /** The bytes received after the marker (a pipelined next request's output); empty before it. */
  rest(): Buffer {
    if (this.restStart < 0 || this.restStart >= this.length) return Buffer.alloc(0);
    return Buffer.concat(this.chunks, this.length).subarray(this.restStart);
  }
}

/**
 * Collects one request's stdout and stderr until both end markers have arrived.
 * Feed it raw chunks; `done` becomes true, then rc, stdout() and stderr() are final.
 */
export class ResponseReader {
  private readonly out: MarkedStream;
  private readonly err: MarkedStream;

  constructor(readonly marker: string) {
    this.out = new MarkedStream(Buffer.from(`\n${marker} `), true);
    this.err = new MarkedStream(Buffer.from(`\n${marker}\n`), false);
  }

  get done(): boolean {
    return this.out.end >= 0 && this.err.end >= 0;
  }

  get stdoutDone(): boolean {
    return this.out.end >= 0;
  }

  get stderrDone(): boolean {
    return this.err.end >= 0;
  }

  /** What arrived on stdout after this request's marker line. */
  stdoutRest(): Buffer {
    return this.out.rest();
  }

  /** What arrived on stderr after this request's marker line. */
  stderrRest(): Buffer {
    return this.err.rest();
  }

  get rc(): number {
    return this.out.end >= 0 ? Number(this.out.afterTail) : -1;
  }

  pushStdout(chunk: Buffer): void {
    this.out.push(chunk);
  }

  pushStderr(chunk: Buffer): void {
    this.err.push(chunk);
  }

  stdout(): Buffer {
    return this.out.data();
  }

  stderr(): Buffer {
    return this.err.data();
  }
}

export function newNonce(): string {
  return `__TSRUN_${randomHex(8)}`;
}

export interface Record_ {
  key: string;
  value: string;
  body: string;
}

/** A script's answer: its records, parsed from stdout with the request's nonce. */
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

/** Whatever runs a script on the target: a module's context, or a connection. */
export interface ScriptRunner {
  exec(script: ShellText, opts?: Omit<ExecOptions, 'become' | 'env'>): Promise<ExecResult>;
}

/** Runs a generated script with a fresh nonce: the result and its parsed records. */
export async function request(ctx: ScriptRunner, script: ShellText, opts?: Omit<ExecOptions, 'become' | 'env'>): Promise<{ res: ExecResult; reply: Reply }> {
  const nonce = newNonce();
  const res = await ctx.exec(withNonce(script, nonce), opts);
  return { res, reply: new Reply(res.stdout, nonce) };
}
