/** Growing, jittered retry delays for transient directory failures, with the directory's Retry-After respected. */
import { setTimeout as sleep } from 'node:timers/promises';
import { DirectoryError } from './errors';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** Longest Retry-After honoured as such; a directory asking for more waits this long and we try again. */
  retryAfterCapMs: number;
  random?: () => number;
  /** Someone is waiting on the answer: a Retry-After beyond retryAfterCapMs ends the retries rather than being cut short. */
  interactive?: boolean;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseMs: 500, maxMs: 30_000, retryAfterCapMs: 120_000 };

/** The same policy for a call an operator waits on: a few attempts, and no more than 10 s asked by a Retry-After. */
export function interactiveRetry(policy: RetryPolicy): RetryPolicy {
  return { ...policy, attempts: Math.min(policy.attempts, 4), retryAfterCapMs: Math.min(policy.retryAfterCapMs, 10_000), interactive: true };
}

/**
 * Delay before retry number `attempt` (1 = the first retry): exponential with "equal jitter" (between half and all
 * of the exponential step) so that many clients recovering from one outage do not retry in lockstep.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs: number | null = null): number {
  const random = policy.random ?? Math.random;
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = step / 2 + random() * (step / 2);
  return retryAfterMs === null ? jittered : Math.max(jittered, Math.min(retryAfterMs, policy.retryAfterCapMs));
}

export interface RetryHooks {
  signal?: AbortSignal;
  onRetry?: (error: DirectoryError, attempt: number, delayMs: number) => void;
}

/** Runs `fn` until it succeeds, fails for good (non-transient), or runs out of attempts. */
export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy, hooks: RetryHooks = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    hooks.signal?.throwIfAborted();
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof DirectoryError) || !error.transient || attempt >= policy.attempts) throw error;
      if (policy.interactive && error.retryAfterMs !== null && error.retryAfterMs > policy.retryAfterCapMs) throw error;
      const delay = backoffDelay(policy, attempt, error.retryAfterMs);
      hooks.onRetry?.(error, attempt, delay);
      await sleep(delay, undefined, { signal: hooks.signal });
    }
  }
}
