import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectionSpecFromVars, LocalConnection, openConnection, SshConnection } from '../../src/connection/index.js';
import { ConnectionCache, specKey } from '../../src/executor/connections.js';
import type { RunOptions } from '../../src/executor/options.js';
import { shellTraffic } from '../../src/connection/shell-session.js';
import { itAsRoot } from '../support/needs.js';

describe('LocalConnection (ansible_connection=local)', () => {
  const c = new LocalConnection({ name: 'localhost' });
  afterAll(() => c.close());

  it('runs scripts with stdout, stderr, rc, stdin and env', async () => {
    expect(await c.exec('echo o; echo e >&2; exit 4')).toEqual({ rc: 4, stdout: 'o\n', stderr: 'e\n' });
    expect((await c.exec('tr a-z A-Z', { stdin: 'abc\n' })).stdout).toBe('ABC\n');
    expect((await c.exec('printf %s "$X"', { env: { X: 'v a l' } })).stdout).toBe('v a l');
  });

  it('reuses one shell for sequential calls and keeps calls independent', async () => {
    const pids = new Set<string>();
    for (let i = 0; i < 20; i++) pids.add((await c.exec('echo $PPID; cd /; X=1')).stdout);
    // Every call is a subshell of the same long-lived shell.
    expect(pids.size).toBe(1);
    expect((await c.exec('echo "${X:-unset}"')).stdout).toBe('unset\n');
  });

  it('runs concurrent calls in parallel shells', async () => {
    const rs = await Promise.all(Array.from({ length: 6 }, (_, i) => c.exec(`sleep 0.4; echo ${i} $PPID`)));
    expect(rs.map((r) => r.stdout.split(' ')[0])).toEqual(['0', '1', '2', '3', '4', '5']);
    // Parallel means more than one long-lived shell served them (each call is a child of its shell).
    expect(new Set(rs.map((r) => r.stdout.split(' ')[1])).size).toBeGreaterThan(1);
  });

  it('reads files binary-safely', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-local-'));
    const data = randomBytes(100_000);
    writeFileSync(join(dir, "it's.bin"), data);
    expect((await c.readFile(join(dir, "it's.bin"))).equals(data)).toBe(true);
    await expect(c.readFile(join(dir, 'missing'))).rejects.toThrow(/cannot read/);
  });

  it('streams large binary stdin raw and exactly; unread bytes never reach the shell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsrun-local-'));
    const marker = join(dir, 'executed');
    // Binary, with lines the shell would run if it ever parsed the payload.
    const data = Buffer.concat([randomBytes(300_000), Buffer.from(`\ntouch ${marker}\n`), randomBytes(300_000), Buffer.from(`\ntouch ${marker}\n`)]);
    const before = shellTraffic.bytesSent;
    const r = await c.exec(`cat > ${join(dir, 'copy')}; sha256sum < ${join(dir, 'copy')}`, { stdin: data });
    // Sent as it is: no base64 (which would add a third).
    expect(shellTraffic.bytesSent - before).toBeLessThan(data.length + 2000);
    expect(r.stdout.split(' ')[0]).toBe(createHash('sha256').update(data).digest('hex'));
    // Scripts that read nothing, or only part of it.
    expect(await c.exec('echo ignored', { stdin: data })).toEqual({ rc: 0, stdout: 'ignored\n', stderr: '' });
    expect((await c.exec('head -c 10 >/dev/null; echo part; exit 3', { stdin: data })).rc).toBe(3);
    expect((await c.exec('echo still fine')).stdout).toBe('still fine\n');
    expect(existsSync(marker)).toBe(false);
  });

  it('times out hung scripts and stays usable', async () => {
    await expect(c.exec('sleep 30', { timeoutMs: 300 })).rejects.toThrow(/timed out after 300 ms/);
    expect((await c.exec('echo ok')).stdout).toBe('ok\n');
  });

  itAsRoot('becomes another user through sudo', async () => {
    expect((await c.exec('id -un', { become: { user: 'nobody' } })).stdout).toBe('nobody\n');
    expect((await c.exec('id -un')).stdout).toBe('root\n');
  });
});

describe('openConnection / ConnectionPool', () => {
  it('picks the transport from the spec kind', async () => {
    const local = openConnection(connectionSpecFromVars('l', { ansible_connection: 'local' }));
    expect(local).toBeInstanceOf(LocalConnection);
    expect(openConnection(connectionSpecFromVars('r', {}))).toBeInstanceOf(SshConnection);
    await local.close();
  });

  it('the run cache returns one connection per distinct spec and closes them all', async () => {
    const cache = new ConnectionCache({} as RunOptions);
    const a = connectionSpecFromVars('a', { ansible_connection: 'local' });
    const a2 = connectionSpecFromVars('a', { ansible_connection: 'local' });
    const b = connectionSpecFromVars('b', { ansible_connection: 'local' });
    const ca = await cache.get(a);
    expect(await cache.get(a2)).toBe(ca);
    expect(await cache.get(b)).not.toBe(ca);
    expect((await ca.exec('echo hi')).stdout).toBe('hi\n');
    await cache.closeAll();
    expect(await cache.get(a)).not.toBe(ca);
    await cache.closeAll();
  });

  it('the cache key covers every field that makes a connection different', () => {
    const base = connectionSpecFromVars('h', { ansible_host: '10.0.0.1' });
    expect(specKey(connectionSpecFromVars('h', { ansible_host: '10.0.0.1' }))).toBe(specKey(base));
    // Field order does not matter; any differing field, nested or not, does.
    expect(specKey(Object.fromEntries(Object.entries(base).reverse()) as typeof base)).toBe(specKey(base));
    for (const vars of [{ ansible_password: 'x' }, { ansible_host_key_checking: false }, { ansible_port: 2222 }, { ansible_user: 'u' }, { ansible_timeout: 3 }, { ansible_ssh_common_args: '-J j@jump' }]) {
      expect(specKey(connectionSpecFromVars('h', { ansible_host: '10.0.0.1', ...vars })), JSON.stringify(vars)).not.toBe(specKey(base));
    }
  });
});
