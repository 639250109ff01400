/**
 * One long-lived `sh` on any duplex byte stream (an SSH exec channel or a local child
 * process), running one request at a time with the marker protocol of shell-protocol.ts.
 */
import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { TsrunError } from '../util/errors.js';
import pLimit from 'p-limit';
import { newMarker, requestChunks, ResponseReader, sessionSetup, startCommand } from './shell-protocol.js';
import { transferObserver, type TransferObserver } from './transfer-progress.js';

/**
 * Large payloads (file pushes) to many hosts at once would each fill an SSH window of
 * megabytes in this process; a few at a time keeps memory flat and costs little time,
 * since each one streams at full speed.
 */
const LARGE_PAYLOAD_BYTES = 512 * 1024;
const largeTransfers = pLimit(2);

/** A here-document payload is one Buffer: observed pushes write it in views, so progress moves. */
function* slices(chunks: Iterable<string | Buffer>): Generator<string | Buffer> {
  const SLICE = 256 * 1024;
  for (const c of chunks) {
    if (typeof c === 'string' || c.length <= SLICE) yield c;
    else for (let i = 0; i < c.length; i += SLICE) yield c.subarray(i, i + SLICE);
  }
}

export interface ShellTransport {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /** Ends the transport (and with it the shell and whatever it still runs). */
  close(): void;
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
}

/** Grace after timeoutMs for the remote watchdog's kill to bring the end marker back. */
const KILL_GRACE_MS = 5000;

export class ShellSession {
  private pending?: Pending;
  private closed = false;
  private closeReason?: Error;

  private constructor(
    private readonly t: ShellTransport,
    readonly label: string,
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
    return this.pending !== undefined;
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
        clearTimeout(timer);
        t.stdout.off('data', onOut);
        t.stderr.off('data', onErr);
        if (e) {
          t.close();
          reject(e);
        } else {
          resolve(new ShellSession(t, opts.label));
        }
      };
      const timer = setTimeout(
        () => finish(new SessionClosedError(`${opts.label}: shell did not start within ${opts.readyTimeoutMs ?? 30000} ms${err ? `: ${err.trim()}` : ''}`)),
        opts.readyTimeoutMs ?? 30000,
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
          const why = detail || reason?.message || 'shell exited';
          finish(new SessionClosedError(`${opts.label}: ${opts.become ? `become (sudo) to ${opts.become.user} failed` : 'shell failed to start'}: ${why}`, reason));
        }
      });
    });
    session.t.stdin.write(sessionSetup());
    return session;
  }

  /** Runs one request; the caller serialises (see ShellPool). */
  run(req: { script: string; stdin?: Buffer; env?: Record<string, string>; timeoutMs?: number }): Promise<RawResult> {
    if (this.closed) return Promise.reject(this.closedError());
    if (this.pending) return Promise.reject(new Error(`${this.label}: shell session is busy (internal error)`));
    const marker = newMarker();
    const chunks = requestChunks({ marker, ...req });
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
      this.pending = {
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
      };
      const large = (req.stdin?.length ?? 0) > LARGE_PAYLOAD_BYTES;
      // Read in the caller's async context: the transfer limiter may run send() later.
      const observe = large ? transferObserver.getStore() : undefined;
      // Announced before waiting for the limiter, so queued pushes count in the total.
      observe?.(0, req.stdin?.length ?? 0);
      void (large ? largeTransfers(() => this.send(chunks, observe, req.stdin?.length ?? 0)) : this.send(chunks));
    });
  }

  /** Writes a request, waiting for the channel to drain, so a large payload is never buffered whole. */
  private async send(chunks: Iterable<string | Buffer>, observe?: TransferObserver, payload = 0): Promise<void> {
    let sent = 0;
    observe?.(0, payload); // the push starts now (it may have waited for the limiter)
    for (const chunk of observe ? slices(chunks) : chunks) {
      if (this.closed) return;
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

  close(): void {
    if (this.closed) return;
    this.t.close();
  }

  private closedError(): Error {
    return new SessionClosedError(`${this.label}: shell session ended${this.closeReason ? `: ${this.closeReason.message}` : ''}`, this.closeReason);
  }

  private onData(b: Buffer, isStdout: boolean): void {
    const p = this.pending;
    if (!p) return; // stray output of something a script left running in the background
    if (isStdout) p.reader.pushStdout(b);
    else p.reader.pushStderr(b);
    if (p.reader.done) {
      this.pending = undefined;
      p.resolve({ rc: p.reader.rc, stdout: p.reader.stdout(), stderr: p.reader.stderr() });
    }
  }

  private onClosed(reason?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(this.closedError());
  }
}
