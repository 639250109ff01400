/** POSIX single-quoting for text pasted into a remote `sh -c` script. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Puts a host back to "fresh": stops the service by the pid its listener reports (never by
 * name: every lab host shares one pid namespace), then empties the app root.
 */
export function resetScript(appRoot: string, appPort: number): string {
  const r = shq(appRoot);
  return [
    `pids=$(ss -ltnpH 'sport = :${appPort}' | sed -n 's/.*pid=\\([0-9]*\\).*/\\1/p')`,
    `[ -f ${r}/run/app.pid ] && pids="$pids $(cat ${r}/run/app.pid)"`,
    'for p in $pids; do kill "$p" 2>/dev/null; done',
    `mkdir -p ${r} && find ${r} -mindepth 1 -delete`,
    `n=0; while ss -ltnH 'sport = :${appPort}' | grep -q .; do n=$((n+1)); [ $n -gt 100 ] && { echo 'port ${appPort} still open' >&2; exit 1; }; sleep 0.05; done`,
    'true',
  ].join('\n');
}

/**
 * What a deploy left on a host, for comparing the three forms: type, mode and path of every
 * entry, and the sha256 of every file, except the service's log and pid.
 */
export function stateScript(appRoot: string): string {
  const skip = `-path ./run/app.log -prune -o -path ./run/app.pid -prune -o`;
  return [
    `cd ${shq(appRoot)} || exit 1`,
    `find . ${skip} -printf '%y %m %p\\n' | sort`,
    `find . ${skip} -type f -exec sha256sum {} + | sort -k2`,
  ].join('\n');
}
