/**
 * Generates a reproducible synthetic academy into a directory store: establishments with valid UAIs, families,
 * accounts in every state, a few pending identity changes, settings and the demo operators.
 * One transaction, prepared statements: 10,000 pupils take a few seconds.
 */
import type { DirectoryStore, DemoOperator } from './store';
import { DEMO_OPERATORS } from '../../shared/directory/demo-operators';
import type { Establishment, SettingsData } from '../../shared/directory/wire';
import { uaiCheckLetter } from '../../shared/domain/identifiers';
import { COLLEGE_MEFS, LYCEE_MEFS } from '../../shared/domain/mef';
import { accountId, initialAccountState, newAccount } from './accounts';
import { atSecond, daysBetween, addDays, schoolYearStart } from './dates';
import { generateFamily, type Division, type EstablishmentContext, type Family } from './families';
import { franceConnectDifference, identityChangeId } from './identity';
import { CITIES, PATRONS } from './names';
import { Random } from './random';

export interface GenerateOptions {
  seed: number;
  establishments: number;
  /** Pupils per establishment. */
  pupils: number;
  /** The simulated "today" (YYYY-MM-DD) the data is generated for. */
  today: string;
}

export const ACADEMY = 'Toulouse';
export const CLASS_SIZE = 28;

function establishmentFor(rng: Random, index: number, used: Set<string>): Establishment {
  const kind = index % 3 === 1 ? 'lycee' : 'college';
  const city = index === 0 ? CITIES[0]! : rng.pick(CITIES);
  let uai: string;
  do {
    const digits = `${city.department}${rng.digits(4)}`;
    uai = digits + uaiCheckLetter(digits);
  } while (used.has(uai));
  used.add(uai);
  const isPrivate = index % 5 === 3;
  const patron = rng.pick(PATRONS);
  const name = isPrivate
    ? `${kind === 'lycee' ? 'Lycée privé' : 'Collège privé'} ${rng.pick(['Sainte-Marie', 'Saint-Joseph', 'Notre-Dame', 'Saint-Exupéry'])}`
    : `${kind === 'lycee' ? 'Lycée' : 'Collège'} ${patron}`;
  return { uai, name, kind, isPrivate, city: city.name, academy: ACADEMY };
}

export function divisionsFor(kind: Establishment['kind'], pupils: number): Division[] {
  const mefs = kind === 'lycee' ? LYCEE_MEFS : COLLEGE_MEFS;
  const perLevel = Math.max(1, Math.ceil(pupils / mefs.length / CLASS_SIZE));
  return mefs.flatMap((mef) =>
    Array.from({ length: perLevel }, (_, i) => ({
      mef,
      // Collège classes are lettered (6A, 6B…), lycée classes numbered (2NDE1, 1G2…).
      code: kind === 'lycee' ? `${mef.divisionPrefix}${i + 1}` : `${mef.divisionPrefix}${String.fromCharCode(65 + (i % 26))}${i >= 26 ? Math.floor(i / 26) : ''}`,
    })),
  );
}

export function defaultSettings(e: Establishment): SettingsData {
  return {
    uai: e.uai,
    services: e.isPrivate
      ? ['certificat_scolarite', 'changement_coordonnees', 'lsu']
      : ['certificat_scolarite', 'droit_image', 'autorisation_sortie', 'paiement', 'lsu', 'changement_coordonnees', 'bourses',
          ...(e.kind === 'lycee' ? (['orientation', 'lsl'] as const) : (['voeux_affectation', 'orientation'] as const))],
    directCommunication: !e.isPrivate,
    letterHeader: `${e.name}\n${e.city}`,
    helpContact: { address: `Secrétariat, ${e.name}, ${e.city}`, phone: '05 61 00 00 00', hours: 'Du lundi au vendredi, 8 h 30 – 12 h et 13 h 30 – 17 h' },
  };
}

/** Writes the family's people, links and accounts; shared by the generator and the simulated life's arrivals. */
export type FamilyWriter = (type: 'pupil' | 'guardian' | 'link' | 'account' | 'identityChange', id: string, data: unknown) => void;

export function writeFamily(
  ctx: EstablishmentContext,
  rng: Random,
  family: Family,
  logins: Set<string>,
  write: FamilyWriter,
  initialState: boolean,
): void {
  for (const p of family.pupils) {
    write('pupil', p.id, p.data);
    const account = newAccount(rng, ctx.uai, { personKind: 'pupil', personId: p.id, ...p.data, lastName: p.data.usageName ?? p.data.lastName, mobile: null }, logins);
    write('account', accountId(p.id), initialState ? initialAccountState(rng, account, ctx.schoolYearStart, ctx.today) : account);
  }
  const legal = new Set(family.links.filter((l) => l.data.level === 1).map((l) => l.data.guardianId));
  for (const g of family.guardians) {
    write('guardian', g.id, g.data);
    if (!legal.has(g.id)) continue; // only legal guardians hold an EduConnect account
    const base = newAccount(rng, ctx.uai, { personKind: 'guardian', personId: g.id, ...g.data, lastName: g.data.usageName ?? g.data.lastName }, logins);
    const account = initialState ? initialAccountState(rng, base, ctx.schoolYearStart, ctx.today) : base;
    write('account', accountId(g.id), account);
    if (initialState && account.activationMethod === 'franceconnect' && rng.chance(0.04) && account.activatedAt) {
      ctx.counters.identityChange += 1;
      write('identityChange', identityChangeId(ctx.uai, ctx.counters.identityChange), {
        uai: ctx.uai,
        personKind: 'guardian',
        personId: g.id,
        ...franceConnectDifference(rng, g.data),
        source: 'franceconnect',
        detectedAt: account.activatedAt,
        status: rng.weighted({ open: 70, accepted: 20, rejected: 10 }),
      });
    }
  }
  for (const l of family.links) write('link', l.id, l.data);
}

export interface GeneratedAcademy {
  establishments: Establishment[];
  operators: DemoOperator[];
}

export function generateAcademy(store: DirectoryStore, options: GenerateOptions): GeneratedAcademy {
  const root = new Random(options.seed);
  const yearStart = schoolYearStart(options.today);
  const usedUais = new Set<string>();
  const logins = new Set<string>();
  const ines = new Set<string>();
  const establishments: Establishment[] = [];

  store.transaction(() => {
    store.setToday(options.today);
    store.setMeta('seed', String(options.seed));
    for (let index = 0; index < options.establishments; index++) {
      const rng = root.fork(index + 1);
      const e = establishmentFor(rng, index, usedUais);
      establishments.push(e);
      store.insertEstablishment(e);
      const ctx: EstablishmentContext = {
        uai: e.uai,
        city: CITIES.find((c) => c.name === e.city)!,
        divisions: divisionsFor(e.kind, options.pupils),
        schoolYearStart: yearStart,
        today: options.today,
        counters: { pupil: 0, guardian: 0, link: 0, identityChange: 0 },
        ines,
      };
      const write: FamilyWriter = (type, id, data) => store.insertNew(e.uai, type, id, data);
      while (ctx.counters.pupil < options.pupils) {
        writeFamily(ctx, rng, generateFamily(ctx, rng, options.pupils - ctx.counters.pupil), logins, write, true);
      }
      // A few self-service contact changes already waiting for the head's decision. The guardian made them in
      // EduConnect, so the account holds the new value (confirmed), as life.ts does for later ones.
      const pending = Math.max(1, Math.round(options.pupils / 400));
      for (let i = 0; i < pending; i++) {
        const gid = `res-${e.uai}-${String(rng.int(1, ctx.counters.guardian)).padStart(6, '0')}`;
        const guardian = store.getLive(e.uai, 'guardian', gid);
        const account = store.getLive(e.uai, 'account', accountId(gid));
        if (!guardian || !account) continue;
        ctx.counters.identityChange += 1;
        const field = rng.chance(0.5) ? 'email' : 'mobile';
        const newValue = field === 'email' ? `nouvelle.adresse${i}@laposte.net` : `07${rng.digits(8)}`;
        store.put(e.uai, 'account', accountId(gid), { ...account.data, [field]: newValue, [`${field}Confirmed`]: true });
        store.insertNew(e.uai, 'identityChange', identityChangeId(e.uai, ctx.counters.identityChange), {
          uai: e.uai,
          personKind: 'guardian',
          personId: gid,
          field,
          previousValue: guardian.data[field],
          newValue,
          source: 'self_service',
          detectedAt: atSecond(addDays(options.today, -rng.int(0, Math.min(20, daysBetween(yearStart, options.today)))), rng.int(0, 86_399)),
          status: 'open',
        });
      }
      store.insertNew(e.uai, 'settings', `param-${e.uai}`, defaultSettings(e));
      store.recordDailyTotals(e.uai, options.today, store.accountTotals(e.uai));
      store.setMeta(`counters:${e.uai}`, JSON.stringify(ctx.counters));
    }
    for (const o of demoOperators(establishments)) store.insertOperator(o);
    store.setMeta('generated', '1');
  });
  return { establishments, operators: store.operators() };
}

function demoOperators(establishments: Establishment[]): DemoOperator[] {
  const all = establishments.map((e) => e.uai);
  return DEMO_OPERATORS.map(({ uais, ...o }) => ({ ...o, uais: uais === 'all' ? all : all.slice(0, 1) }));
}
