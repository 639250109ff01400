import { afterEach, describe, expect, it, vi } from 'vitest';
import { startAttemptTimer } from '../../src/connection/attempt-clock.js';
import { HandshakeGate } from '../../src/connection/handshake-gate.js';

describe('attempt timer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('expires once the budget has passed while the process was responsive', () => {
    vi.useFakeTimers();
    let now = 0;
    let expired = 0;
    startAttemptTimer(1000, () => expired++, () => now);
    for (let i = 0; i < 9; i++) {
      now += 100;
      vi.advanceTimersByTime(100);
    }
    expect(expired).toBe(0);
    now += 100;
    vi.advanceTimersByTime(100);
    expect(expired).toBe(1);
    now += 5000;
    vi.advanceTimersByTime(5000);
    expect(expired).toBe(1);
  });

  it('does not count a stalled event loop (busy control machine) against the far side', () => {
    vi.useFakeTimers();
    let now = 0;
    let expired = 0;
    const t = startAttemptTimer(1000, () => expired++, () => now);
    // Four ticks, each arriving 5 s late: 20 s of wall time, each credited as two ticks.
    for (let i = 0; i < 4; i++) {
      now += 5000;
      vi.advanceTimersByTime(100);
    }
    expect(expired).toBe(0);
    expect(t.elapsedMs).toBe(800);
    t.cancel();
  });

  it('never fires after cancel', () => {
    vi.useFakeTimers();
    let now = 0;
    let expired = 0;
    const t = startAttemptTimer(200, () => expired++, () => now);
    t.cancel();
    now += 1000;
    vi.advanceTimersByTime(1000);
    expect(expired).toBe(0);
  });
});

describe('handshake gate', () => {
  it('keeps at most `limit` attempts in flight and runs them all, first come first served', async () => {
    const gate = new HandshakeGate(3);
    let inFlight = 0;
    let peak = 0;
    const started: number[] = [];
    const attempt = (i: number) => async (): Promise<number> => {
      started.push(i);
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      if (i === 4) throw new Error('refused');
      return i;
    };
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => gate.run(attempt(i))));
    expect(peak).toBe(3);
    expect(gate.peak).toBe(3);
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(19);
    // A failed attempt frees its slot: a later batch still gets all three.
    let again = 0;
    await Promise.all(Array.from({ length: 3 }, () => gate.run(async () => void again++)));
    expect(again).toBe(3);
  });
});
