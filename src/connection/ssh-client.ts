/**
 * Opening one authenticated ssh2 Client (possibly through jump hosts), with OpenSSH-like
 * host key checking and error messages that name the host and the reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { AnyAuthMethod, Client as ClientType, ConnectConfig } from 'ssh2';
import { coalesceWrites } from './coalesce-writes.js';
import { startAttemptTimer } from './attempt-clock.js';
import { handshakeGate } from './handshake-gate.js';
import { checkHostKey, knownKeyTypes, parseKnownHosts, type KnownHostEntry } from './known-hosts.js';
import { keepaliveOf, type SshConnectionSpec } from './spec.js';
import { UnreachableError } from './types.js';

type Ssh2 = typeof import('ssh2');
let ssh2: Ssh2 | undefined;

/**
 * ssh2 is loaded when a first SSH connection opens: local runs and listings never pay for it.
 * A dynamic import, so the bundle (scripts/bundle.mjs) carries ssh2 as a module it evaluates
 * only here, and V8's code cache for the bundle covers ssh2's code too.
 */
async function loadSsh2(): Promise<Ssh2> {
  if (!ssh2) {
    const m = (await import('ssh2')) as Ssh2 & { default?: Ssh2 };
    ssh2 = m.default ?? m;
  }
  return ssh2;
}

export interface Endpoint {
  host: string;
  port: number;
  user: string;
}

/** `[user@]host[:port]` (IPv6 as `[addr]:port`). */
export function parseHop(hop: string, defaultUser: string): Endpoint {
  let rest = hop;
  let user = defaultUser;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  let host = rest;
  let port = 22;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (v6) {
    host = v6[1];
    if (v6[2]) port = Number(v6[2]);
  } else {
    const m = /^([^:]+):(\d+)$/.exec(rest);
    if (m) {
      host = m[1];
      port = Number(m[2]);
    }
  }
  return { host, port, user };
}

function loadKnownHosts(files: string[]): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue; // OpenSSH silently skips missing known_hosts files
    }
    out.push(...parseKnownHosts(text, f));
  }
  return out;
}

/** RSA keys in known_hosts are negotiated under these algorithm names. */
function algorithmsForKeyType(t: string): string[] {
  return t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t];
}

function authMethods(spec: SshConnectionSpec, user: string, env: NodeJS.ProcessEnv, utils: Ssh2['utils']): AnyAuthMethod[] {
  const methods: AnyAuthMethod[] = [];
  const explicit = [spec.privateKeyFile, ...(spec.extraPrivateKeyFiles ?? [])].filter((k): k is string => !!k);
  const home = env.HOME || homedir();
  const files = explicit.length
    ? explicit
    : ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((n) => join(home, '.ssh', n)).filter((f) => existsSync(f));
  for (const file of files) {
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch (e) {
      throw new UnreachableError(`${spec.name}: cannot read private key file ${file}: ${(e as Error).message}`);
    }
    const parsed = utils.parseKey(data);
    if (parsed instanceof Error) {
      if (explicit.includes(file)) {
        throw new UnreachableError(`${spec.name}: cannot use private key ${file}: ${/encrypt|passphrase/i.test(parsed.message) ? 'it is encrypted (passphrases are not supported; use ssh-agent)' : parsed.message}`);
      }
      continue;
    }
    methods.push({ type: 'publickey', username: user, key: data });
  }
  if (env.SSH_AUTH_SOCK) methods.push({ type: 'agent', username: user, agent: env.SSH_AUTH_SOCK });
  if (spec.password !== undefined) {
    const password = spec.password;
    methods.push({
      type: 'keyboard-interactive',
      username: user,
      prompt: (_name, _instr, _lang, prompts, finish) => finish(prompts.map(() => password)),
    });
    methods.push({ type: 'password', username: user, password });
  }
  return methods;
}

function tcp(ep: Endpoint, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = tcpConnect({ host: ep.host, port: ep.port });
    const timer = startAttemptTimer(timeoutMs, () => {
      sock.destroy();
      reject(new Error(`connection timed out after ${timeoutMs} ms`));
    });
    sock.once('connect', () => {
      timer.cancel();
      sock.setNoDelay(true);
      coalesceWrites(sock);
      resolve(sock);
    });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      timer.cancel();
      const why: Record<string, string> = {
        ECONNREFUSED: 'connection refused',
        EHOSTUNREACH: 'no route to host',
        ENETUNREACH: 'network is unreachable',
        ENOTFOUND: `could not resolve hostname ${ep.host}`,
        EAI_AGAIN: `could not resolve hostname ${ep.host}`,
        ECONNRESET: 'connection reset by peer',
      };
      reject(new Error(why[e.code ?? ''] ?? e.message));
    });
  });
}

/**
 * Connects and authenticates one hop. `via` is an already open client to tunnel through
 * (ProxyJump); without it a direct TCP connection is made.
 */
export function openClient(
  spec: SshConnectionSpec,
  label: string,
  ep: Endpoint,
  via: ClientType | undefined,
  env: NodeJS.ProcessEnv,
): Promise<ClientType> {
  // Every timeout of the attempt starts inside the gate, when the attempt really starts.
  return handshakeGate.run(() => attemptClient(spec, label, ep, via, env));
}

async function attemptClient(
  spec: SshConnectionSpec,
  label: string,
  ep: Endpoint,
  via: ClientType | undefined,
  env: NodeJS.ProcessEnv,
): Promise<ClientType> {
  const where = `${ep.user}@${ep.host}:${ep.port}`;
  const fail = (reason: string, cause?: unknown): UnreachableError =>
    new UnreachableError(`Failed to connect to ${label} (${where}): ${reason}`, cause);

  let sock: Duplex;
  const connecting = via ? forward(via, ep, spec.connectTimeoutMs) : tcp(ep, spec.connectTimeoutMs);
  // ssh2 is loaded (~30 ms of CPU, once per run) while the TCP handshake and sshd's start of the
  // session (its fork and re-exec before the banner, ~10 ms) are in flight, not before them. Node
  // issues the connect on the next tick, so the load waits one turn of the event loop; the
  // attempt's failure is held (catch) until it is awaited below.
  connecting.catch(() => undefined);
  let lib: Ssh2;
  try {
    if (!ssh2) await new Promise((next) => setImmediate(next));
    lib = await loadSsh2();
  } catch (e) {
    connecting.then((s) => s.destroy(), () => undefined);
    throw e;
  }
  const { Client, utils } = lib;
  try {
    sock = await connecting;
  } catch (e) {
    throw fail((e as Error).message, e);
  }

  const known = spec.hostKeyChecking ? loadKnownHosts(spec.knownHostsFiles) : [];
  let hostKeyProblem: string | undefined;
  const hostVerifier = (blob: Buffer): boolean => {
    if (!spec.hostKeyChecking) return true;
    const v = checkHostKey(known, ep.host, ep.port, blob);
    if (v.status === 'match') return true;
    if (v.status === 'mismatch') {
      hostKeyProblem = `host key for ${label} (${ep.host}) does not match known_hosts (${v.entry.where}): REMOTE HOST IDENTIFICATION HAS CHANGED, possible man-in-the-middle attack`;
      return false;
    }
    if (v.status === 'revoked') {
      hostKeyProblem = `host key for ${label} (${ep.host}) is marked as revoked in ${v.entry.where}`;
      return false;
    }
    if (spec.acceptNewHostKeys) return true;
    const files = spec.knownHostsFiles.join(', ') || 'no known_hosts file';
    hostKeyProblem = `host key for ${label} (${ep.host}) is not in known_hosts (${files})` +
      (v.otherTypes.length ? `; only ${v.otherTypes.join(', ')} keys are known for it` : '') +
      ' and host key checking is on';
    return false;
  };

  const alive = keepaliveOf(spec);
  const cfg: ConnectConfig = {
    sock,
    username: ep.user,
    // ssh2's own handshake timer (a plain setTimeout) is off; the attempt timer below replaces it.
    readyTimeout: 0,
    // ssh2 counts a probe as answered only by its reply; any bytes from the server prove it
    // alive as well (a large push on a slow link delays replies behind the data), see below.
    keepaliveInterval: alive.intervalMs,
    keepaliveCountMax: alive.countMax,
    hostVerifier,
    authHandler: authMethods(spec, ep.user, env, utils),
  };
  const preferred = knownKeyTypes(known, ep.host, ep.port).flatMap(algorithmsForKeyType);
  if (preferred.length) cfg.algorithms = { serverHostKey: { prepend: preferred, append: [], remove: [] } as never };

  const handshakeMs = Math.max(spec.connectTimeoutMs, 20_000);
  const client = new Client();
  // ssh2 has no public hook for this; without it only keepalive replies count as life. A reset
  // is a clearInterval and a setInterval: once a quarter interval is enough (a ping then goes
  // out at most that much early), not on each of the 1-2 reads a task's reply arrives in.
  let lastReset = -Infinity;
  const resetKeepalive = (): void => {
    const now = performance.now();
    if (now - lastReset < alive.intervalMs / 4) return;
    lastReset = now;
    (client as unknown as { _resetKA?: () => void })._resetKA?.();
  };
  sock.on('data', resetKeepalive);
  return new Promise<ClientType>((resolve, reject) => {
    let settled = false;
    // What the server said before closing (sshd sends pam_nologin's or an account's refusal as
    // a banner, then closes without a reason), and how far the handshake got: the operator sees
    // why, as OpenSSH prints it, instead of a bare "closed".
    const said: string[] = [];
    let phase = 'key exchange';
    client.on('banner', (text: string) => said.push(text.trim()));
    client.once('handshake', () => (phase = 'authentication'));
    const expire = (banner: boolean) => (): void => {
      client.emit('error', Object.assign(new Error('Timed out while waiting for handshake'), { level: 'client-timeout', banner }));
      sock.destroy();
    };
    const timer = startAttemptTimer(handshakeMs, expire(false));
    // As OpenSSH's ConnectTimeout, the connection timeout covers the server's banner too: a
    // port that accepts and never speaks SSH is not given the key exchange's longer allowance.
    const bannerTimer = startAttemptTimer(spec.connectTimeoutMs, expire(true));
    sock.once('data', () => bannerTimer.cancel());
    const stopTimers = (): void => {
      timer.cancel();
      bannerTimer.cancel();
    };
    client.once('ready', () => {
      stopTimers();
      settled = true;
      resolve(client);
    });
    client.on('error', (e: Error & { level?: string; banner?: boolean }) => {
      if (settled) return;
      settled = true;
      stopTimers();
      client.end();
      let reason: string;
      if (hostKeyProblem) reason = hostKeyProblem;
      else if (e.level === 'client-authentication') {
        const tried = (cfg.authHandler as AnyAuthMethod[]).map((m) => m.type).join(', ') || 'no methods available';
        reason = `permission denied (authentication failed; tried ${tried})`;
      } else if (e.banner) reason = `timed out after ${spec.connectTimeoutMs} ms waiting for the SSH banner (the port accepts connections but does not speak SSH)`;
      else if (e.level === 'client-timeout') reason = `timed out during SSH handshake after ${handshakeMs} ms`;
      else reason = e.message;
      reject(fail(reason, e));
    });
    client.on('close', () => {
      if (settled) return;
      settled = true;
      stopTimers();
      const text = said.filter(Boolean).join(' ');
      reject(fail(hostKeyProblem ?? `the server closed the connection during ${phase}${text ? `; it said: ${text}` : ''}`));
    });
    client.connect(cfg);
  });
}

function forward(via: ClientType, ep: Endpoint, timeoutMs: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const timer = startAttemptTimer(timeoutMs, () => reject(new Error(`jump host did not open a tunnel within ${timeoutMs} ms`)));
    via.forwardOut('127.0.0.1', 0, ep.host, ep.port, (err, stream) => {
      timer.cancel();
      if (err) reject(new Error(`jump host could not connect: ${err.message}`));
      else resolve(stream);
    });
  });
}

export function defaultUser(env: NodeJS.ProcessEnv): string {
  return env.USER || env.LOGNAME || userInfo().username;
}
