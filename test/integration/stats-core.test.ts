/**
 * stats.summary, stats.evolution, stats.callList and stats.setTarget through the real dispatcher of a real core, on the
 * demo directory over HTTP: the figures against a reference computed from the mirror's raw rows, the operator-wide
 * view, the year's evolution as the directory's clock moves on (POST /admin/advance), and the call list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/errors';
import type { StatsGroup } from '../../shared/api/methods/stats';
import { rate } from '../../shared/domain/stats';
import { openStatsEnv, referenceFigures, type ReferenceGroup, type StatsEnv } from './stats-helpers';

let env: StatsEnv;

beforeAll(async () => {
  env = await openStatsEnv({ establishments: 2, pupils: 150, today: '2026-10-01' });
}, 60_000);

afterAll(async () => {
  await env?.close();
});

const pick = (g: StatsGroup): ReferenceGroup => ({
  pupils: g.pupils,
  pupilsActivated: g.pupilsActivated,
  pupilsNotified: g.pupilsNotified,
  guardians: g.guardians,
  guardiansActivated: g.guardiansActivated,
  guardiansNotified: g.guardiansNotified,
  familiesWithActivatedGuardian: g.familiesWithActivatedGuardian,
});

describe('stats.summary', () => {
  it('equals the figures computed from the raw mirror rows, per establishment and per class, with the directory’s date', async () => {
    for (const uai of env.uais) {
      const summary = await env.call('stats.summary', { uai });
      const ref = referenceFigures(env.core.db, uai);
      expect(summary.asOf).toBe('2026-10-01');
      expect(summary.pupils).toMatchObject({ total: ref.totals.pupils, activated: ref.totals.pupilsActivated, notified: ref.totals.pupilsNotified });
      expect(summary.guardians).toMatchObject({ total: ref.totals.guardians, activated: ref.totals.guardiansActivated, notified: ref.totals.guardiansNotified });
      expect(summary.families).toEqual({ total: ref.totals.pupils, withActivatedGuardian: ref.totals.familiesWithActivatedGuardian });
      expect(summary.pupils.expiredLetters + summary.guardians.expiredLetters).toBe(ref.expired('2026-10-01'));
      expect(summary.pupils.activated).toBeGreaterThan(0);
      expect(Object.fromEntries(summary.byClass.map((c) => [c.division, pick(c)]))).toEqual(Object.fromEntries(ref.classes));
      // Rates as the dashboard shows them: from the same counts.
      expect(rate(summary.pupils.activated, summary.pupils.total)).toBeCloseTo(ref.totals.pupilsActivated / ref.totals.pupils, 12);
      // Levels and MEFs partition the pupils.
      expect(summary.byLevel.reduce((n, l) => n + l.pupils, 0)).toBe(summary.pupils.total);
      expect(summary.byMef.reduce((n, m) => n + m.pupilsActivated, 0)).toBe(summary.pupils.activated);
      expect(summary.byMef.every((m) => m.label !== null)).toBe(true);
      expect(summary.byEstablishment).toHaveLength(1);
      expect(summary.target).toBe(0.8);
    }
  });

  it('without uai: every establishment of the operator, by establishment and by department (first 3 characters of the UAI)', async () => {
    const all = await env.call('stats.summary', {});
    expect(all.uai).toBeNull();
    expect([...all.uais].sort()).toEqual([...env.uais].sort());
    const singles = await Promise.all(env.uais.map((uai) => env.call('stats.summary', { uai })));
    expect(all.pupils.total).toBe(singles.reduce((n, s) => n + s.pupils.total, 0));
    expect(all.guardians.activated).toBe(singles.reduce((n, s) => n + s.guardians.activated, 0));
    for (const single of singles) {
      const row = all.byEstablishment.find((e) => e.uai === single.uai)!;
      expect(row).toMatchObject({ pupils: single.pupils.total, pupilsActivated: single.pupils.activated, department: single.uai!.slice(0, 3) });
      expect(row.name).toBeTruthy();
    }
    expect(all.byDepartment.reduce((n, d) => n + d.establishments, 0)).toBe(env.uais.length);
    expect(all.byDepartment.reduce((n, d) => n + d.guardians, 0)).toBe(all.guardians.total);
    expect(all.byDepartment[0]!.label).toMatch(/\(\d{3}\)$/);
    // MEF codes are national: summed across establishments.
    for (const mef of all.byMef) {
      expect(mef.pupils).toBe(singles.reduce((n, s) => n + (s.byMef.find((m) => m.mef === mef.mef)?.pupils ?? 0), 0));
    }
    expect(all.byClass.length).toBe(singles.reduce((n, s) => n + s.byClass.length, 0));
  });
});

describe('stats.evolution', () => {
  it('shows activation rising as the directory’s clock moves on, each sync recorded on the directory’s date', async () => {
    const uai = env.uais[0]!;
    const first = await env.call('stats.evolution', { uai });
    expect(first.schoolYearStart).toBe('2026-09-01');
    // The directory's history covers the days before this workstation's first sync; the sync day is a snapshot.
    expect(first.points[0]!.date).toBe('2026-09-01');
    expect(first.points.at(-1)).toMatchObject({ date: '2026-10-01', source: 'snapshot' });
    expect(first.points.slice(0, -1).every((p) => p.source === 'directory' && p.familiesWithActivatedGuardian === null)).toBe(true);

    const dates: string[] = [];
    for (const days of [15, 30, 45]) {
      dates.push(await env.advance(days));
      await env.sync();
    }
    expect(dates).toEqual(['2026-10-16', '2026-11-15', '2026-12-30']);
    const evolution = await env.call('stats.evolution', { uai });
    const snapshots = evolution.points.filter((p) => p.source === 'snapshot');
    expect(snapshots.map((p) => p.date)).toEqual(['2026-10-01', ...dates]);
    const rates = snapshots.map((p) => p.pupilsActivated / p.pupils);
    for (let i = 1; i < rates.length; i++) expect(rates[i]!).toBeGreaterThan(rates[i - 1]!);
    const guardianRates = snapshots.map((p) => p.guardiansActivated / p.guardians);
    expect(guardianRates.at(-1)!).toBeGreaterThan(guardianRates[0]!);
    // Every day of the year so far, the days between syncs from the directory's history.
    expect(evolution.points).toHaveLength(121);
    expect(evolution.to).toBe('2026-12-30');
    // The latest snapshot is the dashboard's figures.
    const summary = await env.call('stats.summary', { uai });
    expect(summary.asOf).toBe('2026-12-30');
    expect(snapshots.at(-1)).toMatchObject({ pupils: summary.pupils.total, pupilsActivated: summary.pupils.activated, familiesWithActivatedGuardian: summary.families.withActivatedGuardian });
    // « Du … au … »
    const range = await env.call('stats.evolution', { uai, from: '2026-10-01', to: '2026-11-15' });
    expect(range.points[0]!.date).toBe('2026-10-01');
    expect(range.points.at(-1)!.date).toBe('2026-11-15');
    expect(range.comparison!.from.date).toBe('2026-10-01');
    expect(range.comparison!.pupilsActivated).toBe(range.points.at(-1)!.pupilsActivated - range.points[0]!.pupilsActivated);
    expect(range.comparison!.pupilsRate!).toBeGreaterThan(0);
    // Several establishments: summed per day.
    const all = await env.call('stats.evolution', {});
    const last = all.points.at(-1)!;
    const each = await Promise.all(env.uais.map((u) => env.call('stats.evolution', { uai: u })));
    expect(last.pupilsActivated).toBe(each.reduce((n, e) => n + e.points.at(-1)!.pupilsActivated, 0));
  }, 120_000);

  it('the directory’s history gives each past day that day’s accounts, not today’s', async () => {
    const uai = env.uais[0]!;
    const history = await (await env.core.directory.ensureClient()).activationHistory(uai);
    expect(history!.today).toBe('2026-12-30');
    const byDate = new Map(history!.days.map((d) => [d.date, d]));
    // Families arrive during the simulated life: the accounts grow after the generation day.
    expect(byDate.get('2026-12-30')!.pupils).toBeGreaterThanOrEqual(byDate.get('2026-10-01')!.pupils);
    expect(history!.days.some((d) => d.pupils !== history!.days.at(-1)!.pupils || d.guardians !== history!.days.at(-1)!.guardians)).toBe(true);
    for (const d of history!.days) expect(d.pupilsActivated).toBeLessThanOrEqual(d.pupils);
  });
});

describe('stats.callList', () => {
  it('lists pupils not activated and families without an activated legal guardian, sortable by class', async () => {
    const uai = env.uais[0]!;
    const pupils = await env.call('stats.callList', { uai, kind: 'pupil', limit: 500 });
    const summary = await env.call('stats.summary', { uai });
    expect(pupils.total).toBeGreaterThan(0);
    expect(pupils.rows.every((r) => ['non_notifie', 'notifie'].includes(r.state))).toBe(true);
    expect(pupils.total).toBeLessThanOrEqual(summary.pupils.total - summary.pupils.activated);
    const divisions = pupils.rows.map((r) => r.division ?? '');
    expect(divisions).toEqual([...divisions].sort((a, b) => a.localeCompare(b)));
    const desc = await env.call('stats.callList', { uai, kind: 'pupil', sort: { field: 'division', direction: 'desc' }, limit: 5 });
    expect(desc.rows[0]!.division! >= divisions.at(-1)!).toBe(true);
    const families = await env.call('stats.callList', { uai, kind: 'family', limit: 500 });
    expect(families.total).toBeGreaterThan(0);
    expect(families.rows.every((r) => r.children.length > 0)).toBe(true);
    expect(families.contactsWithheld).toBe(false);
    expect(families.rows.some((r) => r.mobile !== null && r.mobileStatus !== null)).toBe(true);
    // The same rows as the Comptes list with the same filters.
    const accounts = await env.call('accounts.search', { kind: 'guardian', uai, filters: { family: ['none'], state: ['non_notifie', 'notifie'] }, limit: 1 });
    expect(families.total).toBe(accounts.total);
  });

  it('gives no email or mobile when the establishment does not allow direct communication with families', async () => {
    const uai = env.uais[1]!;
    await env.call('settings.update', { uai, patch: { directCommunication: false } });
    const list = await env.call('stats.callList', { uai, kind: 'family', limit: 50 });
    expect(list.contactsWithheld).toBe(true);
    expect(list.rows.every((r) => r.email === null && r.mobile === null && r.emailStatus === null && r.mobileStatus === null)).toBe(true);
    await env.call('settings.update', { uai, patch: { directCommunication: true } });
    expect((await env.call('stats.callList', { uai, kind: 'family', limit: 5 })).contactsWithheld).toBe(false);
  });
});

describe('stats.setTarget', () => {
  it('changes the target line of the dashboard and the evolution; out of range is refused', async () => {
    expect(await env.call('stats.setTarget', { target: 0.65 })).toEqual({ target: 0.65 });
    expect((await env.call('stats.summary', { uai: env.uais[0] })).target).toBe(0.65);
    expect((await env.call('stats.evolution', { uai: env.uais[0] })).target).toBe(0.65);
    const refused = await env.call('stats.setTarget', { target: 1.5 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe('INVALID_INPUT');
    await env.call('stats.setTarget', { target: 0.8 });
  });
});

describe('several establishments with different rights', () => {
  it('without uai: only the establishments where the operator holds statistics; the others are refused', async () => {
    const [a, b] = env.uais as [string, string];
    env.directory.store.insertOperator({ login: 'delegue.deux', password: 'deux-delegue', displayName: 'Délégué de deux établissements', role: 'delegue', uais: [a, b] });
    await env.call('delegations.grant', { uai: a, login: 'delegue.deux', rights: ['statistics'] });
    env.core.governance.auth.signOut();
    await env.call('auth.signIn', { login: 'delegue.deux', password: 'deux-delegue' });
    try {
      const all = await env.call('stats.summary', {});
      expect(all.uais).toEqual([a]);
      expect(all.byEstablishment.map((e) => e.uai)).toEqual([a]);
      expect((await env.call('stats.evolution', {})).uais).toEqual([a]);
      const refused = (await env.call('stats.summary', { uai: b }).catch((e: unknown) => e)) as ApiError;
      expect(refused.code).toBe('FORBIDDEN');
      expect(((await env.call('stats.callList', { uai: b, kind: 'pupil' }).catch((e: unknown) => e)) as ApiError).code).toBe('FORBIDDEN');
      const path = `${env.dataDir}/delegue.xlsx`;
      await env.call('stats.exportXlsx', { path });
      const entry = env.core.db.prepare("SELECT after FROM audit_log WHERE method = 'stats.exportXlsx' AND target_id = ?").pluck().get(path) as string;
      expect(JSON.parse(entry)).toMatchObject({ establishments: [a] });
    } finally {
      env.core.governance.auth.signOut();
      const op = env.directory.operators.find((o) => o.login === 'multi.demo')!;
      await env.call('auth.signIn', { login: op.login, password: op.password });
    }
  });
});
