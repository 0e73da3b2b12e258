/**
 * Fault injection for the demo directory, from a spec like
 * "latency=50,error=0.1,drop=0.05,truncate=0.05,duplicate=0.1,reorder=0.1,expire=0.01,empty=0.05".
 * Rates are probabilities per request; latency is in milliseconds. Admin routes are never faulted.
 * `next=429+408+drop` scripts the faults of the next mutation requests, one each in order, for tests that need an
 * exact sequence.
 */
import type { Change } from '../../shared/directory/wire';
import { Random } from './random';

/**
 * One scripted fault of a mutation request: an error status before handling (nothing applied; 429 and 503 with
 * `Retry-After: 1`), `drop` (applied, then the connection cut mid-answer), or a password reset applied and answered
 * without its `temporaryPassword` (`nopassword`) or with an empty one (`blankpassword`); the stored answer, replayed
 * under the same key, keeps the password.
 */
export const SCRIPTED_FAULTS = ['408', '429', '500', '503', 'drop', 'nopassword', 'blankpassword'] as const;
export type ScriptedFault = (typeof SCRIPTED_FAULTS)[number];

export interface FaultSpec {
  /** Added delay per request (ms). */
  latency: number;
  /** 503 (with Retry-After), 500 or 429 (with Retry-After) before the request is handled. */
  error: number;
  /** The request is handled, then the connection is destroyed in the middle of the response body. */
  drop: number;
  /** A 200 whose JSON body is cut short (GET only). */
  truncate: number;
  /** Earlier changes of the page sent again within the page. */
  duplicate: number;
  /** Changes of a page shuffled. */
  reorder: number;
  /** A change-feed request answered 410 CURSOR_EXPIRED. */
  expire: number;
  /** A change-feed page answered empty with hasMore true and the same cursor. */
  empty: number;
  /** Faults of the next mutation requests, one each in order, taken before any random fault (consumed as they apply). */
  next: ScriptedFault[];
}

type FaultRate = Exclude<keyof FaultSpec, 'next'>;

export const NO_FAULTS: Readonly<FaultSpec> = Object.freeze({
  latency: 0,
  error: 0,
  drop: 0,
  truncate: 0,
  duplicate: 0,
  reorder: 0,
  expire: 0,
  empty: 0,
  next: [],
});

export function parseFaultSpec(spec: string | undefined): FaultSpec {
  const faults: FaultSpec = { ...NO_FAULTS, next: [] };
  for (const part of (spec ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, raw] = part.split('=').map((s) => s.trim()) as [string, string | undefined];
    if (name === 'next') {
      const steps = (raw ?? '').split('+').map((step) => step.trim());
      const wrong = steps.find((step) => !(SCRIPTED_FAULTS as readonly string[]).includes(step));
      if (wrong !== undefined) throw new Error(`invalid scripted fault "${wrong}": expected ${SCRIPTED_FAULTS.join(', ')} joined by +`);
      faults.next = steps as ScriptedFault[];
      continue;
    }
    const value = Number(raw);
    if (!Object.hasOwn(faults, name) || raw === undefined || !Number.isFinite(value) || value < 0) {
      throw new Error(`invalid fault "${part}": expected one of ${Object.keys(NO_FAULTS).join(', ')} with a number`);
    }
    if (name !== 'latency' && value > 1) throw new Error(`fault rate "${name}" must be between 0 and 1`);
    faults[name as FaultRate] = value;
  }
  return faults;
}

export type ErrorFault = { status: 500 | 408 } | { status: 503 | 429; retryAfter: number };

/** Draws the faults of each request from a seeded generator, so a failing run can be replayed. */
export class FaultInjector {
  private rng: Random;

  constructor(
    public spec: FaultSpec,
    seed = 1,
  ) {
    this.rng = new Random(seed ^ 0x5eed);
  }

  roll(rate: number): boolean {
    return rate > 0 && this.rng.next() < rate;
  }

  /** The scripted fault of this mutation request, if any is left. */
  nextScripted(): ScriptedFault | null {
    return this.spec.next.shift() ?? null;
  }

  /** The error a request gets before it is handled: its scripted one, else a random draw. */
  error(scripted: ScriptedFault | null = null): ErrorFault | null {
    if (scripted === '408' || scripted === '500') return { status: Number(scripted) as 408 | 500 };
    if (scripted === '429' || scripted === '503') return { status: Number(scripted) as 429 | 503, retryAfter: 1 };
    if (scripted !== null) return null;
    if (!this.roll(this.spec.error)) return null;
    const kind = this.rng.weighted({ unavailable: 50, internal: 25, limited: 25 });
    if (kind === 'internal') return { status: 500 };
    return { status: kind === 'limited' ? 429 : 503, retryAfter: this.rng.int(1, 2) };
  }

  /** Applies duplicate and reorder faults to a page of changes; the page's cursor does not change. */
  distortChanges(changes: Change[]): Change[] {
    let out = changes;
    if (out.length > 0 && this.roll(this.spec.duplicate)) {
      const copies = Array.from({ length: this.rng.int(1, Math.min(3, out.length)) }, () => this.rng.pick(out));
      out = [...out, ...copies];
    }
    if (out.length > 1 && this.roll(this.spec.reorder)) {
      out = [...out];
      for (let i = out.length - 1; i > 0; i--) {
        const j = this.rng.int(0, i);
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
    }
    return out;
  }
}
