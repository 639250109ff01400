import { createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import waitFor, { matchGroups } from '../../../src/modules/wait_for.js';
import { localListenAddrs, procHex4, pyRegexToEre, waitScript } from '../../../src/modules/lib/cmd-wait.js';
import { invoke, scratchDir } from '../../support/local-exec.js';
import { ctxFor } from './local.js';

function listen(host: string): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer((s) => {
      s.on('error', () => {});
      s.end('SSH-2.0-tsrun_banner 9.1\r\n');
    });
    server.listen(0, host, () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

describe('wait_for generation', () => {
  it('knows the /proc forms of local addresses', () => {
    expect(procHex4('127.0.0.1')).toBe('0100007F');
    expect(localListenAddrs('0.0.0.0')).toBe('*');
    expect(localListenAddrs('10.1.2.3')).toBeUndefined();
    expect(localListenAddrs('localhost')).toContain('0100007F');
  });
  it('uses /proc for local hosts and a connect probe otherwise', () => {
    expect(String(waitScript({ port: 80 }))).toContain('is_listening 0050');
    expect(String(waitScript({ port: 22, host: 'db.example' }))).toContain("probe db.example 22 5");
    expect(String(waitScript({ timeout: 2 }))).toContain('sleep 2');
  });
  it('turns Python regex escapes into ERE for grep', () => {
    expect(pyRegexToEre('port (?P<port>\\d+)\\s(?:a|b)\\w')).toBe('port ([0-9]+)[[:space:]](a|b)[[:alnum:]_]');
  });
  it('match groups like Python re', () => {
    expect(matchGroups('version (?P<major>\\d+)\\.(\\d+)', 'app version 3.14 ok')).toEqual({ match_groups: ['3', '14'], match_groupdict: { major: '3' } });
  });
});

describe('wait_for on this machine', () => {
  let local: { server: Server; port: number };
  let any: { server: Server; port: number };
  beforeAll(async () => {
    local = await listen('127.0.0.1');
    any = await listen('0.0.0.0');
  });
  afterAll(() => {
    local.server.close();
    any.server.close();
  });

  it('sees a listening port through /proc and a closed one as stopped', async () => {
    const r = await invoke(waitFor, ctxFor({ port: local.port, timeout: 5 }));
    // elapsed (whole seconds) is not checked: it depends on the machine's load.
    expect(r).toMatchObject({ changed: false, state: 'started', port: local.port, elapsed: expect.any(Number) });
    expect((await invoke(waitFor, ctxFor({ port: any.port, host: 'localhost', timeout: 5 }))).failed).toBeUndefined();
    const closed = await invoke(waitFor, ctxFor({ port: 1, state: 'stopped', timeout: 5 }));
    expect(closed.failed).toBeUndefined();
    const drained = await invoke(waitFor, ctxFor({ port: local.port, state: 'drained', timeout: 5 }));
    expect(drained.failed).toBeUndefined();
  });

  it('drained counts an open connection unless its remote address is in exclude_hosts', async () => {
    const { connect } = await import('node:net');
    const client = connect(local.port, '127.0.0.1');
    await new Promise<void>((ok) => client.once('connect', () => ok()));
    try {
      const busy = await invoke(waitFor, ctxFor({ port: local.port, state: 'drained', timeout: 1, sleep: 0.2 }));
      expect(busy).toMatchObject({ failed: true, msg: `Timeout when waiting for 127.0.0.1:${local.port} to drain` });
      const excluded = await invoke(waitFor, ctxFor({ port: local.port, state: 'drained', timeout: 1, exclude_hosts: ['127.0.0.1'] }));
      expect(excluded.failed).toBeUndefined();
      expect(await invoke(waitFor, ctxFor({ port: local.port, state: 'drained', exclude_hosts: ['db.example'] }))).toMatchObject({ failed: true, msg: expect.stringContaining('IPv4 addresses') });
    } finally {
      client.destroy();
    }
  });

  it('times out with Ansible-like messages, or the given msg', async () => {
    const r = await invoke(waitFor, ctxFor({ port: 1, timeout: 1, sleep: 0.2 }));
    expect(r).toMatchObject({ failed: true, msg: 'Timeout when waiting for 127.0.0.1:1' });
    expect(Number(r.elapsed)).toBeGreaterThanOrEqual(1);
    const custom = await invoke(waitFor, ctxFor({ path: '/nonexistent-tsrun', timeout: 1, msg: 'no file' }));
    expect(custom).toMatchObject({ failed: true, msg: 'no file' });
  });

  it('probes a non-local address with a connection and reads a banner', async () => {
    const ip = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (!ip) return; // no external interface on this machine: nothing to probe
    expect((await invoke(waitFor, ctxFor({ host: ip, port: any.port, timeout: 5 }))).failed).toBeUndefined();
    const banner = await invoke(waitFor, ctxFor({ host: ip, port: any.port, search_regex: 'OpenSSH|tsrun', timeout: 5, connect_timeout: 2 }));
    expect(banner.failed).toBeUndefined();
  });

  it('waits for a file, its content, and its absence', async () => {
    const dir = scratchDir();
    const file = join(dir, 'ready');
    setTimeout(() => writeFileSync(file, 'starting\nlistening on port 8080\n'), 700);
    const r = await invoke(waitFor, ctxFor({ path: file, search_regex: 'port (?P<port>\\d+)', timeout: 10, sleep: 0.2 }));
    expect(r).toMatchObject({ changed: false, path: file, match_groups: ['8080'], match_groupdict: { port: '8080' } });
    setTimeout(() => rmSync(file), 500);
    const gone = await invoke(waitFor, ctxFor({ path: file, state: 'absent', timeout: 10, sleep: 0.2 }));
    expect(gone.failed).toBeUndefined();
    expect((await invoke(waitFor, ctxFor({ port: 1, path: file }))).failed).toBe(true);
  });
});
