/**
 * The worker side of loading a large playbook off the main thread (see load-playbooks.ts): reads and
 * validates the playbooks it is asked for and posts them back, or the error that stopped it.
 * It touches no host and prints nothing; loader warnings travel back with the result.
 */
import { parentPort } from 'node:worker_threads';
import { loadPlaybook, type LoaderModule } from '../playbook/index.js';
import { useParseCache, type ParseCacheConfig } from '../playbook/parse-cache.js';
import type { Playbook } from '../playbook/types.js';
import { ConfigError, formatPos, TsrunError, type SourcePos } from '../util/errors.js';
import { holdLoaderWarnings } from '../util/warnings.js';
import { staticRenderer } from './static-renderer.js';
import { Keyring, setKeyring, type VaultSecret } from '../vault/keyring.js';

export interface LoadRequest {
  paths: string[];
  modules: [string, LoaderModule][];
  rolesPath?: string[];
  secrets: VaultSecret[];
  /** For static names templated at load (staticRenderer). */
  extraVars: Record<string, unknown>;
  /** The main thread's parse cache, if it has one on. */
  parseCache?: ParseCacheConfig;
}

/** An error as it crosses the thread boundary; the main thread rebuilds the same class. */
export interface LoadFailure {
  kind: 'config' | 'tsrun' | 'bug';
  /** Without the position prefix: the rebuilt error adds it again. */
  message: string;
  pos?: SourcePos;
  exitCode?: number;
  stack?: string;
}

export type LoadReply = { playbooks: Playbook[]; warnings: string[] } | { failure: LoadFailure };

export function describeFailure(err: unknown): LoadFailure {
  if (err instanceof TsrunError) {
    const prefix = err.pos ? `${formatPos(err.pos)}: ` : '';
    const message = prefix && err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
    return { kind: err instanceof ConfigError ? 'config' : 'tsrun', message, pos: err.pos, exitCode: err.exitCode };
  }
  return { kind: 'bug', message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined };
}

function load(req: LoadRequest): LoadReply {
  // Buffers arrive as plain Uint8Arrays; the vault code wants Buffers.
  useParseCache(req.parseCache);
  setKeyring(new Keyring(req.secrets.map((s) => ({ id: s.id, password: Buffer.from(s.password) }))));
  try {
    const opts = { modules: new Map(req.modules), renderStatic: staticRenderer(req.extraVars), ...(req.rolesPath ? { rolesPath: req.rolesPath } : {}) };
    const { value, warnings } = holdLoaderWarnings(() => req.paths.map((p) => loadPlaybook(p, opts)));
    return { playbooks: value, warnings };
  } catch (err) {
    return { failure: describeFailure(err) };
  }
}

parentPort?.once('message', (req: LoadRequest) => {
  try {
    parentPort!.postMessage(load(req));
  } catch (err) {
    // A value that cannot be cloned is a bug in the loader, reported as one.
    parentPort!.postMessage({ failure: describeFailure(err) });
  }
});
