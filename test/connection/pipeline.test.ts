/**
 * Lanes (ExecOptions.lane): requests of one lane go to one shell in call order, each sent
 * without waiting for the answers before it, and each answer is its own (stdout, stderr and rc
 * split at the markers even when the next request's output arrives in the same read).
 * Counted, not timed: a lane of N requests made at once is one round trip.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { LocalConnection } from '../../src/connection/local.js';
import { shellTraffic } from '../../src/connection/shell-session.js';

const conn = new LocalConnection({ name: 'pipeline' });
afterAll(() => conn.close());

describe('a lane of requests on one shell', () => {
  it('runs them in order, one round trip for all, each answer its own', async () => {
    const lane = {};
    const roundTrips = shellTraffic.roundTrips;
    const big = 'x'.repeat(200_000);
    const calls = Array.from({ length: 24 }, (_, i) =>
      conn.exec(
        i % 5 === 4
          ? `printf %s ${big}; printf 'err%s' ${i} >&2; exit ${i}`
          : `echo out${i}; echo err${i} >&2; echo $$ >/dev/null; exit ${i % 3}`,
        { lane },
      ),
    );
    const results = await Promise.all(calls);
    expect(shellTraffic.roundTrips - roundTrips).toBe(1);
    results.forEach((r, i) => {
      if (i % 5 === 4) expect(r).toEqual({ rc: i, stdout: big, stderr: `err${i}` });
      else expect(r).toEqual({ rc: i % 3, stdout: `out${i}\n`, stderr: `err${i}\n` });
    });
  });

  it('keeps the order of effects on the target', async () => {
    const lane = {};
    const dir = (await conn.exec('mktemp -d')).stdout.trim();
    await Promise.all(Array.from({ length: 30 }, (_, i) => conn.exec(`echo ${i} >> ${dir}/order`, { lane })));
    expect((await conn.exec(`cat ${dir}/order; rm -r ${dir}`)).stdout).toBe(Array.from({ length: 30 }, (_, i) => `${i}\n`).join(''));
  });

  it('lets a request with a timeout or stdin go in its turn', async () => {
    const lane = {};
    const rs = await Promise.all([
      conn.exec('echo a', { lane }),
      conn.exec('cat', { lane, stdin: 'from stdin\n' }),
      conn.exec('echo b', { lane, timeoutMs: 10_000 }),
      conn.exec('echo c', { lane }),
    ]);
    expect(rs.map((r) => r.stdout)).toEqual(['a\n', 'from stdin\n', 'b\n', 'c\n']);
  });

  it('fails every request still queued when the shell dies, and the next lane gets a new shell', async () => {
    const lane = {};
    const rs = await Promise.allSettled([conn.exec('echo before', { lane }), conn.exec('kill -9 $$', { lane }), conn.exec('echo after', { lane })]);
    expect(rs[0]).toEqual({ status: 'fulfilled', value: { rc: 0, stdout: 'before\n', stderr: '' } });
    expect(rs[2]?.status).toBe('rejected');
    expect((await conn.exec('echo again', { lane: {} })).stdout).toBe('again\n');
  });
});

describe('a large payload', () => {
  it('reports its progress to the caller\'s observer, from 0 to all of it', async () => {
    const payload = Buffer.alloc(3 * 1024 * 1024, 'y');
    const seen: [number, number][] = [];
    const r = await conn.exec('wc -c', { stdin: payload, onTransfer: (sent, total) => seen.push([sent, total]) });
    expect(r.stdout.trim()).toBe(String(payload.length));
    expect(seen[0]).toEqual([0, payload.length]);
    expect(seen.at(-1)).toEqual([payload.length, payload.length]);
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.every(([s], i) => i === 0 || s >= seen[i - 1]![0])).toBe(true);
  });

  it('reports nothing for a small one', async () => {
    const seen: number[] = [];
    await conn.exec('cat >/dev/null', { stdin: 'small', onTransfer: (sent) => seen.push(sent) });
    expect(seen).toEqual([]);
  });
});
