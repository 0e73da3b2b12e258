/**
 * The dashboard's figures, read from the account projection's count tables (never a scan of the people):
 * - acc_facet_counts (rows per list and facet key, a few hundred per establishment): totals, activated, notified,
 *   families, and the levels;
 * - acc_group_counts (rows per MEF/classe value and facet key): the same per MEF and per class, summed in SQL;
 * - the expired letters: a range count on the partial index of notified accounts by letter expiry (migration 010).
 * Which facet keys count as activated, notified or "family with an activated guardian" comes from the projection's own
 * codec (facetPredicate, decodeFacetKey), so the rule stays `isActivatedState` whatever the key's layout.
 */
import type { Database } from 'better-sqlite3';
import type { StatsGroup, StatsSummary } from '../../../shared/api/methods/stats';
import {
  ACCOUNT_STATE_VALUES,
  LEVELS,
  LEVEL_LABELS,
  isActivatedState,
  type AccountKind,
  type Level,
} from '../../../shared/domain/accounts';
import { findMef } from '../../../shared/domain/mef';
import { compareDivisions, departmentLabel, departmentOf } from '../../../shared/domain/stats';
import { decodeFacetKey, facetPredicate, levelBit, type Clause } from '../accounts/facet-key';

const ACTIVATED_STATES = ACCOUNT_STATE_VALUES.filter((s) => isActivatedState(s));
const WITH_ACTIVATED_GUARDIAN = ['some', 'all'] as const;

export const emptyGroup = (): StatsGroup => ({
  pupils: 0,
  pupilsActivated: 0,
  pupilsNotified: 0,
  guardians: 0,
  guardiansActivated: 0,
  guardiansNotified: 0,
  familiesWithActivatedGuardian: 0,
});

/** Adds `n` people of one kind, whose facet key says activated/notified/family, to a group. */
function count(group: StatsGroup, kind: AccountKind, m: { total: number; activated: number; notified: number; families: number }): void {
  if (kind === 'pupil') {
    group.pupils += m.total;
    group.pupilsActivated += m.activated;
    group.pupilsNotified += m.notified;
    group.familiesWithActivatedGuardian += m.families;
  } else {
    group.guardians += m.total;
    group.guardiansActivated += m.activated;
    group.guardiansNotified += m.notified;
  }
}

export function addGroup(into: StatsGroup, g: StatsGroup): void {
  for (const key of Object.keys(into) as (keyof StatsGroup)[]) into[key] += g[key];
}

const hasPeople = (g: StatsGroup) => g.pupils + g.guardians > 0;

/** The figures of one establishment: its totals, levels, MEFs and classes. */
export interface EstablishmentFigures {
  uai: string;
  totals: StatsGroup;
  expiredLetters: { pupil: number; guardian: number };
  levels: Map<Level, StatsGroup>;
  mefs: Map<string, StatsGroup>;
  classes: Map<string, StatsGroup>;
}

const caseSum = (clause: Clause, as: string): Clause => ({ sql: `sum(CASE WHEN ${clause.sql} THEN n ELSE 0 END) AS ${as}`, params: clause.params });

/** The SQL sums of activated, notified and families over rows carrying `facet_key` and `n`. */
const MEASURES: Clause[] = [
  caseSum(facetPredicate('facet_key', { state: [...ACTIVATED_STATES] }), 'activated'),
  caseSum(facetPredicate('facet_key', { state: ['notifie'] }), 'notified'),
  caseSum(facetPredicate('facet_key', { family: [...WITH_ACTIVATED_GUARDIAN] }), 'families'),
];
const MEASURE_SQL = MEASURES.map((m) => m.sql).join(', ');
const MEASURE_PARAMS = MEASURES.flatMap((m) => m.params);

/** Letters count as expired when they expired before `asOf` (the directory's date of the figures). */
export function establishmentFigures(db: Database, uai: string, asOf: string): EstablishmentFigures {
  const out: EstablishmentFigures = {
    uai,
    totals: emptyGroup(),
    expiredLetters: { pupil: 0, guardian: 0 },
    levels: new Map(),
    mefs: new Map(),
    classes: new Map(),
  };
  // A few hundred facet keys: decoded here with the projection's codec.
  const keys = db.prepare('SELECT kind, facet_key AS k, n FROM acc_facet_counts WHERE uai = ?').all(uai) as { kind: AccountKind; k: number; n: number }[];
  for (const { kind, k, n } of keys) {
    const v = decodeFacetKey(k);
    const m = {
      total: n,
      activated: isActivatedState(v.state) ? n : 0,
      notified: v.state === 'notifie' ? n : 0,
      families: (WITH_ACTIVATED_GUARDIAN as readonly string[]).includes(v.family) ? n : 0,
    };
    count(out.totals, kind, m);
    for (const level of LEVELS) {
      if ((v.levels & levelBit(level)) === 0) continue;
      let group = out.levels.get(level);
      if (!group) out.levels.set(level, (group = emptyGroup()));
      count(group, kind, m);
    }
  }
  // Per MEF and class: summed in SQL (tens of thousands of rows for a large establishment).
  const groups = db
    .prepare(
      `SELECT kind, field, value, sum(n) AS total, ${MEASURE_SQL} FROM acc_group_counts
       WHERE uai = ? AND facet_key >= 0 GROUP BY kind, field, value`,
    )
    .all(...MEASURE_PARAMS, uai) as { kind: AccountKind; field: 'mef' | 'division'; value: string; total: number; activated: number; notified: number; families: number }[];
  for (const row of groups) {
    const map = row.field === 'mef' ? out.mefs : out.classes;
    let group = map.get(row.value);
    if (!group) map.set(row.value, (group = emptyGroup()));
    count(group, row.kind, row);
  }
  const expired = db.prepare(
    `SELECT count(*) FROM dir_accounts INDEXED BY dir_accounts_letter_expiry
     WHERE uai = ? AND person_kind = ? AND state = 'notifie' AND deleted = 0 AND json_extract(data, '$.letterExpiresAt') < ?`,
  ).pluck();
  out.expiredLetters.pupil = expired.get(uai, 'pupil', asOf) as number;
  out.expiredLetters.guardian = expired.get(uai, 'guardian', asOf) as number;
  return out;
}

/** The label of each MEF (as the directory gives it with its pupils; the national list otherwise). */
function mefLabels(db: Database, uais: readonly string[], mefs: Iterable<string>): Map<string, string | null> {
  const stmt = db
    .prepare("SELECT json_extract(data, '$.mefLabel') FROM dir_pupils WHERE uai = ? AND mef = ? AND deleted = 0 LIMIT 1")
    .pluck();
  const out = new Map<string, string | null>();
  for (const mef of mefs) {
    let label: string | null = null;
    for (const uai of uais) {
      label = (stmt.get(uai, mef) as string | null | undefined) ?? null;
      if (label) break;
    }
    out.set(mef, label ?? findMef(mef)?.label ?? null);
  }
  return out;
}

/** The MEF of a class: its pupils'. */
function classMef(db: Database): (uai: string, division: string) => string | null {
  const stmt = db.prepare('SELECT mef FROM dir_pupils WHERE uai = ? AND division = ? AND deleted = 0 LIMIT 1').pluck();
  return (uai, division) => (stmt.get(uai, division) as string | null | undefined) ?? null;
}

export interface SummaryContext {
  uai: string | null;
  uais: readonly string[];
  /** The directory's date of each establishment's figures (null: never recorded). */
  asOf: ReadonlyMap<string, { date: string; takenAt: string } | null>;
  /** The date letters are compared with when an establishment has none (this workstation's day). */
  today: string;
  target: number;
}

/** The summary over one or several establishments (see stats.summary). */
export function summarize(db: Database, ctx: SummaryContext): StatsSummary {
  const names = db.prepare('SELECT name FROM establishments WHERE uai = ?').pluck();
  const figures = ctx.uais.map((uai) => establishmentFigures(db, uai, ctx.asOf.get(uai)?.date ?? ctx.today));
  const totals = emptyGroup();
  const expired = { pupil: 0, guardian: 0 };
  const levels = new Map<Level, StatsGroup>();
  const mefs = new Map<string, StatsGroup>();
  const departments = new Map<string, { group: StatsGroup; establishments: number }>();
  const mefOf = classMef(db);
  const byClass: StatsSummary['byClass'] = [];
  const byEstablishment: StatsSummary['byEstablishment'] = [];
  for (const f of figures) {
    addGroup(totals, f.totals);
    expired.pupil += f.expiredLetters.pupil;
    expired.guardian += f.expiredLetters.guardian;
    for (const [level, g] of f.levels) addGroup(levels.get(level) ?? (levels.set(level, emptyGroup()), levels.get(level)!), g);
    for (const [mef, g] of f.mefs) addGroup(mefs.get(mef) ?? (mefs.set(mef, emptyGroup()), mefs.get(mef)!), g);
    const classes = [...f.classes].map(([division, g]) => ({ uai: f.uai, division, mef: mefOf(f.uai, division), ...g }));
    classes.sort((a, b) => (a.mef ?? '').localeCompare(b.mef ?? '') || compareDivisions(a.division, b.division));
    byClass.push(...classes);
    const department = departmentOf(f.uai);
    const d = departments.get(department) ?? (departments.set(department, { group: emptyGroup(), establishments: 0 }), departments.get(department)!);
    addGroup(d.group, f.totals);
    d.establishments += 1;
    byEstablishment.push({
      uai: f.uai,
      name: (names.get(f.uai) as string | undefined) ?? null,
      department,
      ...f.totals,
      expiredLetters: f.expiredLetters.pupil + f.expiredLetters.guardian,
      asOf: ctx.asOf.get(f.uai)?.date ?? null,
    });
  }
  const labels = mefLabels(db, ctx.uais, mefs.keys());
  const known = ctx.uais.flatMap((uai) => ctx.asOf.get(uai) ?? []);
  return {
    uai: ctx.uai,
    uais: [...ctx.uais],
    pupils: { total: totals.pupils, activated: totals.pupilsActivated, notified: totals.pupilsNotified, expiredLetters: expired.pupil },
    guardians: { total: totals.guardians, activated: totals.guardiansActivated, notified: totals.guardiansNotified, expiredLetters: expired.guardian },
    families: { total: totals.pupils, withActivatedGuardian: totals.familiesWithActivatedGuardian },
    byLevel: LEVELS.flatMap((level) => {
      const g = levels.get(level);
      return g && hasPeople(g) ? [{ level, label: LEVEL_LABELS[level], ...g }] : [];
    }),
    byMef: [...mefs]
      .filter(([, g]) => hasPeople(g))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([mef, g]) => ({ mef, label: labels.get(mef) ?? null, ...g })),
    byClass: byClass.filter(hasPeople),
    byEstablishment,
    byDepartment: [...departments]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([department, d]) => ({ department, label: departmentLabel(department), establishments: d.establishments, ...d.group })),
    target: ctx.target,
    asOf: known.map((d) => d.date).sort()[0] ?? null,
    syncedAt: known.map((d) => d.takenAt).sort()[0] ?? null,
  };
}
