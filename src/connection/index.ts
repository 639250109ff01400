import { LocalConnection } from './local.js';
import type { SshConnectionSpec } from './spec.js';
import { SshConnection } from './ssh.js';
import type { Connection, ConnectionSpec } from './types.js';

export * from './types.js';
export { connectionSpecFromVars, type SshConnectionSpec } from './spec.js';
export { LocalConnection } from './local.js';
export { SshConnection } from './ssh.js';

export function openConnection(spec: ConnectionSpec | SshConnectionSpec): Connection {
  return spec.kind === 'local' ? new LocalConnection(spec) : new SshConnection(spec);
}
