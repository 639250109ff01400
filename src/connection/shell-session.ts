/**
 * One long-lived `sh` on any duplex byte stream (an SSH exec channel or a local child
 * process), running requests with the marker protocol of shell-protocol.ts. The shell runs
 * them one after another; a caller may send the next before the last has answered
 * (`pipelined`, see ShellPool's lanes), and the answers are then read off the streams in order.
 */
import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import type { AroundScript, TransferObserver } from './types.js';
import { TsrunError } from '../util/errors.js';
import pLimit from 'p-limit';
import { startAttemptTimer } from './attempt-clock.js';
import { splitPreludes } from './session-preludes.js';
import { AWAIT_GO, goLine, newMarker, requestChunks, ResponseReader, sessionSetup, startCommand } from './shell-protocol.js';

/**
 * Large payloads (file pushes) to many hosts at once would each fill an SSH window of up to
 * 2 MiB in this process (ssh2 encrypts ahead of the socket); a bounded number at a time keeps
 * memory flat. The bound is not 2: one push does not stream at full speed (the target's sshd,
 * shell and `head` take turns with the sender), so pushes in parallel are what fill the link
 * and the cores. Measured (bench/ab.ts, 20 hosts, 4 MiB each, load ~15): limit 2, first run
 * 6.92 s = 1.55x the plain script, peak RSS 126 MiB; limit 20, 4.96 s = 1.11x, 175-192 MiB.
 */
const LARGE_PAYLOAD_BYTES = 512 * 1024;
/** TSRUN_TRANSFERS overrides the number of large pushes at once (default 16: ~3 MiB of memory each). */
export function transferLimit(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.TSRUN_TRANSFERS);
  return Number.isInteger(v) && v > 0 ? v : 16;
}
const largeTransfers = pLimit(transferLimit());

/** A here-document payload is one Buffer: observed pushes write it in views, so progress moves. */
/** What requestChunks yields: text, payload, or the signal to wait for the shell's go line. */
type Chunk = string | Buffer | typeof AWAIT_GO;

function* slices(chunks: Iterable<Chunk>): Generator<Chunk> {
  const SLICE = 256 * 1024;
  for (const c of chunks) {
    if (typeof c === 'string' || typeof c === 'symbol' || c.length <= SLICE) yield c;
    else for (let i = 0; i < c.length; i += SLICE) yield c.subarray(i, i + SLICE);
  }
}

export interface ShellTransport {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /** Ends the transport (and with it the shell and whatever it still runs). */
  close(): void;
  /**
   * Signals the shell's whole process group (SSH's "signal" request: sshd calls killpg on the
   * session). Without it, closing a channel leaves a running command going: sshd kills nothing
   * of a session that has no terminal.
   */
  signal?(name: 'TERM'): void;
  /** Called once when the transport has ended for any reason. */
  onClose(cb: (reason?: Error) => void): void;
}

export interface RawResult {
  rc: number;
  stdout: Buffer;
  stderr: Buffer;
}

/** The become password was wrong or missing; never carries the password itself. */
export class BecomeError extends TsrunError {
  constructor(message: string) {
    super(message);
    this.name = 'BecomeError';
  }
}

export class TimeoutError extends TsrunError {
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutError';
  }
}

/** The shell ended while a request was running (connection lost, shell killed). */
export class SessionClosedError extends TsrunError {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'SessionClosedError';
  }
}

interface Pending {
  reader: ResponseReader;
  resolve(r: RawResult): void;
  reject(e: Error): void;
  /** Set while a raw payload waits for the shell's go line (see AWAIT_GO). */
  go?: { marker: string; seen: string; answer(go: boolean): void };
}

/** Grace after timeoutMs for the remote watchdog's kill to bring the end marker back. */
const KILL_GRACE_MS = 5000;

/**
 * Counters of one process's shell traffic: requests; round trips (requests sent to a shell with
 * none outstanding, so the sender waited for the last answer); bytes are payload only.
 */
export const shellTraffic = { requests: 0, roundTrips: 0, writes: 0, bytesSent: 0, reads: 0, bytesReceived: 0, shellsStarted: 0 };

/** What may be sent behind other requests: no timer (it would start before the request does) and no raw payload. */
export function canPipeline(req: { stdin?: Buffer; timeoutMs?: number }): boolean {
  return req.timeoutMs === undefined && (req.stdin?.length ?? 0) <= LARGE_PAYLOAD_BYTES;
}

export class ShellSession {
  /** Requests sent and not yet answered, oldest first. */
  private queue: Pending[] = [];
  /** Writes of one request finish before the next request's begin. */
  private sending: Promise<void> = Promise.resolve();
  /** Session preludes already run in this shell (see session-preludes.ts). */
  private readonly defined = new Set<number>();
  private closed = false;
  private closeReason?: Error;

  private constructor(
    private readonly t: ShellTransport,
    readonly label: string,
    /** Binary payloads may go raw: nothing between here and the shell is a terminal (no sudo). */
    private readonly rawStdin = false,
  ) {
    t.stdout.on('data', (b: Buffer) => this.onData(b, true));
    t.stderr.on('data', (b: Buffer) => this.onData(b, false));
    // Writes after the far end has gone surface as close, not as an unhandled error.
    t.stdin.on('error', () => {});
    t.onClose((reason) => this.onClosed(reason));
  }

  get alive(): boolean {
    return !this.closed;
  }

  get busy(): boolean {
    return this.queue.length > 0;
  }

  /**
   * Starts a shell on a transport created by `open(command)`. With `become`, the shell runs
   * under sudo; the password goes to sudo's prompt on stdin, never onto a command line.
   */
  static async start(
    open: (command: string) => Promise<ShellTransport>,
    opts: { label: string; become?: { user: string; password?: string }; readyTimeoutMs?: number },
  ): Promise<ShellSession> {
    const ready = newMarker();
    const sudoPrompt = `[tsrun-sudo-${randomBytes(8).toString('hex')}] password: `;
    const t = await open(startCommand(ready, opts.become && { user: opts.become.user, sudoPrompt }));
    const session = await new Promise<ShellSession>((resolve, reject) => {
      let out = '';
      let err = '';
      let answered = false;
      let settled = false;
      const finish = (e?: Error): void => {
        if (settled) return;
        settled = true;
        timer.cancel();
        t.stdout.off('data', onOut);
        t.stderr.off('data', onErr);
        if (e) {
          t.close();
          reject(e);
        } else {
          resolve(new ShellSession(t, opts.label, !opts.become));
        }
      };
      // Counts only time this process could have read the answer (see attempt-clock.ts).
      const timer = startAttemptTimer(
        opts.readyTimeoutMs ?? 30000,
        () => finish(new SessionClosedError(`${opts.label}: shell did not start within ${opts.readyTimeoutMs ?? 30000} ms${err ? `: ${err.trim()}` : ''}`)),
      );
      const onOut = (b: Buffer): void => {
        out += b.toString('latin1');
        if (out.includes(`${ready}\n`)) finish();
      };
      const onErr = (b: Buffer): void => {
        err += b.toString('utf8');
        const prompts = err.split(sudoPrompt).length - 1;
        if (prompts === 0) return;
        const user = opts.become?.user ?? 'root';
        if (opts.become?.password === undefined) {
          finish(new BecomeError(`${opts.label}: sudo to ${user} requires a password (missing become password)`));
        } else if (prompts > 1 || answered) {
          finish(new BecomeError(`become password incorrect for ${opts.label}`));
        } else {
          answered = true;
          t.stdin.write(`${opts.become.password}\n`);
        }
      };
      t.stdout.on('data', onOut);
      t.stderr.on('data', onErr);
      t.stdin.on('error', () => {});
      t.onClose((reason) => {
        const detail = err.split(sudoPrompt).join('').trim();
        if (answered && /incorrect|try again/i.test(detail)) {
          finish(new BecomeError(`become password incorrect for ${opts.label}`));
        } else {
          // tsrun's shells have no terminal (one would mangle the byte stream); Ansible's ssh -tt has one.
          const hint = /must have a tty/.test(detail) ? " (the target's sudoers has \"Defaults requiretty\"; tsrun runs sudo without a terminal: exempt the login user with \"Defaults:USER !requiretty\")" : '';
          const why = (detail || reason?.message || 'shell exited') + hint;
          finish(new SessionClosedError(`${opts.label}: ${opts.become ? `become (sudo) to ${opts.become.user} failed` : 'shell failed to start'}: ${why}`, reason));
        }
      });
    });
    session.t.stdin.write(sessionSetup());
    shellTraffic.shellsStarted++;
    return session;
  }

  /**
   * Runs one request; the caller serialises (see ShellPool). `pipelined`: it may be sent while
   * earlier requests are still running; it must have no timeout and no payload large enough to go raw.
   */
  run(req: { script: string; stdin?: Buffer; env?: Record<string, string>; timeoutMs?: number; onTransfer?: TransferObserver; around?: AroundScript }, pipelined = false): Promise<RawResult> {
    if (this.closed) return Promise.reject(this.closedError());
    if (this.queue.length > 0 && !(pipelined && canPipeline(req))) return Promise.reject(new Error(`${this.label}: shell session is busy (internal error)`));
    const marker = newMarker();
    let { script } = req;
    let setup = '';
    const define = (text: string): string => {
      const split = splitPreludes(text);
      for (const p of split.preludes) {
        if (this.defined.has(p.id)) continue;
        this.defined.add(p.id);
        setup += p.text;
      }
      return split.rest;
    };
    // Text around the script always runs in this shell, so its preludes are always defined here.
    const around = req.around && { before: define(req.around.before), after: req.around.after };
    if (req.timeoutMs === undefined) script = define(script);
    shellTraffic.requests++;
    if (this.queue.length === 0) shellTraffic.roundTrips++;
    const chunks = requestChunks({ marker, ...req, script, setup, around, rawStdin: this.rawStdin && !pipelined });
    return new Promise<RawResult>((resolve, reject) => {
      let timedOut = false;
      let hardTimer: NodeJS.Timeout | undefined;
      const softTimer =
        req.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              // The remote watchdog kills the script; if even that does not bring the marker
              // back, the shell itself is stuck: end it.
              hardTimer = setTimeout(() => this.t.close(), KILL_GRACE_MS);
            }, req.timeoutMs);
      const clear = (): void => {
        if (softTimer) clearTimeout(softTimer);
        if (hardTimer) clearTimeout(hardTimer);
      };
      const started = performance.now();
      // A loaded event loop can run the timer late, after the remote watchdog's kill has
      // already brought the result back: the clock, not the timer, decides.
      const late = (): boolean => req.timeoutMs !== undefined && performance.now() - started >= req.timeoutMs;
      this.queue.push({
        reader: new ResponseReader(marker),
        resolve: (r) => {
          clear();
          if (timedOut || late()) reject(new TimeoutError(`${this.label}: command timed out after ${req.timeoutMs} ms and was killed`));
          else resolve(r);
        },
        reject: (e) => {
          clear();
          if (timedOut) reject(new TimeoutError(`${this.label}: command timed out after ${req.timeoutMs} ms; the shell was closed`));
          else reject(e);
        },
      });
      const large = (req.stdin?.length ?? 0) > LARGE_PAYLOAD_BYTES;
      const observe = large ? req.onTransfer : undefined;
      // Announced before waiting for the limiter, so queued pushes count in the total.
      observe?.(0, req.stdin?.length ?? 0);
      const send = (): Promise<void> => (large ? largeTransfers(() => this.send(chunks, marker, observe, req.stdin?.length ?? 0)) : this.send(chunks, marker));
      // Alone, the request is written now (in this tick, so ssh2 sends it with what else this
      // tick writes); pipelined, after the writes of the one before it.
      const sent = this.queue.length === 1 ? send() : this.sending.then(send);
      this.sending = sent.catch(() => undefined);
      void sent;
    });
  }

  /** Writes a request, waiting for the channel to drain, so a large payload is never buffered whole. */
  private async send(chunks: Iterable<Chunk>, marker: string, observe?: TransferObserver, payload = 0): Promise<void> {
    let skip = false;
    let sent = 0;
    observe?.(0, payload); // the push starts now (it may have waited for the limiter)
    for (const chunk of observe ? slices(chunks) : chunks) {
      if (this.closed) return;
      if (chunk === AWAIT_GO) {
        skip = !(await this.awaitGo(marker));
        continue;
      }
      // The payload (Buffers) the shell could not take; the framing after it is text.
      if (skip && typeof chunk !== 'string') continue;
      skip = false;
      shellTraffic.writes++;
      shellTraffic.bytesSent += chunk.length;
      if (!this.t.stdin.write(chunk)) await new Promise<void>((resolve) => {
        const done = (): void => {
          this.t.stdin.off('drain', done);
          this.t.stdin.off('close', done);
          resolve();
        };
        this.t.stdin.once('drain', done);
        this.t.stdin.once('close', done);
      });
      // Buffers are payload as is; strings are base64 lines (57 bytes per 77 characters) or
      // the few bytes of framing, which the cap hides.
      sent += typeof chunk === 'string' ? Math.floor((chunk.length * 57) / 77) : chunk.length;
      observe?.(Math.min(sent, payload), payload);
    }
  }

  /** Resolves with true once the shell printed the go line, false for no-go or a closed shell. */
  private awaitGo(marker: string): Promise<boolean> {
    const p = this.queue[0];
    if (!p || this.closed) return Promise.resolve(false);
    return new Promise<boolean>((answer) => {
      p.go = { marker, seen: '', answer };
    });
  }

  close(): void {
    if (this.closed) return;
    // A request still running (Ctrl-C) is ended with its shell, not left behind on the host.
    if (this.queue.length > 0) this.t.signal?.('TERM');
    this.t.close();
  }

  private closedError(): Error {
    return new SessionClosedError(`${this.label}: shell session ended${this.closeReason ? `: ${this.closeReason.message}` : ''}`, this.closeReason);
  }

  private onData(b: Buffer, isStdout: boolean): void {
    shellTraffic.reads++;
    shellTraffic.bytesReceived += b.length;
    this.route(b, isStdout);
  }

  private route(b: Buffer, isStdout: boolean): void {
    // Each stream belongs to the oldest request whose marker has not come on it yet; what
    // follows a marker is the next request's. Nothing pending: stray output of something a
    // script left running in the background.
    const p = this.queue.find((q) => !(isStdout ? q.reader.stdoutDone : q.reader.stderrDone));
    if (!p) return;
    if (!isStdout && p.go) {
      // Nothing of the request runs before the go line; what comes before it is stray output.
      const go = p.go;
      go.seen += b.toString('latin1');
      const yes = go.seen.indexOf(goLine(go.marker, true));
      const no = go.seen.indexOf(goLine(go.marker, false));
      const at = yes >= 0 ? yes : no;
      if (at < 0) return;
      p.go = undefined;
      const rest = Buffer.from(go.seen.slice(at + goLine(go.marker, yes >= 0).length), 'latin1');
      go.answer(yes >= 0);
      if (rest.length === 0) return;
      b = rest;
    }
    if (isStdout) p.reader.pushStdout(b);
    else p.reader.pushStderr(b);
    const ended = isStdout ? p.reader.stdoutDone : p.reader.stderrDone;
    const rest = ended ? (isStdout ? p.reader.stdoutRest() : p.reader.stderrRest()) : undefined;
    while (this.queue[0]?.reader.done) {
      const q = this.queue.shift()!;
      q.resolve({ rc: q.reader.rc, stdout: q.reader.stdout(), stderr: q.reader.stderr() });
    }
    if (rest?.length) this.route(rest, isStdout);
  }

  private onClosed(reason?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    const queue = this.queue;
    this.queue = [];
    for (const p of queue) {
      p.go?.answer(false);
      p.reject(this.closedError());
    }
  }
}
