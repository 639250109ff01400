/**
 * Progress of large stdin payloads (file pushes), for the terminal's progress line. The
 * executor runs each host's task inside `transferObserver.run(fn, ...)`; the shell session picks
 * the observer up from the caller's async context, so no connection API changes shape for it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** `sent` of `total` payload bytes have been written to the channel. */
export type TransferObserver = (sent: number, total: number) => void;

export const transferObserver = new AsyncLocalStorage<TransferObserver>();
