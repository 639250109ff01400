/**
 * Loading a playbook (YAML, validation, roles, imports) is synchronous and takes seconds for a
 * large one. Node runs signal handlers on the event loop, so on the main thread a Ctrl-C during
 * such a load would wait until it ends. A small load (the usual case) runs here, where it costs
 * least; once its YAML goes over SMALL_LOAD it is abandoned and done again in a worker thread,
 * while this thread only waits: SIGINT/SIGTERM are then acted on at once (the worker is stopped;
 * the CLI exits 99, nothing having touched a host).
 */
import { Worker } from 'node:worker_threads';
import { loadPlaybook, ReadBudgetExceeded, withLoadBudget, type LoadBudget, type LoaderOptions } from '../playbook/index.js';
import { parseCacheConfig } from '../playbook/parse-cache.js';
import type { Playbook } from '../playbook/types.js';
import { ConfigError, TsrunError } from '../util/errors.js';
import { holdLoaderWarnings, loaderWarning } from '../util/warnings.js';
import type { VaultSecret } from '../vault/keyring.js';
import { staticRenderer } from './static-renderer.js';
import type { LoadFailure, LoadReply, LoadRequest } from './load-worker.js';

/**
 * 100,000 YAML tokens (about 200 KB of dense YAML, a fifth of a second to parse): more than a
 * real project's playbooks and roles together (this repo's: 13,000 tokens in 88 KB; deploy.yml
 * loads in 0.4 s of CPU, the longest a Ctrl-C waits for it), and little to do again when a load
 * turns out larger. A few long strings or text blocks are few tokens: up to 32 MB of them load
 * here, sparing the worker's start-up.
 */
export const SMALL_LOAD: LoadBudget = { tokens: 100_000, bytes: 32 * 1024 * 1024 };

export function interrupted(): TsrunError {
  return new TsrunError('User interrupted execution', { exitCode: 99 });
}


/** Loads the playbooks (absolute paths); rejects with the loader's own error, or 99 on abort. */
export async function loadPlaybooks(paths: string[], opts: LoaderOptions, secrets: VaultSecret[], signal: AbortSignal, extraVars: Record<string, unknown> = {}): Promise<Playbook[]> {
  let small: { value: Playbook[]; warnings: string[] } | undefined;
  const here = { ...opts, renderStatic: staticRenderer(extraVars) };
  try {
    small = holdLoaderWarnings(() => withLoadBudget(SMALL_LOAD, () => paths.map((p) => loadPlaybook(p, here))));
  } catch (err) {
    if (!(err instanceof ReadBudgetExceeded)) throw err;
  }
  const { value, warnings } = small ?? (await loadInWorker(paths, opts, secrets, signal, extraVars));
  for (const w of warnings) loaderWarning(w);
  return value;
}

function rebuild(f: LoadFailure): Error {
  if (f.kind === 'config') return new ConfigError(f.message, f.pos);
  if (f.kind === 'tsrun') return new TsrunError(f.message, { pos: f.pos, exitCode: f.exitCode });
  const err = new Error(f.message);
  if (f.stack) err.stack = f.stack;
  return err;
}

function loadInWorker(paths: string[], opts: LoaderOptions, secrets: VaultSecret[], signal: AbortSignal, extraVars: Record<string, unknown>): Promise<{ value: Playbook[]; warnings: string[] }> {
  if (signal.aborted) return Promise.reject(interrupted());
  const worker = new Worker(new URL('./load-worker.js', import.meta.url));
  return new Promise((resolve, reject) => {
    const onAbort = () => finish(() => reject(interrupted()));
    function finish(settle: () => void): void {
      signal.removeEventListener('abort', onAbort);
      // Whatever it reports from now on is moot (an 'error' without a listener would throw).
      worker.removeAllListeners().on('error', () => {});
      // Stopped mid-load on Ctrl-C; after an answer it has nothing left to do.
      void worker.terminate();
      settle();
    }
    signal.addEventListener('abort', onAbort, { once: true });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`the playbook loader stopped unexpectedly (exit ${code})`))));
    worker.on('message', (reply: LoadReply) => finish(() => ('failure' in reply ? reject(rebuild(reply.failure)) : resolve({ value: reply.playbooks, warnings: reply.warnings }))));
    // What the loader reads of each module: the registry itself holds functions.
    const modules: LoadRequest['modules'] = [...opts.modules].map(([name, def]) => [name, { name: def.name, freeForm: def.freeForm, argsSchema: def.argsSchema }]);
    const parseCache = parseCacheConfig();
    const request: LoadRequest = { paths, modules, secrets, extraVars, ...(opts.rolesPath ? { rolesPath: opts.rolesPath } : {}), ...(parseCache ? { parseCache } : {}) };
    worker.postMessage(request);
  });
}
