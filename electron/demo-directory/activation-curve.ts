/**
 * The share of accounts activated `days` after Sept 1: A·(1 − e^(−days/τ)). Pupils: ≈ 25 % by the end of September,
 * ≈ 60 % by June (A = 0.62, τ = 52); guardians activate a little more and faster.
 */
const CURVES = {
  pupil: { ceiling: 0.62, tau: 52 },
  guardian: { ceiling: 0.72, tau: 45 },
} as const;

export function activatedShare(kind: keyof typeof CURVES, days: number): number {
  const { ceiling, tau } = CURVES[kind];
  return days <= 0 ? 0 : ceiling * (1 - Math.exp(-days / tau));
}

/** Inverse of the curve: the day on which the account at quantile `share` activates (for backfilled histories). */
export function dayOfShare(kind: keyof typeof CURVES, share: number): number {
  const { ceiling, tau } = CURVES[kind];
  return -tau * Math.log(1 - Math.min(share, ceiling * 0.9999) / ceiling);
}
