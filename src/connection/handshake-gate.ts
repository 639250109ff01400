/**
 * At most a few SSH handshakes (TCP connect, key exchange, authentication) in flight in this
 * process. Key exchanges are CPU-bound on both ends; started all at once on a busy 2-core
 * machine they starve one another and every one of them takes as long as all of them. In a
 * bounded queue each finishes at full speed, and a host's connect timeout starts only when
 * its own attempt does (the time spent queued here is not the remote side's).
 */
import { availableParallelism } from 'node:os';

export class HandshakeGate {
  private active = 0;
  private readonly queue: Array<() => void> = [];
  /** Most handshakes seen in flight at once (for tests). */
  peak = 0;

  constructor(readonly limit: number) {}

  async run<T>(attempt: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((go) => this.queue.push(go));
    else this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await attempt();
    } finally {
      const next = this.queue.shift();
      // The slot passes straight to the next attempt in line (FIFO).
      if (next) next();
      else this.active--;
    }
  }
}

/**
 * TSRUN_HANDSHAKES overrides; by default 8 per core, at least 32. Measured on a 2-core machine
 * at load 30-40 (bench/ab.ts, 20 hosts, 3 repetitions): a limit of 8 made the first run 21.2 s
 * against 13.5 s unlimited, as fewer handshaking processes get a smaller share of a contended
 * CPU; the attempt clock, not this limit, keeps a busy machine from causing timeouts.
 */
export function defaultHandshakeLimit(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.TSRUN_HANDSHAKES);
  if (Number.isInteger(v) && v > 0) return v;
  return Math.max(32, 8 * availableParallelism());
}

export const handshakeGate = new HandshakeGate(defaultHandshakeLimit());
