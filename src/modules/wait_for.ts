import { defineModule, type ModuleResult } from './types.js';
import { request } from '../connection/shell-protocol.js';
import { waitScript } from './lib/cmd-wait.js';
import { pyRegex } from '../util/pyregex.js';

/** Ansible's match_groups / match_groupdict for the line search_regex matched (compiled with re.MULTILINE). */
export function matchGroups(regex: string, line: string): { match_groups: string[]; match_groupdict: Record<string, string> } | undefined {
  let re: RegExp;
  try {
    re = pyRegex(regex, { multiline: true });
  } catch {
    return undefined;
  }
  const m = re.exec(line);
  if (!m) return undefined;
  return { match_groups: m.slice(1).map((g) => g ?? ''), match_groupdict: { ...(m.groups ?? {}) } };
}

const argsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    path: { type: 'string' },
    state: { enum: ['started', 'stopped', 'present', 'absent', 'drained'], default: 'started' },
    search_regex: { type: 'string' },
    delay: { type: 'number', minimum: 0, default: 0 },
    timeout: { type: 'number', minimum: 0, default: 300 },
    sleep: { type: 'number', minimum: 0 },
    connect_timeout: { type: 'number', minimum: 0, default: 5 },
    msg: { type: 'string' },
    active_connection_states: { type: 'array', items: { type: 'string' }, default: ['ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'SYN_RECV', 'SYN_SENT', 'TIME_WAIT'] },
    exclude_hosts: { type: 'array', items: { type: 'string' } },
  },
} as const;

const waitFor = defineModule({
  name: 'wait_for',
  aliases: ['ansible.builtin.wait_for'],
  checkMode: false,
  argsSchema,
  async run(ctx): Promise<ModuleResult> {
    const a = ctx.args;
    const state = a.state ?? 'started';
    if (a.port !== undefined && a.path !== undefined) return { failed: true, changed: false, msg: 'port and path parameter can not both be passed to wait_for' };
    if (a.path !== undefined && state === 'stopped') return { failed: true, changed: false, msg: 'state=stopped should only be used for checking a port in the wait_for module' };
    if (a.path !== undefined && state === 'drained') return { failed: true, changed: false, msg: 'state=drained should only be used for checking a port in the wait_for module' };
    if (a.port !== undefined && state === 'absent') return { failed: true, changed: false, msg: 'state=absent should only be used for checking a file in the wait_for module' };
    if (state === 'drained' && a.host && !['127.0.0.1', 'localhost', '0.0.0.0', '::', '::1'].includes(a.host))
      return { failed: true, changed: false, msg: 'state=drained is only supported for ports on the target itself in tsrun' };
    // Ansible resolves exclude_hosts to addresses on the target; tsrun takes addresses only.
    const notIp = (a.exclude_hosts ?? []).find((h) => !/^\d{1,3}(\.\d{1,3}){3}$/.test(h));
    if (notIp !== undefined) return { failed: true, changed: false, msg: `wait_for: exclude_hosts takes IPv4 addresses in tsrun, got ${JSON.stringify(notIp)}` };
    const timeoutMs = ((a.timeout ?? 300) + (a.delay ?? 0) + (a.connect_timeout ?? 5) + 30) * 1000;
    const { reply } = await request(ctx, waitScript(a), { timeoutMs });
    const lines = new Map(reply.entries());
    const elapsed = Number(lines.get('elapsed') ?? 0);
    if (lines.has('noprobe'))
      return { failed: true, changed: false, elapsed, msg: `wait_for: cannot probe ${a.host}:${a.port} from the target: neither bash (/dev/tcp) nor nc is installed` };
    const r: ModuleResult = { changed: false, elapsed, state };
    if (a.port !== undefined) r.port = a.port;
    if (a.path !== undefined) r.path = a.path;
    if (!lines.has('ok')) {
      let what: string;
      if (a.path !== undefined) what = state === 'absent' ? `Timeout when waiting for ${a.path} to be absent.` : a.search_regex ? `Timeout when waiting for search string ${a.search_regex} in ${a.path}` : `Timeout when waiting for file ${a.path}`;
      else if (a.port !== undefined) what = state === 'stopped' ? `Timeout when waiting for ${a.host ?? '127.0.0.1'}:${a.port} to stop.` : state === 'drained' ? `Timeout when waiting for ${a.host ?? '127.0.0.1'}:${a.port} to drain` : `Timeout when waiting for ${a.host ?? '127.0.0.1'}:${a.port}`;
      else what = 'Timeout';
      return { ...r, failed: true, msg: a.msg ?? what };
    }
    if (a.search_regex !== undefined) {
      const groups = matchGroups(a.search_regex, lines.get('match') ?? '');
      r.match_groups = groups?.match_groups ?? [];
      r.match_groupdict = groups?.match_groupdict ?? {};
    }
    return r;
  },
});

export default waitFor;
