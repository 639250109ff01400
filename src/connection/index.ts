import { LocalConnection } from './local.js';
import type { SshConnectionSpec } from './spec.js';
import { SshConnection } from './ssh.js';
import type { Connection, ConnectionSpec } from './types.js';

export * from './types.js';
export { connectionSpecFromVars, type SshConnectionSpec, type SpecOptions } from './spec.js';
export { BecomeError, TimeoutError } from './shell-session.js';
export { LocalConnection } from './local.js';
export { SshConnection, DEFAULT_MAX_SESSIONS } from './ssh.js';

export function openConnection(spec: ConnectionSpec | SshConnectionSpec): Connection {
  return spec.kind === 'local' ? new LocalConnection(spec) : new SshConnection(spec);
}

/** Identity of a spec (the inventory name included: Connection.name names the host in errors). */
export function specKey(spec: ConnectionSpec | SshConnectionSpec): string {
  const s = spec as SshConnectionSpec;
  return JSON.stringify([
    s.kind, s.name, s.host, s.port, s.user ?? '', s.password ?? '', s.privateKeyFile ?? '',
    s.extraPrivateKeyFiles ?? [], s.hostKeyChecking, s.acceptNewHostKeys ?? false, s.knownHostsFiles, s.proxyJump ?? [], s.connectTimeoutMs,
  ]);
}

/** The run's connections: one per distinct spec, opened lazily and reused for every task. */
export class ConnectionPool {
  private readonly conns = new Map<string, Connection>();

  constructor(private readonly open: (spec: ConnectionSpec) => Connection = openConnection) {}

  get(spec: ConnectionSpec): Connection {
    const key = specKey(spec);
    let c = this.conns.get(key);
    if (!c) {
      c = this.open(spec);
      this.conns.set(key, c);
    }
    return c;
  }

  async closeAll(): Promise<void> {
    const all = [...this.conns.values()];
    this.conns.clear();
    await Promise.allSettled(all.map((c) => c.close()));
  }
}
