import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectionPool, connectionSpecFromVars, LocalConnection, openConnection, SshConnection } from '../../src/connection/index.js';
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

  it('returns one connection per distinct spec and closes them all', async () => {
    const pool = new ConnectionPool();
    const a = connectionSpecFromVars('a', { ansible_connection: 'local' });
    const a2 = connectionSpecFromVars('a', { ansible_connection: 'local' });
    const b = connectionSpecFromVars('b', { ansible_connection: 'local' });
    expect(pool.get(a)).toBe(pool.get(a2));
    expect(pool.get(a)).not.toBe(pool.get(b));
    expect((await pool.get(a).exec('echo hi')).stdout).toBe('hi\n');
    await pool.closeAll();
    expect(pool.get(a)).not.toBe(a);
    await pool.closeAll();
  });
});
