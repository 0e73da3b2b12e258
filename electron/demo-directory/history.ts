/** The daily activation history of an establishment since Sept 1, computed from the accounts' activation dates. */
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
  const totals = { pupil: 0, guardian: 0 };
  const perDay = new Map<string, { pupil: number; guardian: number }>();
  let before = { pupil: 0, guardian: 0 };
  for (const r of rows) {
    totals[r.kind] += r.n;
    if (r.day === null) continue;
    if (r.day < start) before = { ...before, [r.kind]: before[r.kind] + r.n };
    else {
      const entry = perDay.get(r.day) ?? { pupil: 0, guardian: 0 };
      entry[r.kind] += r.n;
      perDay.set(r.day, entry);
    }
  }
  const days: ActivationHistory['days'] = [];
  const running = { ...before };
  for (let i = 0; i <= daysBetween(start, today); i++) {
    const date = addDays(start, i);
    const entry = perDay.get(date);
    if (entry) {
      running.pupil += entry.pupil;
      running.guardian += entry.guardian;
    }
    days.push({ date, pupils: totals.pupil, pupilsActivated: running.pupil, guardians: totals.guardian, guardiansActivated: running.guardian });
  }
  return { schoolYearStart: start, days };
}
