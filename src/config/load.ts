import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { ConfigError } from '../util/errors.js';
import { parseIni, type IniFile } from './ini.js';
import { SETTINGS, SSH_SETTINGS, type SettingDef, type SettingType } from './settings.js';

export interface Setting {
  value: unknown;
  /** "default", "env: ANSIBLE_FORKS" or the config file's path, as ansible-config prints it. */
  origin: string;
}

const readable = (p: string) => {
  try {
    accessSync(p, constants.R_OK);
    return existsSync(p) && statSync(p).isFile();
  } catch {
    return false;
  }
};

export const expandHome = (p: string, env: NodeJS.ProcessEnv) => p.replace(/^~(?=\/|$)/, env.HOME ?? '~');
/** os.path.expandvars: $NAME and ${NAME} of set variables; unset ones stay as written. */
export const expandVars = (p: string, env: NodeJS.ProcessEnv) => p.replace(/\$(\w+)|\$\{([^}]+)\}/g, (all, a?: string, b?: string) => env[(a ?? b)!] ?? all);

/** Ansible's resolve_path/unfrackpath(follow=False): vars, ~, relative to `base`, normalised. */
function resolvePath(p: string, base: string, env: NodeJS.ProcessEnv, cwd: string): string {
  const expanded = expandHome(expandVars(p.replace(/\{\{CWD\}\}/g, cwd), env), env);
  return normalize(isAbsolute(expanded) ? expanded : join(base, expanded));
}

/**
 * Which ansible.cfg is used, first found wins: $ANSIBLE_CONFIG (a file, or a directory holding
 * ansible.cfg), ./ansible.cfg (skipped in a world-writable directory, with a warning),
 * ~/.ansible.cfg, /etc/ansible/ansible.cfg.
 */
export function findConfigFile(env: NodeJS.ProcessEnv, cwd: string, warnings: string[] = []): string | undefined {
  const candidates: string[] = [];
  let fromEnv: string | undefined;
  if (env.ANSIBLE_CONFIG !== undefined) {
    fromEnv = resolvePath(env.ANSIBLE_CONFIG, cwd, env, cwd);
    if (existsSync(fromEnv) && statSync(fromEnv).isDirectory()) fromEnv = join(fromEnv, 'ansible.cfg');
    candidates.push(fromEnv);
  }
  let skippedCwd = false;
  const cwdCfg = join(cwd, 'ansible.cfg');
  try {
    if (statSync(cwd).mode & 0o002) skippedCwd = existsSync(cwdCfg);
    else candidates.push(cwdCfg);
  } catch {
    // an inaccessible cwd is not a config source
  }
  candidates.push(join(env.HOME ?? '~', '.ansible.cfg'), '/etc/ansible/ansible.cfg');
  const found = candidates.find(readable);
  if (skippedCwd && (fromEnv === undefined || found !== fromEnv)) warnings.push(`Ansible is being run in a world writable directory (${cwd}), ignoring it as an ansible.cfg source.`);
  return found;
}

const TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't', '1.0']);
const unquote = (s: string) => (s.length >= 2 && (s[0] === '"' || s[0] === "'") && s[s.length - 1] === s[0] ? s.slice(1, -1) : s);

/** Ansible's ensure_type for the types tsrun's settings use. */
function coerce(def: SettingDef, raw: string, origin: string, env: NodeJS.ProcessEnv, cwd: string): unknown {
  const base = origin.startsWith('env:') ? cwd : dirname(origin);
  const type: SettingType = def.type;
  switch (type) {
    case 'boolean':
      return TRUE.has(raw.toLowerCase());
    case 'integer': {
      if (!/^\s*[-+]?\d+\s*$/.test(raw)) throw new ConfigError(`Invalid type for configuration option ${def.name} (from ${origin}): invalid literal for int() with base 10: '${raw}'`);
      return Number.parseInt(raw, 10);
    }
    case 'list':
      return raw.split(',').map((x) => unquote(x.trim()));
    case 'path':
      return resolvePath(raw, base, env, cwd);
    case 'pathlist':
      return raw.split(',').map((x) => resolvePath(x.trim(), base, env, cwd));
    case 'pathspec':
      return raw.split(':').map((x) => resolvePath(x, base, env, cwd));
    case 'string':
      return unquote(raw);
  }
}

export class AnsibleConfig {
  private readonly values = new Map<string, Setting>();

  constructor(
    /** The ansible.cfg in use, if any. */
    readonly file: string | undefined,
    readonly warnings: string[],
    ini: IniFile | undefined,
    env: NodeJS.ProcessEnv,
    cwd: string,
  ) {
    for (const def of [...SETTINGS, ...SSH_SETTINGS]) {
      let found: Setting | undefined;
      // environment before ansible.cfg; within each, the last entry that is set wins
      for (const name of def.env) if (env[name] !== undefined) found = { value: env[name], origin: `env: ${name}` };
      if (!found && ini) for (const [section, key] of def.ini) {
        const v = ini.get(section, key);
        if (v !== undefined) found = { value: v, origin: ini.file };
      }
      this.values.set(def.name, found ? { value: coerce(def, String(found.value), found.origin, env, cwd), origin: found.origin } : { value: def.default, origin: 'default' });
    }
  }

  setting(name: string): Setting {
    const s = this.values.get(name);
    if (!s) throw new Error(`unknown setting ${name}`);
    return s;
  }

  get<T = unknown>(name: string): T {
    return this.setting(name).value as T;
  }

  /** True when the operator set it (environment or ansible.cfg), not the default. */
  isSet(name: string): boolean {
    return this.setting(name).origin !== 'default';
  }
}

/** Reads the configuration the way ansible-playbook would in `cwd` with `env`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AnsibleConfig {
  const warnings: string[] = [];
  const file = findConfigFile(env, cwd, warnings);
  let ini: IniFile | undefined;
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`Error reading config file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { file });
    }
    ini = parseIni(text, resolve(file));
  }
  return new AnsibleConfig(file ? resolve(file) : undefined, warnings, ini, env, cwd);
}
