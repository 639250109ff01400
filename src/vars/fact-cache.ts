/**
 * Ansible's fact cache: gathered facts and `set_fact: cacheable: true` facts, per host. The
 * default `memory` plugin is the run's own HostFacts (facts outlive plays); `jsonfile` also
 * keeps them in `<fact_caching_connection>/<fact_caching_prefix><host>` (no prefix unless set) (JSON, sorted keys, as
 * Ansible writes them), read back by later runs until `fact_caching_timeout` seconds have passed
 * since the file was written (0: forever), removed by `meta: clear_facts` and `--flush-cache`.
 * Other cache plugins (redis, memcached, yaml, pickle...) are refused, naming the setting.
 */
import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import type { AnsibleConfig } from '../config/index.js';
import { expandHome, expandVars } from '../config/load.js';
import { ConfigError, TsrunError } from '../util/errors.js';
import { loaderWarning } from '../util/warnings.js';

export interface FactCache {
  /** The cached facts of `host`, or undefined when none are cached (or they expired). */
  load(host: string): Record<string, unknown> | undefined;
  save(host: string, facts: Record<string, unknown>): void;
  remove(host: string): void;
}

/** `memory`: nothing outlives the run, and HostFacts already is the run's cache. */
const MEMORY: FactCache = { load: () => undefined, save: () => {}, remove: () => {} };

/** Keys sorted at every depth, as Ansible's json.dump(sort_keys=True). */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortedKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

export class JsonFileCache implements FactCache {
  constructor(
    readonly dir: string,
    private readonly prefix: string,
    private readonly timeoutSec: number,
  ) {}

  private file(host: string): string {
    return join(this.dir, `${this.prefix}${host}`);
  }

  load(host: string): Record<string, unknown> | undefined {
    const file = this.file(host);
    let text: string;
    try {
      const st = statSync(file);
      if (this.timeoutSec > 0 && Date.now() - st.mtimeMs > this.timeoutSec * 1000) return undefined;
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') loaderWarning(`error in 'jsonfile' cache plugin while trying to read ${file} : ${code ?? String(err)}`);
      return undefined;
    }
    try {
      const data: unknown = JSON.parse(text);
      if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error('not a mapping');
      return data as Record<string, unknown>;
    } catch (err) {
      // Ansible erases a corrupt cache file and fails, so the next run starts clean
      loaderWarning(`error in 'jsonfile' cache plugin while trying to read ${file} : ${(err as Error).message}. Most likely a corrupt file, so erasing and failing.`);
      this.remove(host);
      throw new TsrunError(`The cache file ${file} was corrupt, or did not otherwise contain valid data. It has been removed, so you can re-run your command now.`);
    }
  }

  save(host: string, facts: Record<string, unknown>): void {
    const file = this.file(host);
    const tmp = join(this.dir, `.${this.prefix}${host}.${process.pid}.tmp`);
    try {
      mkdirSync(this.dir, { recursive: true });
      // a rename, so a reader (another run) never sees half a file
      writeFileSync(tmp, JSON.stringify(sortedKeys(facts), null, 4));
      renameSync(tmp, file);
    } catch (err) {
      try {
        unlinkSync(tmp);
      } catch {
        // nothing was written
      }
      loaderWarning(`error in 'jsonfile' cache plugin while trying to write to ${file} : ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }

  remove(host: string): void {
    try {
      unlinkSync(this.file(host));
    } catch {
      // not cached
    }
  }
}

let warnedNoConnection = false;

/** The fact cache the configuration names (CACHE_PLUGIN and its CONNECTION, PREFIX, TIMEOUT). */
export function factCacheFromConfig(config: AnsibleConfig, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): FactCache {
  const plugin = config.get<string>('CACHE_PLUGIN').replace(/^ansible\.builtin\./, '');
  if (plugin === 'memory') return MEMORY;
  if (plugin !== 'jsonfile') throw new ConfigError(`Unable to load the facts cache plugin (${config.get<string>('CACHE_PLUGIN')}): tsrun has the memory and jsonfile fact caches only`);
  const conn = config.setting('CACHE_PLUGIN_CONNECTION');
  if (conn.value === null || conn.value === '') {
    // Ansible warns and goes on with nothing written; tsrun keeps the facts for this run only
    if (!warnedNoConnection) loaderWarning('No setting was provided for required configuration plugin_type: cache plugin: jsonfile setting: _uri');
    warnedNoConnection = true;
    return MEMORY;
  }
  // the plugin's path option: ~ and $VARS expanded, relative to the ansible.cfg that set it (else the cwd)
  const base = conn.origin.startsWith('env:') ? cwd : dirname(conn.origin);
  const raw = expandHome(expandVars(String(conn.value), env), env);
  // the jsonfile plugin's own prefix option has no default: CACHE_PLUGIN_PREFIX's "ansible_facts" is not used
  const prefix = config.isSet('CACHE_PLUGIN_PREFIX') ? config.get<string>('CACHE_PLUGIN_PREFIX') : '';
  return new JsonFileCache(normalize(isAbsolute(raw) ? raw : join(base, raw)), prefix, config.get<number>('CACHE_PLUGIN_TIMEOUT'));
}
