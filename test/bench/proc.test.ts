/** The benchmark's timed runs: CPU time in milliseconds from bash's `times`, peak RSS from GNU time. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childTimes, timedRun } from '../../bench/lib/proc.js';

const dir = mkdtempSync(join(tmpdir(), 'tsrun-bench-proc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('timedRun', () => {
  it("reads the children's line of `times`, with either decimal separator", () => {
    expect(childTimes('0m0.010s 0m0.002s\n0m1.234s 0m0,056s\n')).toEqual({ user: 1.234, sys: 0.056 });
    expect(childTimes('0m0.010s 0m0.002s\n2m3.500s 0m0.000s\n')).toEqual({ user: 123.5, sys: 0 });
    expect(childTimes('garbage')).toBeUndefined();
  });

  it('measures CPU to the millisecond and keeps the exit status and output', async () => {
    const busy = 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done; echo "done $1"; exit 3';
    const r = await timedRun({ argv: ['sh', '-c', busy, 'sh', 'a b;$(id)'], logFile: join(dir, 'busy.log') });
    expect(r.exitCode).toBe(3);
    expect(r.output).toBe('done a b;$(id)\n');
    expect(r.cpuSeconds).toBeGreaterThan(0.02);
    expect(r.cpuSeconds).toBeLessThanOrEqual(r.seconds + 0.01);
    expect(r.peakMiB).toBeGreaterThan(0);
    // Milliseconds, not GNU time's hundredths: over a few runs, some figure is not a multiple of 10 ms.
    const more = await Promise.all([1, 2, 3, 4].map((n) => timedRun({ argv: ['sh', '-c', busy, 'sh', String(n)], logFile: join(dir, `b${n}.log`) })));
    expect([r, ...more].some((x) => Math.round(x.userSeconds * 1000) % 10 !== 0)).toBe(true);
  });
});
