/**
 * The year's evolution: the snapshots this workstation records after each sync (dated with the directory's date) and
 * the directory's own activation history for the days before them, merged day by day (a snapshot wins its day).
 */
import type { Database } from 'better-sqlite3';
import type { EvolutionPoint, StatsEvolution, StatsGroup } from '../../../shared/api/methods/stats';
import type { ActivationHistory } from '../../../shared/directory/wire';
import { rate, schoolYearStart } from '../../../shared/domain/stats';

export interface Snapshot {
  date: string;
  takenAt: string;
  figures: StatsGroup;
  expiredLetters: number;
}

/** Records the figures of one establishment on the directory's `date` (a later sync that day replaces them). */
export function recordSnapshot(db: Database, uai: string, snapshot: Snapshot): void {
  const f = snapshot.figures;
  db.prepare(
    `INSERT INTO stats_snapshots (uai, date, taken_at, pupils, pupils_activated, pupils_notified, guardians, guardians_activated,
       guardians_notified, families_activated, expired_letters) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (uai, date) DO UPDATE SET taken_at = excluded.taken_at, pupils = excluded.pupils,
       pupils_activated = excluded.pupils_activated, pupils_notified = excluded.pupils_notified, guardians = excluded.guardians,
       guardians_activated = excluded.guardians_activated, guardians_notified = excluded.guardians_notified,
       families_activated = excluded.families_activated, expired_letters = excluded.expired_letters`,
  ).run(
    uai, snapshot.date, snapshot.takenAt, f.pupils, f.pupilsActivated, f.pupilsNotified, f.guardians, f.guardiansActivated,
    f.guardiansNotified, f.familiesWithActivatedGuardian, snapshot.expiredLetters,
  );
}

/** Keeps the directory's history as received (each day replaced by the directory's latest word on it). */
export function recordDirectoryHistory(db: Database, uai: string, history: ActivationHistory): void {
  const put = db.prepare(
    `INSERT INTO stats_directory_days (uai, date, pupils, pupils_activated, guardians, guardians_activated) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (uai, date) DO UPDATE SET pupils = excluded.pupils, pupils_activated = excluded.pupils_activated,
       guardians = excluded.guardians, guardians_activated = excluded.guardians_activated`,
  );
  for (const d of history.days) put.run(uai, d.date, d.pupils, d.pupilsActivated, d.guardians, d.guardiansActivated);
}

/** The directory's date and the local time of the latest snapshot of each establishment (null: none yet). */
export function latestSnapshots(db: Database, uais: readonly string[]): Map<string, { date: string; takenAt: string } | null> {
  const stmt = db.prepare('SELECT date, taken_at AS takenAt FROM stats_snapshots WHERE uai = ? ORDER BY date DESC LIMIT 1');
  return new Map(uais.map((uai) => [uai, (stmt.get(uai) as { date: string; takenAt: string } | undefined) ?? null]));
}

type Row = Omit<EvolutionPoint, 'source'> & { source: EvolutionPoint['source'] };

/** One establishment's points in [from, to], a snapshot taking its day's place in the directory's history. */
function pointsOf(db: Database, uai: string, from: string, to: string): Map<string, Row> {
  const out = new Map<string, Row>();
  const days = db
    .prepare(
      `SELECT date, pupils, pupils_activated AS pupilsActivated, guardians, guardians_activated AS guardiansActivated
       FROM stats_directory_days WHERE uai = ? AND date BETWEEN ? AND ? ORDER BY date`,
    )
    .all(uai, from, to) as Omit<Row, 'source' | 'familiesWithActivatedGuardian'>[];
  for (const d of days) out.set(d.date, { ...d, familiesWithActivatedGuardian: null, source: 'directory' });
  const snapshots = db
    .prepare(
      `SELECT date, pupils, pupils_activated AS pupilsActivated, guardians, guardians_activated AS guardiansActivated,
         families_activated AS familiesWithActivatedGuardian FROM stats_snapshots WHERE uai = ? AND date BETWEEN ? AND ? ORDER BY date`,
    )
    .all(uai, from, to) as Omit<Row, 'source'>[];
  for (const s of snapshots) out.set(s.date, { ...s, source: 'snapshot' });
  return out;
}

/** The latest date any of these establishments has figures for. */
function lastDate(db: Database, uais: readonly string[]): string | null {
  const stmt = db
    .prepare('SELECT max(d) FROM (SELECT max(date) AS d FROM stats_snapshots WHERE uai = ? UNION ALL SELECT max(date) FROM stats_directory_days WHERE uai = ?)')
    .pluck();
  const dates = uais.map((uai) => stmt.get(uai, uai) as string | null).filter((d): d is string => d !== null);
  return dates.sort().at(-1) ?? null;
}

/**
 * The evolution of one or several establishments between `from` and `to` (by default the school year of the latest
 * figures). Several: the sum per day, on the days every one of them has a point (families only when all have theirs).
 */
export function evolution(
  db: Database,
  input: { uai: string | null; uais: readonly string[]; from?: string; to?: string; target: number },
): StatsEvolution {
  const last = lastDate(db, input.uais);
  const to = input.to ?? last;
  const empty: StatsEvolution = { uai: input.uai, uais: [...input.uais], schoolYearStart: null, from: null, to: null, points: [], comparison: null, target: input.target };
  if (to === null) return empty;
  const start = schoolYearStart(to);
  const from = input.from ?? start;
  const each = input.uais.map((uai) => pointsOf(db, uai, from, to));
  const dates = [...new Set(each.flatMap((m) => [...m.keys()]))].filter((date) => each.every((m) => m.has(date))).sort();
  const points: EvolutionPoint[] = dates.map((date) => {
    const rows = each.map((m) => m.get(date)!);
    const sum = (key: 'pupils' | 'pupilsActivated' | 'guardians' | 'guardiansActivated') => rows.reduce((n, r) => n + r[key], 0);
    const families = rows.every((r) => r.familiesWithActivatedGuardian !== null)
      ? rows.reduce((n, r) => n + r.familiesWithActivatedGuardian!, 0)
      : null;
    return {
      date,
      pupils: sum('pupils'),
      pupilsActivated: sum('pupilsActivated'),
      guardians: sum('guardians'),
      guardiansActivated: sum('guardiansActivated'),
      familiesWithActivatedGuardian: families,
      source: rows.every((r) => r.source === 'snapshot') ? 'snapshot' : 'directory',
    };
  });
  if (points.length === 0) return { ...empty, schoolYearStart: start, from, to };
  const first = points[0]!;
  const latest = points.at(-1)!;
  const change = (a: number | null, b: number | null) => (a === null || b === null ? null : b - a);
  return {
    uai: input.uai,
    uais: [...input.uais],
    schoolYearStart: start,
    from,
    to,
    points,
    comparison:
      points.length < 2
        ? null
        : {
            from: first,
            to: latest,
            pupilsActivated: latest.pupilsActivated - first.pupilsActivated,
            guardiansActivated: latest.guardiansActivated - first.guardiansActivated,
            pupilsRate: change(rate(first.pupilsActivated, first.pupils), rate(latest.pupilsActivated, latest.pupils)),
            guardiansRate: change(rate(first.guardiansActivated, first.guardians), rate(latest.guardiansActivated, latest.guardians)),
          },
    target: input.target,
  };
}
