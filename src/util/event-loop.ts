/**
 * Lets the event loop run one full turn, so signals that arrived during synchronous work
 * (loading, a long run of control-side tasks) reach their handlers. Signals are read in the
 * poll phase; one setImmediate may run before it, two always have a poll phase between them.
 */
export async function letSignalsIn(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => setImmediate(resolve));
}
