import { LocalConnection } from './local.js';
import type { SshConnectionSpec } from './spec.js';
import { SshConnection } from './ssh.js';
import type { Connection, ConnectionOptions, ConnectionSpec } from './types.js';

export * from './types.js';
export { connectionSpecFromVars, type SshConnectionSpec } from './spec.js';
export { LocalConnection } from './local.js';
export { SshConnection } from './ssh.js';

export function openConnection(spec: ConnectionSpec | SshConnectionSpec, opts: ConnectionOptions = {}): Connection {
  return spec.kind === 'local' ? new LocalConnection(spec, opts) : new SshConnection(spec as SshConnectionSpec, opts);
}
