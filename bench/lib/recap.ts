/** Per-host counters from the PLAY RECAP that ansible-playbook (and tsrun, which mimics it) print. */
export interface RecapLine {
  host: string;
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
}

const LINE = /^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)/;

export function parseRecap(output: string): RecapLine[] {
  const out: RecapLine[] = [];
  // eslint-disable-next-line no-control-regex
  for (const raw of output.replace(/\x1b\[[0-9;]*m/g, '').split('\n')) {
    const m = LINE.exec(raw.trim());
    if (m) out.push({ host: m[1]!, ok: +m[2]!, changed: +m[3]!, unreachable: +m[4]!, failed: +m[5]!, skipped: +m[6]! });
  }
  return out;
}

export function totalChanged(lines: readonly RecapLine[]): number {
  return lines.reduce((n, l) => n + l.changed, 0);
}
