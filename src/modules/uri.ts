import { defineModule, type ModuleResult } from './types.js';
import type { Infer } from './schema-types.js';
import { type Reply, request } from '../connection/shell-protocol.js';
import { rawShell, type ShellText } from '../connection/shell-text.js';
import { curlConfig, parseHeaderDump } from './lib/cmd-http.js';

type UriArgs = Infer<typeof argsSchema>;

/** The request body as text and the content type Ansible sets for it. */
export function encodeBody(a: UriArgs): { body?: string; contentType?: string } {
  if (a.body === undefined || a.body === null) return {};
  if (a.body_format === 'json') return { body: typeof a.body === 'string' ? a.body : JSON.stringify(a.body), contentType: 'application/json' };
  if (a.body_format === 'form-urlencoded') {
    if (typeof a.body === 'string') return { body: a.body, contentType: 'application/x-www-form-urlencoded' };
    const pairs = Object.entries(a.body as Record<string, unknown>).map(
      ([k, v]) => `${encodeURIComponent(k).replace(/%20/g, '+')}=${encodeURIComponent(String(v)).replace(/%20/g, '+')}`,
    );
    return { body: pairs.join('&'), contentType: 'application/x-www-form-urlencoded' };
  }
  return { body: typeof a.body === 'string' ? a.body : JSON.stringify(a.body) };
}

export function statusCodes(v: UriArgs['status_code']): number[] {
  if (v === undefined) return [200];
  if (Array.isArray(v)) return v.map(Number);
  return String(v).split(',').map((s) => Number(s.trim()));
}

/** Files in a private temp dir; curl writes headers, body and the exit info there, then we print them framed. */
export function uriScript(): ShellText {
  // Fixed text: the request itself goes to curl on stdin.
  return rawShell([
    `command -v curl >/dev/null 2>&1 || { echo "$TSRUN_N nocurl"; exit 0; }`,
    `d=$(mktemp -d "\${TMPDIR:-/tmp}/tsrun-uri.XXXXXXXX") || exit 1`,
    `trap 'rm -rf "$d"' EXIT`,
    `t0=$(date +%s)`,
    `curl -sS -K - -D "$d/h" -o "$d/b" -w '%{url_effective}' > "$d/u" 2> "$d/e"; rc=$?`,
    `echo "$TSRUN_N rc=$rc"`,
    `echo "$TSRUN_N elapsed=$(( $(date +%s) - t0 ))"`,
    `echo "$TSRUN_N url=$(cat "$d/u")"`,
    `echo "$TSRUN_N err=$(tr '\\n' ' ' < "$d/e")"`,
    `echo "$TSRUN_N headers"; base64 < "$d/h" 2>/dev/null`,
    `echo "$TSRUN_N body"; base64 < "$d/b" 2>/dev/null`,
    `echo "$TSRUN_N end"`,
  ].join('\n') + '\n');
}

export interface FramedOutput {
  fields: Map<string, string>;
  headers: string;
  body: Buffer;
}

/** The script's records (connection/shell-protocol.ts Reply): fields, then the headers and body records whose bodies are base64. */
export function parseFramed(reply: Reply): FramedOutput {
  const fields = new Map(reply.entries().filter(([k]) => k !== 'headers' && k !== 'body'));
  const b64 = (key: string) => Buffer.from((reply.body(key) ?? '').replace(/\s+/g, ''), 'base64');
  return { fields, headers: b64('headers').toString('utf8'), body: b64('body') };
}

const argsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    url: { type: 'string' },
    method: { type: 'string', default: 'GET' },
    body: {},
    body_format: { enum: ['json', 'form-urlencoded', 'raw'], default: 'raw' },
    headers: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
    status_code: { anyOf: [{ type: 'integer' }, { type: 'string' }, { type: 'array', items: { type: ['integer', 'string'] } }], default: [200] },
    return_content: { type: 'boolean', default: false },
    timeout: { type: 'number', default: 30 },
    validate_certs: { type: 'boolean', default: true },
    user: { type: 'string' },
    password: { type: 'string' },
    url_username: { type: 'string' },
    url_password: { type: 'string' },
    force_basic_auth: { type: 'boolean' },
    follow_redirects: { anyOf: [{ enum: ['all', 'safe', 'none', 'urllib2', 'yes', 'no'] }, { type: 'boolean' }], default: 'safe' },
  },
} as const;

const uri = defineModule({
  name: 'uri',
  aliases: ['ansible.builtin.uri'],
  checkMode: false,
  checkModeSkipMsg: 'remote module (ansible.legacy.uri) does not support check mode',
  argsSchema,
  async run(ctx): Promise<ModuleResult> {
    const a = ctx.args;
    const method = (a.method ?? 'GET').toUpperCase();
    const { body, contentType } = encodeBody(a);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(a.headers ?? {})) headers[k] = String(v);
    if (contentType && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = contentType;
    const fr = a.follow_redirects ?? 'safe';
    const follow = fr === 'all' || fr === 'yes' || fr === true || fr === 'urllib2' || (fr === 'safe' && (method === 'GET' || method === 'HEAD'));
    const user = a.url_username ?? a.user;
    const password = a.url_password ?? a.password;
    if (ctx.check) return { changed: false, skipped: true, msg: 'uri: requests are not sent in check mode' };
    const config = curlConfig({
      url: a.url,
      method: method === 'GET' && body === undefined ? undefined : method === 'HEAD' ? 'HEAD' : method,
      headers,
      body,
      user,
      password,
      preemptiveAuth: a.force_basic_auth ?? false,
      timeout: a.timeout ?? 30,
      insecure: a.validate_certs === false,
      followRedirects: follow,
    });
    const { res, reply } = await request(ctx, uriScript(), { stdin: config, timeoutMs: ((a.timeout ?? 30) + 30) * 1000 });
    const out = parseFramed(reply);
    if (out.fields.has('nocurl')) return { failed: true, changed: false, msg: 'uri: curl is not installed on the target (tsrun sends HTTP requests with curl)' };
    if (!out.fields.has('end')) return { failed: true, changed: false, msg: `uri: the request script failed: ${res.stderr.trim()}` };
    const codes = statusCodes(a.status_code);
    const parsed = parseHeaderDump(out.headers);
    const curlRc = Number(out.fields.get('rc'));
    const r: ModuleResult = {
      changed: false,
      url: out.fields.get('url') || a.url,
      status: parsed.status,
      redirected: parsed.blocks > 1,
      elapsed: Number(out.fields.get('elapsed') ?? 0),
    };
    if (curlRc !== 0 && parsed.status === -1) {
      r.status = -1;
      return { ...r, failed: true, msg: `Status code was -1 and not [${codes.join(', ')}]: Request failed: ${(out.fields.get('err') ?? '').trim()}` };
    }
    for (const [k, v] of Object.entries(parsed.headers)) r[k.replace(/-/g, '_')] = v;
    const text = out.body.toString('utf8');
    const ctype = parsed.headers['content-type'] ?? '';
    if (a.return_content) r.content = text;
    if (/[/+]json\b/.test(ctype)) {
      try {
        r.json = JSON.parse(text);
      } catch {
        // Ansible leaves json out when the body does not parse
      }
    }
    if (!codes.includes(parsed.status)) {
      if (!a.return_content) r.content = text;
      return { ...r, failed: true, msg: `Status code was ${parsed.status} and not [${codes.join(', ')}]: HTTP Error ${parsed.status}` };
    }
    r.msg = `OK (${out.body.length} bytes)`;
    return r;
  },
});

export default uri;
