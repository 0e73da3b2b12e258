/**
 * Simulated life on the directory's clock, one day at a time: activations along the school-year curve,
 * FranceConnect identity differences, self-service contact changes, lockouts and their end, arrivals and departures,
 * contacts removed (tombstones). Old tombstones are purged, which expires older cursors.
 */
import type { AccountData, GuardianData, IdentityChangeData, RecordType } from '../../shared/directory/wire';
import { activatedShare } from './activation-curve';
import { activate, drawActivationMethod } from './accounts';
import { addDays, addMonths, atSecond, daysBetween, parseDay, schoolYearStart } from './dates';
import { generateFamily, type EstablishmentContext } from './families';
import { divisionsFor, writeFamily, type FamilyWriter } from './generate';
import { franceConnectDifference, identityChangeId, selfServiceDifference } from './identity';
import { CITIES } from './names';
import { Random } from './random';
import type { DirectoryStore } from './store';

export interface AdvanceOptions {
  seed: number;
  days: number;
  retentionDays: number;
}

export interface AdvanceResult {
  today: string;
  activations: number;
  identityChanges: number;
  lockouts: number;
  arrivals: number;
  departures: number;
  deletions: number;
  purgedTombstones: number;
}

interface LiveEstablishment {
  ctx: EstablishmentContext;
  accounts: Map<string, AccountData>;
  guardians: Map<string, GuardianData>;
  pupils: Map<string, { leftDate: string | null }>;
  contactLinks: string[];
}

function load(store: DirectoryStore, uai: string, kind: 'ecole' | 'college' | 'lycee', cityName: string, ines: Set<string>): LiveEstablishment {
  const pupils = store.liveRows(uai, 'pupil');
  for (const p of pupils) ines.add(p.data.ine);
  const counters = JSON.parse(store.getMeta(`counters:${uai}`) ?? '{"pupil":0,"guardian":0,"link":0,"identityChange":0}') as EstablishmentContext['counters'];
  return {
    ctx: {
      uai,
      city: CITIES.find((c) => c.name === cityName) ?? CITIES[0]!,
      divisions: divisionsFor(kind, pupils.length),
      schoolYearStart: schoolYearStart(store.today),
      today: store.today,
      counters,
      ines,
    },
    accounts: new Map(store.liveRows(uai, 'account').map((r) => [r.id, r.data])),
    guardians: new Map(store.liveRows(uai, 'guardian').map((r) => [r.id, r.data])),
    pupils: new Map(pupils.map((p) => [p.id, { leftDate: p.data.leftDate }])),
    contactLinks: store.liveRows(uai, 'link').filter((l) => l.data.level === 3).map((l) => l.id),
  };
}

export function advanceLife(store: DirectoryStore, options: AdvanceOptions): AdvanceResult {
  const result: AdvanceResult = {
    today: store.today,
    activations: 0,
    identityChanges: 0,
    lockouts: 0,
    arrivals: 0,
    departures: 0,
    deletions: 0,
    purgedTombstones: 0,
  };
  store.transaction(() => {
    const ines = new Set<string>();
    const live = store.establishments().map((e) => load(store, e.uai, e.kind, e.city, ines));
    const logins = new Set<string>();
    for (const e of live) for (const a of e.accounts.values()) logins.add(a.login);

    for (let d = 0; d < options.days; d++) {
      const today = addDays(store.today, 1);
      store.setToday(today);
      result.today = today;
      const rng = new Random(Math.imul(options.seed, 7919) ^ (parseDay(today) / 86_400_000));
      for (const e of live) simulateDay(store, e, today, rng, logins, result);
      result.purgedTombstones += store.purgeTombstones(addDays(today, -options.retentionDays));
    }
    for (const e of live) store.setMeta(`counters:${e.ctx.uai}`, JSON.stringify(e.ctx.counters));
  });
  return result;
}

function putAccount(store: DirectoryStore, e: LiveEstablishment, id: string, data: AccountData): void {
  store.put(e.ctx.uai, 'account', id, data);
  e.accounts.set(id, data);
}

function addIdentityChange(
  store: DirectoryStore,
  e: LiveEstablishment,
  data: Pick<IdentityChangeData, 'personKind' | 'personId' | 'field' | 'previousValue' | 'newValue' | 'source' | 'detectedAt'>,
  result: AdvanceResult,
): void {
  e.ctx.counters.identityChange += 1;
  store.put(e.ctx.uai, 'identityChange', identityChangeId(e.ctx.uai, e.ctx.counters.identityChange), {
    ...data,
    uai: e.ctx.uai,
    status: 'open',
  });
  result.identityChanges += 1;
}

function simulateDay(store: DirectoryStore, e: LiveEstablishment, today: string, rng: Random, logins: Set<string>, result: AdvanceResult): void {
  const { uai } = e.ctx;
  e.ctx.today = today;
  const yearStart = schoolYearStart(today);
  e.ctx.schoolYearStart = yearStart;
  const elapsed = daysBetween(yearStart, today) + 1;
  const startOfDay = atSecond(today, 0);

  // Activations along the curve.
  for (const kind of ['pupil', 'guardian'] as const) {
    const all = [...e.accounts.entries()].filter(([, a]) => a.personKind === kind && a.state !== 'supprime');
    const activated = all.filter(([, a]) => a.activatedAt !== null).length;
    // Pupils activate with their letter; guardians also without one (FranceConnect, SMS auto-inscription).
    const candidates = all.filter(
      ([, a]) => a.activatedAt === null && (a.state === 'notifie' || (kind === 'guardian' && a.state === 'non_notifie')),
    );
    let missing = Math.round(activatedShare(kind, elapsed) * all.length) - activated;
    while (missing-- > 0 && candidates.length > 0) {
      const [id, account] = candidates.splice(rng.int(0, candidates.length - 1), 1)[0]!;
      const method =
        account.state === 'non_notifie' ? rng.pick(['franceconnect', 'autoinscription'] as const) : kind === 'pupil' ? 'courrier' : drawActivationMethod(rng, kind);
      const next = activate(rng, account, today, method);
      putAccount(store, e, id, next);
      result.activations += 1;
      const guardian = e.guardians.get(account.personId);
      if (kind === 'guardian' && next.activationMethod === 'franceconnect' && guardian && rng.chance(0.08)) {
        addIdentityChange(store, e, { personKind: 'guardian', personId: account.personId, ...franceConnectDifference(rng, guardian), source: 'franceconnect', detectedAt: next.activatedAt! }, result);
      }
    }
  }

  for (const [id, account] of e.accounts) {
    if (account.state === 'non_notifie' && rng.chance(0.03)) {
      const notifiedAt = atSecond(today, rng.int(8 * 3600, 17 * 3600));
      putAccount(store, e, id, { ...account, state: 'notifie', notifiedAt, letterExpiresAt: addMonths(notifiedAt, 3) });
    } else if (account.state === 'bloque' && account.lockedUntil !== null && account.lockedUntil < startOfDay) {
      putAccount(store, e, id, { ...account, state: account.activatedAt ? 'active' : 'notifie', lockedUntil: null });
    } else if (account.state === 'active' && rng.chance(0.0005)) {
      putAccount(store, e, id, { ...account, state: 'bloque', lockedUntil: atSecond(addDays(today, 1), rng.int(0, 86_399)) });
      result.lockouts += 1;
    } else if (account.state === 'active' && account.personKind === 'guardian' && rng.chance(0.001)) {
      const guardian = e.guardians.get(account.personId);
      if (!guardian) continue;
      const diff = selfServiceDifference(rng, guardian, account);
      const field = diff.field as 'email' | 'mobile';
      putAccount(store, e, id, { ...account, [field]: diff.newValue, [`${field}Confirmed`]: true });
      addIdentityChange(store, e, { personKind: 'guardian', personId: account.personId, ...diff, source: 'self_service', detectedAt: atSecond(today, rng.int(0, 86_399)) }, result);
    }
  }

  // A pupil leaves now and then; a new family arrives now and then; a contact (level 3) is removed now and then.
  for (const [id, pupil] of e.pupils) {
    if (pupil.leftDate === null && rng.chance(0.0003)) {
      const current = store.getLive(uai, 'pupil', id);
      if (!current) continue;
      store.put(uai, 'pupil', id, { ...current.data, leftDate: today });
      pupil.leftDate = today;
      result.departures += 1;
    }
  }
  if (rng.chance(0.3)) {
    const family = generateFamily(e.ctx, rng, 2);
    const write: FamilyWriter = (type: Exclude<RecordType, 'settings'>, id, data) => {
      store.put(uai, type, id, data as never);
      if (type === 'account') e.accounts.set(id, data as AccountData);
      if (type === 'guardian') e.guardians.set(id, data as GuardianData);
    };
    writeFamily(e.ctx, rng, family, logins, write, false);
    for (const p of family.pupils) e.pupils.set(p.id, { leftDate: null });
    for (const l of family.links) if (l.data.level === 3) e.contactLinks.push(l.id);
    result.arrivals += family.pupils.length;
  }
  if (e.contactLinks.length > 0 && rng.chance(0.2)) {
    const [id] = e.contactLinks.splice(rng.int(0, e.contactLinks.length - 1), 1);
    if (id && store.remove(uai, 'link', id)) result.deletions += 1;
  }
  store.recordDailyTotals(uai, today, accountTotals(e.accounts.values()));
}

/** The accounts of each kind (the activation history's denominators). */
export function accountTotals(accounts: Iterable<AccountData>): { pupils: number; guardians: number } {
  const totals = { pupils: 0, guardians: 0 };
  for (const a of accounts) totals[a.personKind === 'pupil' ? 'pupils' : 'guardians'] += 1;
  return totals;
}
