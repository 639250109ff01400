import type { Callback } from './events.js';

/** Listeners that want only some events (the progress line, the run report). */
export type Listener = Partial<Callback>;

/** One Callback that hands every event to each listener in order (one of them the main output). */
export function fanout(all: Listener[]): Callback {
  const each =
    <K extends keyof Callback>(name: K) =>
    (...args: Parameters<NonNullable<Callback[K]>>): void => {
      for (const l of all) (l[name] as ((...a: unknown[]) => void) | undefined)?.apply(l, args);
    };
  return {
    playbookStart: each('playbookStart'),
    playStart: each('playStart'),
    noHostsMatched: each('noHostsMatched'),
    taskStart: each('taskStart'),
    noHostsRemaining: each('noHostsRemaining'),
    itemResult: each('itemResult'),
    hostResult: each('hostResult'),
    retrying: each('retrying'),
    asyncStatus: each('asyncStatus'),
    warning: each('warning'),
    error: each('error'),
    playbookEnd: each('playbookEnd'),
    stepAnswered: each('stepAnswered'),
    included: each('included'),
    meta: each('meta'),
    connectionDebug: each('connectionDebug'),
    taskTargets: each('taskTargets'),
    hostTaskStart: each('hostTaskStart'),
    hostTaskEnd: each('hostTaskEnd'),
    transfer: each('transfer'),
  };
}
