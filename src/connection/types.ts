import { TsrunError } from '../util/errors.js';

export interface BecomeOptions {
  /** Target user, `root` by default in Ansible. */
  user: string;
  /** Sent to sudo on stdin only; never on a command line, never logged. */
  password?: string;
  method?: 'sudo';
}

export interface ExecOptions {
  /** Bytes given to the script on its standard input (empty when absent). */
  stdin?: string | Buffer;
  become?: BecomeOptions;
  /** Exported to the script (Ansible's `environment:`). */
  env?: Record<string, string>;
  /** Fails the call with an error after this long; the remote script is killed. */
  timeoutMs?: number;
  /**
   * Calls that carry the same object (a lane) run on the target in the order they were made,
   * one after another on one shell, each sent without waiting for the answers before it: a
   * loop's items then cost one round trip, not one each. Only where `pipelines` is true.
   */
  lane?: object;
  /** Progress of a large stdin payload (a file push), for the terminal's progress line. */
  onTransfer?: TransferObserver;
  /**
   * Shell text the long-lived shell runs itself just before and just after the script, outside
   * the script's subshell (`after` sees the script's exit status as `$__ts_rc`). It may call
   * functions of session preludes that `before` starts with. The command module reads its clock
   * here, so its program can replace the script's subshell instead of being started from it:
   * one process a task, not two. Neither may exit, read stdin, or fail to parse.
   */
  around?: AroundScript;
}

/** See ExecOptions.around. */
export interface AroundScript {
  before: string;
  after: string;
}

/** `sent` of `total` payload bytes have been written to the channel. */
export type TransferObserver = (sent: number, total: number) => void;

export interface ExecResult {
  rc: number;
  stdout: string;
  stderr: string;
}

/**
 * One target. `exec` runs POSIX sh script text on the target as if by `sh -c SCRIPT`,
 * exactly as written (no extra quoting). Implementations keep one long-lived transport per
 * host and serialise calls that share a shell; callers may still call `exec` concurrently.
 */
export interface Connection {
  /** Inventory name of the host this connection serves. */
  readonly name: string;
  /** Opens the transport; rejects with UnreachableError. Idempotent. */
  connect(): Promise<void>;
  exec(script: string, opts?: ExecOptions): Promise<ExecResult>;
  /** exec honours ExecOptions.lane (without it, concurrent calls may run at once on several shells). */
  readonly pipelines?: boolean;
  /** Whole content of a remote file (binary-safe), for `fetch` and `slurp`. */
  readFile(path: string, opts?: { become?: BecomeOptions }): Promise<Buffer>;
  close(): Promise<void>;
}

/** The host cannot be reached or logged into; the executor marks it unreachable. */
export class UnreachableError extends TsrunError {
  constructor(message: string, cause?: unknown) {
    super(message, { exitCode: 4, cause });
    this.name = 'UnreachableError';
  }
}

/** Everything needed to open a connection, derived from a host's connection variables. */
/** How a connection is opened, beside its spec. */
export interface ConnectionOptions {
  /**
   * -vvvv: each command line that starts a shell on the host (under sudo with become), the way
   * Ansible's connection plugins log `<host> EXEC ...`. It holds no password (sudo reads that on stdin).
   */
  debug?: (line: string) => void;
}

export interface ConnectionSpec {
  name: string;
  kind: 'ssh' | 'local';
  host: string;
  port: number;
  user?: string;
  password?: string;
  privateKeyFile?: string;
  /** Check host keys against known_hosts (OpenSSH's default). */
  hostKeyChecking: boolean;
  knownHostsFiles: string[];
  /** `user@host:port` hops, from ProxyJump / -J. */
  proxyJump?: string[];
  connectTimeoutMs: number;
}
