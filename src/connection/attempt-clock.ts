/**
 * Timeouts that measure the far side, not this process. A plain setTimeout also counts the
 * time this process spends unable to run (its own CPU-bound work, such as other hosts' key
 * exchanges, or a control machine busy with other programs): on a busy machine a host that
 * answers in time would be reported as timed out. This clock advances in small ticks and
 * credits each tick with at most twice its nominal length, so a stall of the event loop
 * counts as one tick, not as its full length; the remote side still gets the whole budget.
 */
const TICK_MS = 100;
const MAX_CREDIT_MS = 2 * TICK_MS;

export interface AttemptTimer {
  /** Stops the timer; `onExpire` is not called afterwards. */
  cancel(): void;
  /** Milliseconds credited so far (for tests and diagnostics). */
  readonly elapsedMs: number;
}

/** Calls `onExpire` once `budgetMs` of responsive time has passed. */
export function startAttemptTimer(budgetMs: number, onExpire: () => void, now: () => number = () => performance.now()): AttemptTimer {
  let credited = 0;
  let last = now();
  let done = false;
  const interval = setInterval(() => {
    const t = now();
    credited += Math.min(t - last, MAX_CREDIT_MS);
    last = t;
    if (credited >= budgetMs && !done) {
      done = true;
      clearInterval(interval);
      onExpire();
    }
  }, Math.min(TICK_MS, Math.max(1, budgetMs)));
  // A pending attempt timer alone must not keep the process alive.
  interval.unref?.();
  return {
    cancel: () => {
      done = true;
      clearInterval(interval);
    },
    get elapsedMs() {
      return credited;
    },
  };
}
