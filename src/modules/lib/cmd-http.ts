/**
 * HTTP on the target with curl: every option (URL, headers, credentials, body) goes in a curl
 * config read from stdin (`-K -`), so nothing secret shows in the process list.
 */
export function curlQuote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

export interface CurlRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  user?: string;
  password?: string;
  /**
   * Send the credentials with the first request (uri's force_basic_auth). Otherwise they go
   * only in answer to a 401 challenge, as Python's urllib auth handlers do for Ansible.
   */
  preemptiveAuth?: boolean;
  timeout?: number;
  insecure?: boolean;
  followRedirects?: boolean;
}

export function curlConfig(r: CurlRequest): string {
  const L = [`url = ${curlQuote(r.url)}`];
  if (r.method) L.push(`request = ${curlQuote(r.method)}`);
  for (const [k, v] of Object.entries(r.headers ?? {})) L.push(`header = ${curlQuote(`${k}: ${v}`)}`);
  if (r.body !== undefined) L.push(`data-raw = ${curlQuote(r.body)}`);
  if (r.user !== undefined) L.push(`user = ${curlQuote(`${r.user}:${r.password ?? ''}`)}`, r.preemptiveAuth ? 'basic' : 'anyauth');
  if (r.timeout) L.push(`max-time = ${r.timeout}`);
  if (r.insecure) L.push('insecure');
  if (r.followRedirects) L.push('location');
  return L.join('\n') + '\n';
}

/** One HTTP response block from curl's `-D` header dump (the last one after redirects). */
export function parseHeaderDump(text: string): { status: number; headers: Record<string, string>; blocks: number } {
  const blocks = text.split(/\r?\n\r?\n/).filter((b) => /^HTTP\//.test(b.trim()));
  const last = blocks[blocks.length - 1] ?? '';
  const lines = last.trim().split(/\r?\n/);
  const status = Number(/^HTTP\/\S+\s+(\d+)/.exec(lines[0] ?? '')?.[1] ?? -1);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) {
      const k = line.slice(0, i).trim().toLowerCase();
      const v = line.slice(i + 1).trim();
      headers[k] = headers[k] !== undefined && k === 'set-cookie' ? `${headers[k]}, ${v}` : v;
    }
  }
  return { status, headers, blocks: blocks.length };
}
