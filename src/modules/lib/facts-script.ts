import { joinShell, rawShell, sh, type ShellText } from '../../connection/shell-text.js';
import { localFactsScript } from './facts-local.js';
import { pythonScript } from './facts-python.js';
import type { InterpreterPlan } from './python-discovery.js';
/**
 * The one sh script `setup` runs: raw system data, each section a record (Reply in
 * connection/shell-protocol.ts) whose body is the section's text, parsed control-side (no awk,
 * no python needed on the target: only sh, coreutils and /proc; a Python that is there is asked for
 * its own facts, see facts-python.ts). Only the parts of the collectors
 * gather_subset selects are sent.
 */
const SEC = rawShell(`sec() { printf '\\n%s %s=\\n' "$TSRUN_N" "$1"; }`);

/** Each collector's part of the script (the sections its facts are parsed from). */
const PARTS: Record<string, ShellText> = {
  distribution: rawShell(String.raw`sec os; cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null
sec debian_version; cat /etc/debian_version 2>/dev/null
sec redhat_release; cat /etc/redhat-release 2>/dev/null`),
  platform: rawShell(String.raw`sec uname; uname -s; uname -r; uname -v; uname -m
sec long_bit; getconf LONG_BIT 2>/dev/null
sec hostname; h=$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname); echo "$h"
sec fqdn; set -- $(getent hosts "$h" 2>/dev/null); if [ -n "$1" ]; then getent hosts "$1" 2>/dev/null | head -n 1; fi`),
  hardware: rawShell(String.raw`sec cpuinfo; grep -E '^(processor|physical id|core id|cpu cores|siblings)[[:space:]]*:' /proc/cpuinfo 2>/dev/null
sec meminfo; grep -E '^(MemTotal|MemFree|SwapTotal|SwapFree):' /proc/meminfo 2>/dev/null
sec mounts
while read -r dev mnt fs opts rest; do
  case "$dev" in /*|*:/*) ;; *) continue ;; esac
  [ "$fs" = none ] && continue
  m=$(printf '%b' "$mnt")
  _s=$($_to stat -f -c '%S %b %a %f %s %c %d' "$m" 2>/dev/null); [ $? = 124 ] && _s=TIMEOUT
  printf '%s\t%s\t%s\t%s\t%s\n' "$dev" "$mnt" "$fs" "$opts" "$_s"
done < /proc/mounts`),
  env: rawShell(String.raw`if env -0 >/dev/null 2>&1; then sec env; env -0 | base64; else sec envplain; env; fi`),
  user: rawShell(String.raw`sec id; id -un; id -u; id -g; getent passwd "$(id -un)" 2>/dev/null`),
  service_mgr: rawShell(String.raw`sec init; cat /proc/1/comm 2>/dev/null
sec initdirs; [ -d /run/systemd/system ] && echo systemd; [ -e /sbin/openrc ] && echo openrc; [ -d /etc/init.d ] && echo initd`),
  pkg_mgr: rawShell(String.raw`sec pkg; for p in apt-get dnf yum zypper apk pacman; do command -v "$p" >/dev/null 2>&1 && echo "$p"; done`),
  network: rawShell(String.raw`sec route; ip -4 route get 8.8.8.8 2>/dev/null
sec addr; ip -o -4 addr show 2>/dev/null
sec procroute; cat /proc/net/route 2>/dev/null
sec fibtrie; command -v ip >/dev/null 2>&1 || cat /proc/net/fib_trie 2>/dev/null
sec ifinfo; for d in /sys/class/net/*; do [ -e "$d" ] || continue; printf '%s %s %s %s\n' "${"$"}{d##*/}" "$(cat "$d/address" 2>/dev/null)" "$(cat "$d/mtu" 2>/dev/null)" "$(cat "$d/type" 2>/dev/null)"; done`),
  date_time: rawShell(String.raw`sec date; date '+%Y %m %d %H %M %S %s %N %Z %z %A %w %W'; date -u '+%Y-%m-%dT%H:%M:%S'`),
};

export interface FactsScriptOptions {
  /** gather_timeout: seconds each mount's statfs may take. */
  timeoutSec: number;
  factPath: string;
  /** The interpreter to describe (python facts, interpreter discovery). */
  python: InterpreterPlan;
}

/** The script for the chosen collectors; it always ends with the `end` record. */
export function factsScript(collectors: ReadonlySet<string>, opts: FactsScriptOptions): ShellText {
  const parts: (ShellText | undefined)[] = [SEC];
  // Ansible's `gather_timeout or 10`: a mount whose statfs hangs (a dead NFS server) is reported without sizes.
  const limit = Number.isInteger(opts.timeoutSec) && opts.timeoutSec > 0 ? opts.timeoutSec : 10;
  if (collectors.has('hardware')) parts.push(rawShell(`if command -v timeout >/dev/null 2>&1; then _to="timeout ${limit}"; else _to=; fi`));
  for (const [name, part] of Object.entries(PARTS)) if (collectors.has(name)) parts.push(part);
  if (collectors.has('local')) parts.push(sh`sec local`, localFactsScript(opts.factPath));
  // One Python process, and only when a collector reports on it.
  parts.push(pythonScript(opts.python, collectors.has('python') || collectors.has('platform')));
  parts.push(sh`sec end`);
  return joinShell(parts);
}
