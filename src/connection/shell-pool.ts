/**
 * The shells of one connection: one long-lived shell per become user, reused for every call;
 * extra shells of the same kind are opened only while all existing ones are busy, never more
 * than `maxShells` at once in total (an SSH server refuses channels beyond its MaxSessions).
 * Calls that find no free shell and no room wait in FIFO order.
 */
import { createHash } from 'node:crypto';
import type { AroundScript, BecomeOptions, TransferObserver } from './types.js';
import { canPipeline, SessionClosedError, ShellSession, type RawResult, type ShellTransport } from './shell-session.js';

export interface ShellRequest {
  script: string;
  stdin?: Buffer;
  env?: Record<string, string>;
  timeoutMs?: number;
  become?: BecomeOptions;
  /** See ExecOptions.lane. */
  lane?: object;
  onTransfer?: TransferObserver;
  around?: AroundScript;
}

/**
 * The requests of one lane (ExecOptions.lane): handed to one shell in call order, each sent as
 * soon as the one before it has been, so the shell runs them back to back without a round trip
 * between them. The shell stays leased to the lane while any of them is outstanding.
 */
interface Lane {
  shell?: ShellSession;
  key?: string;
  /** Settles once the last request handed to the lane has been given to its shell. */
  tail: Promise<void>;
  /** Requests handed to the lane and not yet answered. */
  open: number;
  /** Answers still to come from the lane's shell. */
  running: Set<Promise<RawResult>>;
}

/**
 * Shells are shared per become user and password: an already authenticated root shell must
 * not serve a call that carries a different (possibly wrong) password.
 */
function shellKey(become: BecomeOptions | undefined): string {
  if (!become) return 'login';
  const pw = become.password === undefined ? '-' : createHash('sha256').update(become.password).digest('hex');
  return `become:${become.user}:${pw}`;
}

export class ShellPool {
  private readonly shells = new Map<string, ShellSession[]>();
  /** Shells handed to a caller and not yet given back. */
  private readonly leased = new Set<ShellSession>();
  /** Shells being started, counted against the limit. */
  private starting = 0;
  private waiters: Array<() => void> = [];
  private closed = false;
  private readonly lanes = new WeakMap<object, Lane>();

  constructor(
    private readonly label: string,
    private readonly open: (command: string) => Promise<ShellTransport>,
    /** Upper bound of shells at once; lowered when the server refuses a channel. */
    private maxShells: number,
  ) {}

  async run(req: ShellRequest): Promise<RawResult> {
    if (req.lane) return this.runInLane(req.lane, req);
    const key = shellKey(req.become);
    const shell = await this.acquire(key, req.become);
    try {
      return await shell.run(req);
    } finally {
      this.leased.delete(shell);
      this.wakeAll();
    }
  }

  private runInLane(token: object, req: ShellRequest): Promise<RawResult> {
    let lane = this.lanes.get(token);
    if (!lane) {
      lane = { tail: Promise.resolve(), open: 0, running: new Set() };
      this.lanes.set(token, lane);
    }
    const l = lane;
    l.open++;
    let answer!: Promise<RawResult>;
    const handed = l.tail.then(async () => {
      const key = shellKey(req.become);
      // Another shell (become changed), a request that cannot go behind others, or a shell that
      // died: the requests before it finish first, so the order holds.
      if (!l.shell || l.key !== key || !l.shell.alive || !canPipeline(req)) {
        await Promise.allSettled(l.running);
        if (l.shell && (l.key !== key || !l.shell.alive)) this.releaseLane(l);
      }
      if (!l.shell) {
        l.shell = await this.acquire(key, req.become);
        l.key = key;
      }
      answer = l.shell.run(req, l.shell.busy);
      l.running.add(answer);
    });
    l.tail = handed.catch(() => undefined);
    const done = (): void => {
      l.running.delete(answer);
      if (--l.open === 0) this.releaseLane(l);
    };
    return handed.then(
      () => answer.finally(done),
      (e: unknown) => {
        if (--l.open === 0) this.releaseLane(l);
        throw e;
      },
    );
  }

  private releaseLane(l: Lane): void {
    if (!l.shell) return;
    this.leased.delete(l.shell);
    l.shell = undefined;
    l.key = undefined;
    this.wakeAll();
  }

  /** Number of shells open or opening (for tests and diagnostics). */
  get size(): number {
    this.prune();
    return this.total();
  }

  close(): void {
    this.closed = true;
    for (const list of this.shells.values()) for (const s of list) s.close();
    this.shells.clear();
    this.wakeAll();
  }

  private wakeAll(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  private total(): number {
    let n = this.starting;
    for (const list of this.shells.values()) n += list.length;
    return n;
  }

  private prune(): void {
    for (const [k, list] of this.shells) {
      const alive = list.filter((s) => s.alive);
      if (alive.length) this.shells.set(k, alive);
      else this.shells.delete(k);
    }
  }

  private async acquire(key: string, become: BecomeOptions | undefined): Promise<ShellSession> {
    for (;;) {
      if (this.closed) throw new SessionClosedError(`${this.label}: connection closed`);
      this.prune();
      const free = this.shells.get(key)?.find((s) => !this.leased.has(s));
      if (free) {
        this.leased.add(free);
        return free;
      }
      if (this.total() >= this.maxShells) this.evictIdleOtherThan(key);
      if (this.total() < this.maxShells) {
        const s = await this.startShell(key, become);
        if (s) {
          this.leased.add(s);
          return s;
        }
        // The server refused a channel: the limit was lowered; wait for a shell to free up.
      }
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  private evictIdleOtherThan(key: string): void {
    for (const [k, list] of this.shells) {
      if (k === key) continue;
      const idle = list.find((s) => !this.leased.has(s));
      if (idle) {
        idle.close();
        this.shells.set(k, list.filter((s) => s !== idle));
        return;
      }
    }
  }

  private async startShell(key: string, become: BecomeOptions | undefined): Promise<ShellSession | undefined> {
    this.starting++;
    let opened = false;
    try {
      const s = await ShellSession.start(this.open, {
        label: this.label,
        become: become && { user: become.user, password: become.password },
      });
      opened = true;
      this.starting--;
      if (this.closed) {
        s.close();
        throw new SessionClosedError(`${this.label}: connection closed`);
      }
      const list = this.shells.get(key) ?? [];
      list.push(s);
      this.shells.set(key, list);
      return s;
    } catch (e) {
      if (!opened) this.starting--;
      // A refused channel while others are open means we met the server's session limit.
      const others = this.total();
      if (e instanceof ChannelRefusedError && others > 0) {
        this.maxShells = Math.max(1, others);
        return undefined;
      }
      throw e;
    }
  }
}

/** Thrown by a transport opener when the server refuses a new channel. */
export class ChannelRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelRefusedError';
  }
}
