import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import uri, { encodeBody } from '../../../src/modules/uri.js';
import getUrl, { getUrlScript } from '../../../src/modules/get_url.js';
import { curlConfig, parseHeaderDump } from '../../../src/modules/lib/cmd-http.js';
import { invoke, scratchDir } from '../../support/local-exec.js';
import { ctxFor } from './local.js';

let server: Server;
let base: string;
const seen: Array<{ method?: string; url?: string; headers: Record<string, unknown>; body: string }> = [];
let payload = 'payload v1\n';

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
      if (req.url === '/json') {
        res.writeHead(200, { 'Content-Type': 'application/json', 'X-Thing': 'yes' });
        res.end(JSON.stringify({ ok: true, n: 1 }));
      } else if (req.url === '/redirect') {
        res.writeHead(302, { Location: '/json' });
        res.end();
      } else if (req.url === '/auth') {
        const ok = req.headers.authorization === `Basic ${Buffer.from('bob:s3cr3t').toString('base64')}`;
        res.writeHead(ok ? 200 : 401, ok ? {} : { 'WWW-Authenticate': 'Basic realm="t"' });
        res.end(ok ? 'welcome' : 'no');
      } else if (req.url === '/file.txt') {
        res.writeHead(200);
        res.end(payload);
      } else {
        res.writeHead(404);
        res.end('missing');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => server.close());

describe('uri (pure parts)', () => {
  it('encodes bodies as Ansible does', () => {
    expect(encodeBody({ url: '', body: { a: 1 }, body_format: 'json' })).toEqual({ body: '{"a":1}', contentType: 'application/json' });
    expect(encodeBody({ url: '', body: { a: 'x y', b: '&' }, body_format: 'form-urlencoded' })).toEqual({ body: 'a=x+y&b=%26', contentType: 'application/x-www-form-urlencoded' });
  });
  it('keeps secrets in the curl config (stdin), quoted', () => {
    const c = curlConfig({ url: 'http://h/', user: 'u', password: 'p"w\\', headers: { A: 'b' } });
    expect(c).toContain('user = "u:p\\"w\\\\"');
    expect(c).toContain('header = "A: b"');
  });
  it('parses the last header block after redirects', () => {
    const h = parseHeaderDump('HTTP/1.1 302 Found\r\nLocation: /x\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n');
    expect(h).toEqual({ status: 200, headers: { 'content-type': 'text/plain' }, blocks: 2 });
  });
});

describe('uri through curl on the target', () => {
  it('GET json, headers as keys, redirects followed', async () => {
    const r = await invoke(uri, ctxFor({ url: `${base}/redirect`, return_content: true }));
    expect(r).toMatchObject({ status: 200, json: { ok: true, n: 1 }, x_thing: 'yes', content_type: 'application/json', redirected: true, changed: false });
    expect(r.content).toBe('{"ok":true,"n":1}');
  });

  it('POST a json body with headers; status_code list', async () => {
    const r = await invoke(uri, ctxFor({ url: `${base}/json`, method: 'POST', body: { k: 'v' }, body_format: 'json', headers: { 'X-Req': 'r1' }, status_code: [200, 201] }));
    expect(r.status).toBe(200);
    const last = seen[seen.length - 1];
    expect(last).toMatchObject({ method: 'POST', body: '{"k":"v"}' });
    expect(last.headers['x-req']).toBe('r1');
    expect(last.headers['content-type']).toBe('application/json');
  });

  it('basic auth without the password on any command line, and failures', async () => {
    const ok = await invoke(uri, ctxFor({ url: `${base}/auth`, user: 'bob', password: 's3cr3t', force_basic_auth: true, return_content: true }));
    expect(ok).toMatchObject({ status: 200, content: 'welcome' });
    expect(JSON.stringify(ok)).not.toContain('s3cr3t');
    // force_basic_auth: credentials on the first request; without it only in answer to the 401 challenge.
    const before = seen.length;
    expect(await invoke(uri, ctxFor({ url: `${base}/auth`, user: 'bob', password: 's3cr3t', force_basic_auth: true }))).toMatchObject({ status: 200 });
    expect(seen.slice(before).map((r) => Boolean(r.headers.authorization))).toEqual([true]);
    const mid = seen.length;
    expect(await invoke(uri, ctxFor({ url: `${base}/auth`, user: 'bob', password: 's3cr3t' }))).toMatchObject({ status: 200 });
    expect(seen.slice(mid).map((r) => Boolean(r.headers.authorization))).toEqual([false, true]);
    const missing = await invoke(uri, ctxFor({ url: `${base}/nope` }));
    expect(missing).toMatchObject({ failed: true, status: 404, msg: 'Status code was 404 and not [200]: HTTP Error 404' });
    const down = await invoke(uri, ctxFor({ url: 'http://127.0.0.1:1/', timeout: 3 }));
    expect(down).toMatchObject({ failed: true, status: -1 });
  });
});

describe('get_url', () => {
  it('never puts credentials in the script', () => {
    const s = String(getUrlScript({ url: 'https://mirror/x.tgz', dest: '/tmp/x', url_password: 'hidden' }, false));
    expect(s).not.toContain('hidden');
    expect(s).toContain('curl -sS -K -');
  });

  it('downloads over http, changes only when content changes, checks the checksum', async () => {
    const dir = scratchDir();
    const dest = join(dir, 'f.txt');
    const r1 = await invoke(getUrl, ctxFor({ url: `${base}/file.txt`, dest, mode: '0640' }));
    expect(r1).toMatchObject({ changed: true, dest, mode: '0640', size: payload.length, state: 'file' });
    expect(readFileSync(dest, 'utf8')).toBe(payload);
    expect(statSync(dest).mode & 0o777).toBe(0o640);
    expect((await invoke(getUrl, ctxFor({ url: `${base}/file.txt`, dest }))).changed).toBe(false);
    payload = 'payload v2\n';
    // force=no still fetches (If-Modified-Since) and replaces only on a content change, as Ansible 2.14
    const r2 = await invoke(getUrl, ctxFor({ url: `${base}/file.txt`, dest }));
    expect(r2.changed).toBe(true);
    expect(readFileSync(dest, 'utf8')).toBe(payload);
    expect(statSync(dest).mode & 0o777).toBe(0o640);
    expect(seen[seen.length - 1].headers['if-modified-since']).toBeTruthy();
    const sum = createHash('sha256').update(payload).digest('hex');
    const fetches = seen.length;
    const same = await invoke(getUrl, ctxFor({ url: `${base}/file.txt`, dest, checksum: `sha256:${sum}` }));
    expect(same).toMatchObject({ changed: false, msg: 'file already exists' });
    expect(seen.length).toBe(fetches);
    const bad = await invoke(getUrl, ctxFor({ url: `${base}/file.txt`, dest: join(dir, 'g'), checksum: `sha256:${'0'.repeat(64)}` }));
    expect(bad).toMatchObject({ failed: true });
    expect(bad.msg).toMatch(/did not match/);
    expect((await invoke(getUrl, ctxFor({ url: `${base}/nope`, dest: join(dir, 'h') }))).failed).toBe(true);
  });

  it('copies file:// URLs into a directory dest, force re-fetches, check mode changes nothing', async () => {
    const dir = scratchDir();
    const src = join(dir, 'src.bin');
    writeFileSync(src, 'one');
    const out = scratchDir();
    const check = await invoke(getUrl, ctxFor({ url: `file://${src}`, dest: out }, { check: true }));
    expect(check.changed).toBe(true);
    const r = await invoke(getUrl, ctxFor({ url: `file://${src}`, dest: out }));
    expect(r).toMatchObject({ changed: true, dest: join(out, 'src.bin') });
    writeFileSync(src, 'two');
    expect((await invoke(getUrl, ctxFor({ url: `file://${src}`, dest: out, force: true }))).changed).toBe(true);
    expect(readFileSync(join(out, 'src.bin'), 'utf8')).toBe('two');
    expect((await invoke(getUrl, ctxFor({ url: `file://${src}`, dest: out, force: true }))).changed).toBe(false);
  });
});
