/** URL splitting and unquoting the way Python's urllib.parse does it (urlsplit, unquote_plus). */
import { EvalError } from './errors.js';

export interface SplitUrl {
  scheme: string;
  netloc: string;
  path: string;
  query: string;
  fragment: string;
}

const SCHEME_CHARS = /^[A-Za-z][A-Za-z0-9+.-]*$/;

export function urlSplit(input: string): SplitUrl {
  // eslint-disable-next-line no-control-regex
  let url = input.replace(/^[\x00-\x20]+/, '').replace(/[\t\r\n]/g, '');
  let scheme = '';
  let netloc = '';
  let query = '';
  let fragment = '';
  const colon = url.indexOf(':');
  if (colon > 0 && SCHEME_CHARS.test(url.slice(0, colon))) {
    scheme = url.slice(0, colon).toLowerCase();
    url = url.slice(colon + 1);
  }
  if (url.startsWith('//')) {
    let end = url.length;
    for (const c of '/?#') {
      const i = url.indexOf(c, 2);
      if (i >= 0) end = Math.min(end, i);
    }
    netloc = url.slice(2, end);
    url = url.slice(end);
    if (netloc.includes('[') !== netloc.includes(']')) throw new EvalError('Invalid IPv6 URL');
  }
  const hash = url.indexOf('#');
  if (hash >= 0) [url, fragment] = [url.slice(0, hash), url.slice(hash + 1)];
  const q = url.indexOf('?');
  if (q >= 0) [url, query] = [url.slice(0, q), url.slice(q + 1)];
  return { scheme, netloc, path: url, query, fragment };
}

/** The derived attributes of Python's SplitResult: hostname, port, username, password. */
export function urlParts(u: SplitUrl): Record<string, unknown> {
  const at = u.netloc.lastIndexOf('@');
  const userinfo = at >= 0 ? u.netloc.slice(0, at) : undefined;
  const hostinfo = at >= 0 ? u.netloc.slice(at + 1) : u.netloc;
  let username: string | null = null;
  let password: string | null = null;
  if (userinfo !== undefined) {
    const c = userinfo.indexOf(':');
    username = c >= 0 ? userinfo.slice(0, c) : userinfo;
    password = c >= 0 ? userinfo.slice(c + 1) : null;
  }
  let host: string;
  let portText: string;
  const bracket = hostinfo.match(/^\[([^\]]*)\](?::(.*))?$/);
  if (bracket) [host, portText] = [bracket[1], bracket[2] ?? ''];
  else {
    const c = hostinfo.indexOf(':');
    [host, portText] = c >= 0 ? [hostinfo.slice(0, c), hostinfo.slice(c + 1)] : [hostinfo, ''];
  }
  let port: number | null = null;
  if (portText !== '') {
    if (!/^[0-9]+$/.test(portText)) throw new EvalError(`Port could not be cast to integer value as '${portText}'`);
    port = Number(portText);
    if (port > 65535) throw new EvalError('Port out of range 0-65535');
  }
  return {
    fragment: u.fragment,
    hostname: host === '' ? null : host.toLowerCase(),
    netloc: u.netloc,
    password,
    path: u.path,
    port,
    query: u.query,
    scheme: u.scheme,
    username,
  };
}

/** Python's unquote_plus: '+' is a space, %XX are UTF-8 bytes, bad sequences become U+FFFD. */
export function unquotePlus(s: string): string {
  const bytes: number[] = [];
  const text = s.replace(/\+/g, ' ');
  for (let i = 0; i < text.length; i++) {
    const m = /^%([0-9A-Fa-f]{2})/.exec(text.slice(i, i + 3));
    if (m) {
      bytes.push(Number.parseInt(m[1], 16));
      i += 2;
      continue;
    }
    const cp = text.codePointAt(i) ?? 0;
    if (cp > 0xffff) i++;
    bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}
