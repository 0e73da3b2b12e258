/**
 * The daily activation history of an establishment since Sept 1: per day, the accounts of each kind that day (the
 * totals recorded at the end of each simulated day; the generated academy counts as it was generated for the days
 * before, today's are the live ones) and those activated on or before it (from the accounts' activation dates).
 */
import type { ActivationHistory, PersonKind } from '../../shared/directory/wire';
import { addDays, daysBetween, schoolYearStart } from './dates';
import type { DirectoryStore } from './store';

export function activationHistory(store: DirectoryStore, uai: string): ActivationHistory {
  const today = store.today;
  const start = schoolYearStart(today);
  const rows = store.db
    .prepare<[string], { kind: PersonKind; day: string | null; n: number }>(
      `SELECT json_extract(data, '$.personKind') AS kind, substr(json_extract(data, '$.activatedAt'), 1, 10) AS day, count(*) AS n
         FROM records WHERE uai = ? AND type = 'account' AND deleted = 0 GROUP BY kind, day`,
    )
    .all(uai);
  const live = { pupil: 0, guardian: 0 };
  const perDay = new Map<string, { pupil: number; guardian: number }>();
  let before = { pupil: 0, guardian: 0 };
  for (const r of rows) {
    live[r.kind] += r.n;
    if (r.day === null) continue;
    if (r.day < start) before = { ...before, [r.kind]: before[r.kind] + r.n };
    else {
      const entry = perDay.get(r.day) ?? { pupil: 0, guardian: 0 };
      entry[r.kind] += r.n;
      perDay.set(r.day, entry);
    }
  }
  const recorded = store.dailyTotals(uai);
  let next = 0;
  // Before the first recorded day the academy is as generated; after, the last day recorded on or before the date.
  let denominators = recorded[0] ?? { pupils: live.pupil, guardians: live.guardian };
  const days: ActivationHistory['days'] = [];
  const running = { ...before };
  for (let i = 0; i <= daysBetween(start, today); i++) {
    const date = addDays(start, i);
    while (next < recorded.length && recorded[next]!.day <= date) denominators = recorded[next++]!;
    const entry = perDay.get(date);
    if (entry) {
      running.pupil += entry.pupil;
      running.guardian += entry.guardian;
    }
    const total = date === today ? { pupils: live.pupil, guardians: live.guardian } : denominators;
    days.push({ date, pupils: total.pupils, pupilsActivated: running.pupil, guardians: total.guardians, guardiansActivated: running.guardian });
  }
  return { schoolYearStart: start, today, days };
}
