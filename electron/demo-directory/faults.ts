/**
 * Fault injection for the demo directory, from a spec like
 * "latency=50,error=0.1,drop=0.05,truncate=0.05,duplicate=0.1,reorder=0.1,expire=0.01,empty=0.05".
 * Rates are probabilities per request; latency is in milliseconds. Admin routes are never faulted.
 */
import type { Change } from '../../shared/directory/wire';
import { Random } from './random';

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
}

export const NO_FAULTS: FaultSpec = { latency: 0, error: 0, drop: 0, truncate: 0, duplicate: 0, reorder: 0, expire: 0, empty: 0 };

export function parseFaultSpec(spec: string | undefined): FaultSpec {
  const faults = { ...NO_FAULTS };
  for (const part of (spec ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, raw] = part.split('=').map((s) => s.trim()) as [string, string | undefined];
    const value = Number(raw);
    if (!Object.hasOwn(faults, name) || raw === undefined || !Number.isFinite(value) || value < 0) {
      throw new Error(`invalid fault "${part}": expected one of ${Object.keys(NO_FAULTS).join(', ')} with a number`);
    }
    if (name !== 'latency' && value > 1) throw new Error(`fault rate "${name}" must be between 0 and 1`);
    faults[name as keyof FaultSpec] = value;
  }
  return faults;
}

export type ErrorFault = { status: 500 } | { status: 503 | 429; retryAfter: number };

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

  error(): ErrorFault | null {
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
