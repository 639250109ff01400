/**
 * SSH target: ONE ssh2 connection per host for the whole run; commands go through
 * long-lived shells on it (see shell-pool.ts), never one exec channel per command.
 */
import type { Client as ClientType, ClientChannel } from 'ssh2';
import { TsrunError } from '../util/errors.js';
import type { ConnectionOptions } from './types.js';
import { quoteForShell, toBuffer } from './exec-helpers.js';
import { ChannelRefusedError, ShellPool } from './shell-pool.js';
import { SessionClosedError, type RawResult, type ShellTransport } from './shell-session.js';
import { keepaliveOf, type SshConnectionSpec } from './spec.js';
import { defaultUser, openClient, parseHop } from './ssh-client.js';
import { UnreachableError, type BecomeOptions, type Connection, type ExecOptions, type ExecResult } from './types.js';
import type { ShellRequest } from './shell-pool.js';

/** OpenSSH's default MaxSessions: channels open at once on one connection. */
export const DEFAULT_MAX_SESSIONS = 10;

export class SshConnection implements Connection {
  readonly name: string;
  readonly pipelines = true;
  private clients: ClientType[] = [];
  private connecting?: Promise<ClientType>;
  private client?: ClientType;
  /** Set when the connection dropped under a running command. */
  private lostReason?: string;
  private readonly pool: ShellPool;
  /** Rejects when close() is called: whatever is still waiting on the host gives up then. */
  private readonly closing: Promise<never>;
  private endWaits!: (e: Error) => void;
  private ended = false;

  constructor(
    private readonly spec: SshConnectionSpec,
    private readonly opts: { maxSessions?: number; env?: NodeJS.ProcessEnv } & ConnectionOptions = {},
  ) {
    this.name = spec.name;
    const open = (command: string) => {
      // the command of an exec request on the SSH connection (sshd runs it with the login shell)
      opts.debug?.(`<${spec.host}> EXEC ${command}`);
      return this.openChannel(command);
    };
    this.pool = new ShellPool(spec.name, open, opts.maxSessions ?? DEFAULT_MAX_SESSIONS);
    this.closing = new Promise<never>((_, reject) => (this.endWaits = reject));
    this.closing.catch(() => {});
  }

  connect(): Promise<void> {
    return this.untilClosed(this.ensureClient()).then(() => undefined);
  }

  /**
   * Over a dead link nothing answers: a connect, a channel open or a command would wait for
   * the connect timeout or the keepalives. Ctrl-C (which closes every connection) must not.
   */
  private untilClosed<T>(p: Promise<T>): Promise<T> {
    p.catch(() => {});
    return Promise.race([p, this.closing]);
  }

  async exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const r = await this.run({ script, stdin: toBuffer(opts.stdin), env: opts.env, timeoutMs: opts.timeoutMs, become: opts.become, lane: opts.lane, onTransfer: opts.onTransfer, around: opts.around });
    return { rc: r.rc, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
  }

  async readFile(path: string, opts: { become?: BecomeOptions } = {}): Promise<Buffer> {
    const r = await this.run({ script: `cat -- ${quoteForShell(path)}`, become: opts.become });
    if (r.rc !== 0) throw new TsrunError(`${this.name}: cannot read ${path}: ${r.stderr.toString('utf8').trim()}`);
    return r.stdout;
  }

  async close(): Promise<void> {
    this.ended = true;
    this.endWaits(new SessionClosedError(`${this.name}: connection closed by tsrun`));
    this.pool.close();
    const clients = this.clients;
    this.clients = [];
    this.client = undefined;
    this.connecting = undefined;
    for (const c of clients.reverse()) c.end();
  }

  private async run(req: ShellRequest): Promise<RawResult> {
    try {
      return await this.untilClosed(this.pool.run(req));
    } catch (e) {
      // Once the connection is known lost, whatever failed with it (the shell, or ssh2's
      // "No response from server" for a channel being opened) means: host unreachable.
      if (this.lostReason && (e instanceof SessionClosedError || !(e instanceof TsrunError))) {
        throw new UnreachableError(`${this.name}: connection lost: ${this.lostReason}`, e);
      }
      throw e;
    }
  }

  private ensureClient(): Promise<ClientType> {
    if (this.client) return Promise.resolve(this.client);
    if (!this.connecting) {
      this.connecting = this.dial().then(
        (c) => {
          this.client = c;
          this.lostReason = undefined;
          return c;
        },
        (e: unknown) => {
          this.connecting = undefined;
          throw e;
        },
      );
    }
    return this.connecting;
  }

  private async dial(): Promise<ClientType> {
    const env = this.opts.env ?? process.env;
    const user = this.spec.user ?? defaultUser(env);
    const hops = (this.spec.proxyJump ?? []).map((h) => parseHop(h, user));
    const opened: ClientType[] = [];
    try {
      let via: ClientType | undefined;
      for (const hop of hops) {
        via = await openClient(this.spec, `${this.name} via jump host ${hop.host}`, hop, via, env);
        opened.push(via);
      }
      const c = await openClient(this.spec, this.name, { host: this.spec.host, port: this.spec.port, user }, via, env);
      opened.push(c);
      // Closed while connecting: a connection nobody will close must not be kept.
      if (this.ended) throw new SessionClosedError(`${this.name}: connection closed by tsrun`);
    } catch (e) {
      for (const c of opened.reverse()) c.end();
      throw e;
    }
    this.clients = opened;
    const target = opened[opened.length - 1];
    for (const c of opened) {
      // Late events from a replaced connection must not taint the current one.
      const current = (): boolean => this.clients.includes(c);
      c.on('error', (e: Error) => {
        if (!current()) return;
        this.lostReason = e.message === 'Keepalive timeout' ? keepaliveLost(this.spec) : e.message;
      });
      c.on('close', () => {
        // The next call reconnects; calls running now fail as unreachable.
        if (current()) this.lostReason ??= 'connection closed';
        if (this.client === target) {
          this.client = undefined;
          this.connecting = undefined;
        }
        for (const other of opened) if (other !== c) other.end();
      });
    }
    return target;
  }

  private async openChannel(command: string): Promise<ShellTransport> {
    const client = await this.ensureClient();
    const stream = await new Promise<ClientChannel>((resolve, reject) => {
      const onOpen = (err: Error | undefined, ch: ClientChannel): void => {
        if (err) {
          // OpenSSH answers a channel beyond MaxSessions with an open failure.
          reject(/open failure|administratively prohibited|refused/i.test(err.message) ? new ChannelRefusedError(err.message) : err);
        } else resolve(ch);
      };
      try {
        client.exec(command, onOpen);
      } catch (e) {
        // ssh2 throws synchronously when the connection has just gone.
        reject(new UnreachableError(`${this.name}: connection lost: ${(e as Error).message}`, e));
      }
    });
    const closers: Array<(reason?: Error) => void> = [];
    let ended = false;
    stream.on('close', () => {
      if (ended) return;
      ended = true;
      const reason = this.lostReason ? new Error(this.lostReason) : undefined;
      for (const cb of closers) cb(reason);
    });
    stream.on('error', () => {});
    return {
      stdin: stream,
      stdout: stream,
      stderr: stream.stderr,
      close: () => {
        stream.end();
        stream.close();
      },
      signal: (name) => {
        if (!ended) stream.signal(name);
      },
      onClose: (cb) => {
        if (ended) queueMicrotask(() => cb());
        else closers.push(cb);
      },
    };
  }
}

/** The recorded reason when keepalives went unanswered: what was waited for, and what it means. */
export function keepaliveLost(spec: SshConnectionSpec): string {
  const { intervalMs, countMax } = keepaliveOf(spec);
  return `no answer to keepalives sent every ${intervalMs / 1000} s for ${((countMax + 1) * intervalMs) / 1000} s (ServerAliveInterval=${intervalMs / 1000}, ServerAliveCountMax=${countMax}): the host or the network to it is down`;
}
