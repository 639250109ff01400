import { joinShell, rawShell, sh, type ShellText } from '../../connection/shell-text.js';

/** Hex forms /proc/net/tcp{,6} uses for an IPv4 address (little-endian per 32-bit word). */
export function procHex4(ip: string): string {
  return ip
    .split('.')
    .map((o) => Number(o).toString(16).toUpperCase().padStart(2, '0'))
    .reverse()
    .join('');
}

const V6_ANY = '00000000000000000000000000000000';
const V6_LOOPBACK = '00000000000000000000000001000000';
const v4mapped = (hex4: string) => `0000000000000000FFFF0000${hex4}`;

/**
 * For a host on the target itself, the listening local addresses in /proc/net/tcp* that make
 * "host:port is open" true; `undefined` when the host is not local (then a connect probe runs).
 */
export function localListenAddrs(host: string): string[] | '*' | undefined {
  if (host === '0.0.0.0' || host === '::' || host === '') return '*';
  if (host === 'localhost' || host === '127.0.0.1')
    return [procHex4('127.0.0.1'), '00000000', V6_ANY, V6_LOOPBACK, v4mapped(procHex4('127.0.0.1'))];
  if (host === '::1') return [V6_LOOPBACK, V6_ANY];
  if (/^127\.\d+\.\d+\.\d+$/.test(host)) return [procHex4(host), '00000000', V6_ANY, v4mapped(procHex4(host))];
  return undefined;
}

/** sh functions the wait_for loop uses: `is_listening PORTHEX`, `probe HOST PORT CT`, `drained PORTHEX`. */
export const WAIT_FUNCS = rawShell(String.raw`
is_listening() {
  for f in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$f" ] || continue
    while read -r sl local rem st rest; do
      [ "$st" = 0A ] || continue
      case "$local" in *:"$1") ;; *) continue ;; esac
      [ "$ADDRS" = '*' ] && return 0
      case " $ADDRS " in *" ${"$"}{local%:*} "*) return 0 ;; esac
    done < "$f"
  done
  return 1
}
active_on() {
  for f in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$f" ] || continue
    while read -r sl local rem st rest; do
      case "$local" in *:"$1") ;; *) continue ;; esac
      case " $EXCLUDE " in *" ${"$"}{rem%:*} "*) continue ;; esac
      case " $STATES " in *" $st "*) return 0 ;; esac
    done < "$f"
  done
  return 1
}
probe() {
  if command -v bash >/dev/null 2>&1; then
    timeout "$3" bash -c 'exec 3<>"/dev/tcp/$1/$2"' probe "$1" "$2" 2>/dev/null
  elif command -v nc >/dev/null 2>&1; then
    nc -z -w "$3" "$1" "$2" >/dev/null 2>&1
  else
    echo "$TSRUN_N noprobe"; exit 0
  fi
}
banner() {
  timeout "$3" bash -c 'exec 3<>"/dev/tcp/$1/$2"; cat <&3' probe "$1" "$2" 2>/dev/null
}
`);

export interface WaitArgs {
  host?: string;
  port?: number;
  path?: string;
  state?: 'started' | 'stopped' | 'present' | 'absent' | 'drained';
  search_regex?: string;
  delay?: number;
  timeout?: number;
  sleep?: number;
  connect_timeout?: number;
  active_connection_states?: string[];
  /** IPv4 addresses whose connections do not count against `drained`. */
  exclude_hosts?: string[];
}

const STATE_HEX: Record<string, string> = {
  ESTABLISHED: '01',
  SYN_SENT: '02',
  SYN_RECV: '03',
  FIN_WAIT1: '04',
  FIN_WAIT2: '05',
  TIME_WAIT: '06',
  CLOSE: '07',
  CLOSE_WAIT: '08',
  LAST_ACK: '09',
  LISTEN: '0A',
  CLOSING: '0B',
};

/**
 * Python `re` syntax as POSIX ERE for grep -E on the target: the common escapes and group
 * forms Ansible users write (\\d, \\s, \\w, (?P<name>...), (?:...)).
 */
export function pyRegexToEre(re: string): string {
  return re
    .replace(/\(\?P<\w+>|\(\?:/g, '(')
    .replace(/\\d/g, '[0-9]')
    .replace(/\\D/g, '[^0-9]')
    .replace(/\\s/g, '[[:space:]]')
    .replace(/\\S/g, '[^[:space:]]')
    .replace(/\\w/g, '[[:alnum:]_]')
    .replace(/\\W/g, '[^[:alnum:]_]');
}

/** The sh condition that is true once the wait is over. */
function condition(a: WaitArgs, state: string): ShellText {
  const host = a.host ?? '127.0.0.1';
  const ct = a.connect_timeout ?? 5;
  const re = a.search_regex === undefined ? undefined : pyRegexToEre(a.search_regex);
  if (a.path !== undefined) {
    const p = a.path;
    if (state === 'absent' || state === 'stopped') return sh`[ ! -e ${p} ]`;
    return re !== undefined ? sh`[ -r ${p} ] && grep -E -q -e ${re} -- ${p} 2>/dev/null` : sh`[ -e ${p} ]`;
  }
  if (a.port !== undefined) {
    const local = localListenAddrs(host);
    const portHex = a.port.toString(16).toUpperCase().padStart(4, '0');
    if (state === 'drained') return sh`! active_on ${portHex}`;
    if (re !== undefined) return sh`banner ${host} ${a.port} ${ct} | grep -E -q -e ${re}`;
    const open = local ? sh`is_listening ${portHex}` : sh`probe ${host} ${a.port} ${ct}`;
    return state === 'stopped' || state === 'absent' ? sh`! ${open}` : open;
  }
  return sh`false`;
}

/** One looping sh script for wait_for; prints the records (connection/shell-protocol.ts Reply) `ok`, `timeout` or `noprobe`, and `elapsed=N`. Every value is quoted by `sh`. */
export function waitScript(a: WaitArgs): ShellText {
  const state = a.state ?? 'started';
  const host = a.host ?? '127.0.0.1';
  const local = localListenAddrs(host);
  const timeout = a.timeout ?? 300;
  const states = (a.active_connection_states ?? ['ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'SYN_RECV', 'SYN_SENT', 'TIME_WAIT']).map((s) => STATE_HEX[s] ?? s).join(' ');
  const L = [
    sh`ADDRS=${local === '*' ? '*' : (local ?? []).join(' ')}`,
    sh`STATES=${states}`,
    // drained ignores connections whose remote end is one of these (both /proc/net/tcp and tcp6 forms).
    sh`EXCLUDE=${(a.exclude_hosts ?? []).flatMap((h) => [procHex4(h), v4mapped(procHex4(h))]).join(' ')}`,
    WAIT_FUNCS,
    sh`t0=$(date +%s)`,
  ];
  if (a.delay) L.push(sh`sleep ${a.delay}`);
  if (a.port === undefined && a.path === undefined) {
    L.push(sh`sleep ${timeout}`, sh`echo "$TSRUN_N ok"`);
  } else {
    L.push(sh`end=$((t0 + ${Math.ceil(timeout)}))`);
    L.push(sh`while :; do`);
    L.push(sh`  if ${condition(a, state)}; then echo "$TSRUN_N ok"; break; fi`);
    L.push(sh`  [ "$(date +%s)" -ge "$end" ] && { echo "$TSRUN_N timeout"; break; }`);
    // Without an explicit `sleep`, check every 0.1 s for the first 2 s (a service that comes
    // up at once is seen at once), then every second as Ansible does.
    if (a.sleep !== undefined) L.push(sh`  sleep ${a.sleep}`);
    else L.push(sh`  if [ "\${_n:-0}" -lt 20 ]; then _n=$(( \${_n:-0} + 1 )); sleep 0.1; else sleep 1; fi`);
    L.push(sh`done`);
    if (a.path !== undefined && a.search_regex !== undefined)
      L.push(sh`[ -r ${a.path} ] && printf '%s match=' "$TSRUN_N" && grep -E -m 1 -e ${pyRegexToEre(a.search_regex)} -- ${a.path} | head -n 1`);
  }
  L.push(sh`echo "$TSRUN_N elapsed=$(( $(date +%s) - t0 ))"`);
  return joinShell([...L, sh``]);
}
