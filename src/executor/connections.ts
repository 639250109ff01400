import { openConnection, connectionSpecFromVars } from '../connection/index.js';
import type { Connection, ConnectionSpec } from '../connection/types.js';
import type { VarSource } from '../vars/types.js';
import type { RunOptions } from './options.js';

/** Connection variables Ansible reads for a host; only these are rendered to connect. */
const CONNECTION_VARS = [
  'ansible_host', 'ansible_ssh_host', 'ansible_port', 'ansible_ssh_port', 'ansible_user', 'ansible_ssh_user',
  'ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password', 'ansible_ssh_private_key_file', 'ansible_private_key_file',
  'ansible_connection', 'ansible_ssh_common_args', 'ansible_ssh_extra_args', 'ansible_ssh_args', 'ansible_timeout',
  'ansible_host_key_checking', 'ansible_ssh_host_key_checking',
];

export function connectionVars(scope: VarSource): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of CONNECTION_VARS) if (scope.has(name)) out[name] = scope.lookup(name);
  return out;
}

/**
 * What makes two connections different: every field of the spec (the inventory name included,
 * since Connection.name names the host in errors), nested values too, in a fixed key order.
 */
export function specKey(spec: ConnectionSpec): string {
  const stable = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(stable) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(stable(spec));
}

/** The run's one connection cache: one connection per distinct spec (specKey), opened on first use. */
export class ConnectionCache {
  private readonly open = new Map<string, { conn: Connection; ready: Promise<void> }>();
  /**
   * Specs already built, by host and connection variables: every task asks again, and parsing
   * the ssh arguments and keying the spec cost more than the rest of a `command: true` task's
   * control-side work together. The same inputs always give the same spec.
   */
  private readonly specs = new Map<string, ConnectionSpec>();
  /** specKey of each spec specFor built (specs are not changed after), computed once. */
  private readonly keys = new WeakMap<ConnectionSpec, string>();

  constructor(
    private readonly opts: RunOptions,
    /** -vvvv: the command lines that start shells on hosts (ConnectionOptions.debug). */
    private readonly debug?: (line: string) => void,
  ) {}

  specFor(host: string, vars: Record<string, unknown>, remoteUser?: string): ConnectionSpec {
    const memo = `${host}\0${remoteUser ?? ''}\0${JSON.stringify(vars)}`;
    const known = this.specs.get(memo);
    if (known) return known;
    const spec = this.buildSpec(host, vars, remoteUser);
    this.specs.set(memo, spec);
    this.keys.set(spec, specKey(spec));
    return spec;
  }

  private buildSpec(host: string, vars: Record<string, unknown>, remoteUser?: string): ConnectionSpec {
    const spec = connectionSpecFromVars(host, vars, {
      defaultUser: remoteUser ?? this.opts.remoteUser,
      privateKeyFile: this.opts.privateKey,
      hostKeyChecking: this.opts.hostKeyChecking,
      env: process.env,
      timeoutSec: this.opts.timeoutSec,
      port: this.opts.remotePort,
      sshArgs: this.opts.sshArgs,
    });
    // -k answers for hosts that have no password of their own.
    if (spec.password === undefined && this.opts.connectionPassword !== undefined) spec.password = this.opts.connectionPassword;
    return spec;
  }

  async get(spec: ConnectionSpec): Promise<Connection> {
    const key = this.keys.get(spec) ?? specKey(spec);
    let entry = this.open.get(key);
    if (!entry) {
      const conn = openConnection(spec, { debug: this.debug });
      entry = { conn, ready: conn.connect() };
      this.open.set(key, entry);
    }
    await entry.ready;
    return entry.conn;
  }

  /** Closes the connection for `spec` if one is open; the next `get` opens a new one. */
  async close(spec: ConnectionSpec): Promise<void> {
    const key = this.keys.get(spec) ?? specKey(spec);
    const entry = this.open.get(key);
    if (!entry) return;
    this.open.delete(key);
    await entry.ready.catch(() => undefined);
    await entry.conn.close();
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.allSettled(all.map((e) => e.conn.close()));
  }
}
