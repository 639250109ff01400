/**
 * The part of OpenSSH's command line tsrun understands, from Ansible's ansible_ssh_args,
 * ansible_ssh_common_args and ansible_ssh_extra_args. As in ssh, the first value given for
 * an option wins. Pure.
 */
import { ConfigError } from '../util/errors.js';
import { shlexSplit, ShlexError } from '../util/shlex.js';

export interface SshArgs {
  port?: number;
  user?: string;
  identityFiles: string[];
  /** 'yes' | 'no' | 'accept-new' (ask and off are folded to yes / no). */
  strictHostKeyChecking?: 'yes' | 'no' | 'accept-new';
  userKnownHostsFiles?: string[];
  globalKnownHostsFiles?: string[];
  /** Hops as written (`[user@]host[:port]`), or [] for `none`. */
  proxyJump?: string[];
  connectTimeoutSec?: number;
  /** ServerAliveInterval in seconds (0: no keepalives). */
  serverAliveIntervalSec?: number;
  serverAliveCountMax?: number;
}

/**
 * Ansible's _split_ssh_args: Python shlex.split, each word stripped, empty words dropped.
 * ProxyCommand text is split the same way to recognise its `ssh -W` form.
 */
export function splitSshArgs(text: string): string[] {
  try {
    return shlexSplit(text).map((w) => w.trim()).filter(Boolean);
  } catch (err) {
    if (err instanceof ShlexError) throw new ConfigError(`cannot split ssh arguments (${err.message}): ${text}`);
    throw err;
  }
}

/** ssh options that take an argument (so their value is not mistaken for a flag). */
const WITH_ARG = new Set('BbcDEeFIiJLlmOopQRSWw'.split(''));

function parsePort(v: string, ctx: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new ConfigError(`invalid port ${JSON.stringify(v)} in ${ctx}`);
  return n;
}

function strictValue(v: string): 'yes' | 'no' | 'accept-new' {
  const s = v.toLowerCase();
  if (s === 'yes' || s === 'ask' || s === 'true') return 'yes';
  if (s === 'no' || s === 'off' || s === 'false') return 'no';
  if (s === 'accept-new') return 'accept-new';
  throw new ConfigError(`invalid StrictHostKeyChecking value ${JSON.stringify(v)}`);
}

/** Hops of a ProxyCommand that is really a jump host (`ssh ... -W %h:%p [user@]host`). */
export function proxyCommandAsJump(cmd: string): string[] | undefined {
  if (cmd.toLowerCase() === 'none') return [];
  const words = splitSshArgs(cmd);
  if (!words.length || !/(^|\/)ssh$/.test(words[0]) || !words.includes('-W')) return undefined;
  const rest = words.slice(1);
  const parsed = parseSshArgv(rest.filter((_, i) => !(rest[i] === '-W' || rest[i - 1] === '-W')), { allowDestination: true });
  if (!parsed.destination) return undefined;
  let hop = parsed.destination;
  if (parsed.args.user && !hop.includes('@')) hop = `${parsed.args.user}@${hop}`;
  if (parsed.args.port && !/:\d+$/.test(hop)) hop = `${hop}:${parsed.args.port}`;
  return [hop];
}

function setOption(out: SshArgs, key: string, value: string): void {
  const k = key.toLowerCase();
  const firstWins = <K extends keyof SshArgs>(field: K, v: SshArgs[K]): void => {
    if (out[field] === undefined) out[field] = v;
  };
  switch (k) {
    case 'stricthostkeychecking':
      firstWins('strictHostKeyChecking', strictValue(value));
      break;
    case 'userknownhostsfile':
      firstWins('userKnownHostsFiles', value.toLowerCase() === 'none' ? [] : value.split(/\s+/).filter(Boolean));
      break;
    case 'globalknownhostsfile':
      firstWins('globalKnownHostsFiles', value.toLowerCase() === 'none' ? [] : value.split(/\s+/).filter(Boolean));
      break;
    case 'proxyjump':
      firstWins('proxyJump', value.toLowerCase() === 'none' ? [] : value.split(',').map((s) => s.trim()).filter(Boolean));
      break;
    case 'proxycommand': {
      const hops = proxyCommandAsJump(value);
      if (!hops) throw new ConfigError(`ProxyCommand is not supported (only the "ssh -W %h:%p host" form, or use ProxyJump): ${value}`);
      firstWins('proxyJump', hops);
      break;
    }
    case 'connecttimeout': {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`invalid ConnectTimeout ${JSON.stringify(value)}`);
      firstWins('connectTimeoutSec', n);
      break;
    }
    case 'serveraliveinterval':
    case 'serveralivecountmax': {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new ConfigError(`invalid ${key} ${JSON.stringify(value)} (a whole number is expected)`);
      firstWins(k === 'serveraliveinterval' ? 'serverAliveIntervalSec' : 'serverAliveCountMax', n);
      break;
    }
    case 'port':
      firstWins('port', parsePort(value, 'ssh -o Port'));
      break;
    case 'user':
      firstWins('user', value);
      break;
    case 'identityfile':
      out.identityFiles.push(value);
      break;
    default:
      // Other options (ControlMaster, ControlPersist, ...) have no meaning for tsrun.
      break;
  }
}

/** Parses ssh argv words (options only; with allowDestination, also the `[user@]host`). */
export function parseSshArgv(words: string[], opts: { allowDestination?: boolean } = {}): { args: SshArgs; destination?: string } {
  const args: SshArgs = { identityFiles: [] };
  let destination: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!w.startsWith('-') || w === '-') {
      if (opts.allowDestination && destination === undefined) {
        destination = w;
        continue;
      }
      throw new ConfigError(`unexpected word ${JSON.stringify(w)} in ssh arguments`);
    }
    // Flags may be bundled (-tt, -vC); the first letter that takes an argument ends the bundle.
    for (let j = 1; j < w.length; j++) {
      const f = w[j];
      if (!WITH_ARG.has(f)) continue;
      let value = w.slice(j + 1);
      if (value === '') {
        if (i + 1 >= words.length) throw new ConfigError(`ssh option -${f} needs a value`);
        value = words[++i];
      }
      switch (f) {
        case 'o': {
          const m = /^\s*([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/s.exec(value);
          if (!m) throw new ConfigError(`invalid ssh option -o ${JSON.stringify(value)}`);
          setOption(args, m[1], m[2].trim());
          break;
        }
        case 'p':
          if (args.port === undefined) args.port = parsePort(value, 'ssh -p');
          break;
        case 'l':
          if (args.user === undefined) args.user = value;
          break;
        case 'i':
          args.identityFiles.push(value);
          break;
        case 'J':
          setOption(args, 'ProxyJump', value);
          break;
        default:
          break;
      }
      break;
    }
  }
  return { args, destination };
}

/** Parses several argument strings in order (first value of an option wins across them). */
export function parseSshArgStrings(texts: Array<string | undefined>): SshArgs {
  return parseSshArgv(texts.flatMap((t) => (t ? splitSshArgs(t) : []))).args;
}
