import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * A revision number for `useApiQuery` deps, bumped when the core says something changed. Events arrive in bursts (a
 * decision emits `review.changed` and `outbox.changed`, a sync run dozens of `outbox.changed`): every bump within
 * `delayMs` of the first one is folded into a single re-read. `bump()` asks for one by hand (after the page's own call).
 *
 * `listen` subscribes with the given callback and returns the unsubscribers; it is re-run when `deps` change.
 */
export function useEventRevision(
  listen: (bump: () => void) => (() => void)[],
  deps: readonly unknown[],
  delayMs = 80,
): [revision: number, bump: () => void] {
  const [revision, setRevision] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const bump = useCallback(() => {
    if (timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      setRevision((n) => n + 1);
    }, delayMs);
  }, [delayMs]);

  useEffect(() => {
    const offs = listen(bump);
    return () => offs.forEach((off) => off());
    // `listen` is an inline function: its inputs are `deps`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bump, ...deps]);

  useEffect(() => () => clearTimeout(timer.current), []);
  return [revision, bump];
}
