/**
 * Normalisation for comparing tsrun's human output with ansible-playbook's default callback.
 * Only what must differ between two runs (or between two implementations on purpose) is touched.
 */

const BANNER = /^(PLAY|TASK|RUNNING HANDLER|PLAY RECAP)\b.* \*{3,}$/;
const STATUS = /^(ok|changed|skipping|failed|fatal|included|FAILED - RETRYING): /;

interface Record_ {
  host: string;
  lines: string[];
}

function hostOf(line: string): string {
  const bracket = /\[([^\]\s]+)/.exec(line);
  if (line.startsWith('included: ')) return / for ([^\s,]+)/.exec(line)?.[1] ?? '';
  return bracket?.[1] ?? '';
}

/**
 * Hosts run a task in parallel, so their lines interleave in any order: the records of one
 * task block (a status line with its multi-line result, the diff before it, "...ignoring"
 * after it) are sorted by host, keeping each host's own order.
 */
function sortBlock(lines: string[]): string[] {
  const records: Record_[] = [];
  let prefix: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (STATUS.test(line)) {
      const rec: Record_ = { host: hostOf(line), lines: [...prefix, line] };
      prefix = [];
      i++;
      if (/[{[]$/.test(line)) {
        while (i < lines.length && !/^[}\]]$/.test(lines[i])) rec.lines.push(lines[i++]);
        if (i < lines.length) rec.lines.push(lines[i++]);
      }
      while (i < lines.length && lines[i] === '...ignoring') rec.lines.push(lines[i++]);
      records.push(rec);
      continue;
    }
    prefix.push(line);
    i++;
  }
  const sorted = records
    .map((r, idx) => ({ r, idx }))
    .sort((a, b) => (a.r.host === b.r.host ? a.idx - b.idx : a.r.host < b.r.host ? -1 : 1))
    .flatMap(({ r }) => r.lines);
  return [...sorted, ...prefix];
}

export interface NormaliseOptions {
  /** Per-run scratch directories (replaced by OUT). */
  outDirs?: string[];
}

export function normaliseHuman(text: string, opts: NormaliseOptions = {}): string[] {
  let t = text;
  for (const d of opts.outDirs ?? []) t = t.split(d).join('OUT');
  const lines = t
    .split('\n')
    // Command results carry wall-clock times.
    // A delta under the target clock's 10 ms resolution is zero, which Python's timedelta prints without a fraction.
    .map((l) => l.replace(/"(start|end)": "\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+"/g, '"$1": "<time>"').replace(/"delta": "\d+:\d\d:\d\d(\.\d+)?"/g, '"delta": "<delta>"'))
    // copy's diff names its source: Ansible a temp file of its own, tsrun the content it generated.
    .map((l) => (l.startsWith('+++ after: ') && !l.startsWith('+++ after: OUT') ? '+++ after: <copy source>' : l))
    // tsrun connects with ssh2, not OpenSSH, so the reason a host is unreachable is worded differently.
    .map((l) => l.replace(/"msg": "Failed to connect to [^"]*"/, '"msg": "<connection failure>"'))
    // Hosts are named in the order their results arrived.
    .map((l) => l.replace(/^(included: .* for )([^=]+?)( => \(item=.*\))?$/, (_m, head: string, hosts: string, item?: string) => `${head}${hosts.split(', ').sort().join(', ')}${item ?? ''}`))
    // ansible -v names its config file; tsrun has none.
    .filter((l) => !/^(No config file found; using defaults|Using .* as config file)$/.test(l))
    // tsrun adds the elapsed time after the recap.
    .filter((l) => !/^Elapsed: \d+\.\d\ds$/.test(l));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  const out: string[] = [];
  let block: string[] = [];
  let inTask = false;
  const flush = () => {
    out.push(...(inTask ? sortBlock(block) : block));
    block = [];
  };
  for (const line of lines) {
    if (BANNER.test(line)) {
      flush();
      out.push(line);
      inTask = /^(TASK|RUNNING HANDLER) /.test(line);
      continue;
    }
    block.push(line);
  }
  flush();
  return out;
}
