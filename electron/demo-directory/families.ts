/**
 * Synthetic families: pupils (siblings share a family name), their legal guardians (NIVEAU_RESPONSABILITE 1) and
 * sometimes a person in charge (2) or a contact (3), with the CODE_PARENTE of DOMAIN.md.
 */
import type { GuardianData, LinkData, PostalAddress, PupilData, RelationshipCode } from '../../shared/directory/wire';
import type { MefEntry } from '../../shared/domain/mef';
import { addDays, parseDay, formatDay } from './dates';
import {
  BIRTH_CITIES,
  CITIES,
  EMAIL_DOMAINS,
  FEMALE_FIRST_NAMES,
  LAST_NAMES,
  MALE_FIRST_NAMES,
  STREETS,
  asciiSlug,
  type City,
} from './names';
import type { Random } from './random';

export interface Division {
  mef: MefEntry;
  code: string;
}

/** What the generator and the simulated life need to know to add a family to an establishment. */
export interface EstablishmentContext {
  uai: string;
  city: City;
  divisions: Division[];
  schoolYearStart: string;
  today: string;
  counters: { pupil: number; guardian: number; link: number; identityChange: number };
  ines: Set<string>;
}

export interface GeneratedPerson<T> {
  id: string;
  data: T;
}

export interface Family {
  pupils: GeneratedPerson<PupilData>[];
  guardians: GeneratedPerson<GuardianData>[];
  links: GeneratedPerson<LinkData>[];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export const pupilId = (uai: string, n: number) => `ele-${uai}-${pad(n, 6)}`;
export const guardianId = (uai: string, n: number) => `res-${uai}-${pad(n, 6)}`;
export const linkId = (uai: string, n: number) => `lien-${uai}-${pad(n, 7)}`;
/**
 * SIECLE's own ids (ELEVE_ID, PERSONNE_ID), unique within an establishment like the real ones: the directory carries
 * them because SIECLE feeds it. Derived from the counters, so adding them drew nothing from the random generator and
 * left the rest of the academy as it was.
 */
export const siecleEleveId = (n: number) => String(1_000_000 + n);
export const sieclePersonneId = (n: number) => String(2_000_000 + n);

function newIne(rng: Random, used: Set<string>): string {
  const bea = 'ABCDEFGHJKLMNPRSTUVWXYZ';
  for (;;) {
    const format = rng.weighted({ bea: 50, rnie: 30, base36: 17, provisional: 3 });
    let ine: string;
    if (format === 'bea') ine = rng.digits(10) + rng.pick([...bea]);
    else if (format === 'rnie') ine = rng.digits(9) + rng.pick([...'ABCDEFGHJK']) + rng.pick([...'ABCDEFGHJK']);
    else if (format === 'base36') {
      const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
      ine = Array.from({ length: 10 }, () => rng.pick([...alphabet])).join('') + rng.digits(1);
    } else ine = `${rng.digits(4)}D${rng.digits(5)}${rng.pick([...bea])}`;
    if (!used.has(ine)) {
      used.add(ine);
      return ine;
    }
  }
}

function birthDateFor(rng: Random, mef: MefEntry, schoolYearStart: string): string {
  // Late (repeated a year) 10 %, early (skipped a year) 4 %.
  const offset = rng.weighted({ normal: 86, late: 10, early: 4 });
  const year = Number(schoolYearStart.slice(0, 4)) - mef.normalAge - (offset === 'late' ? 1 : offset === 'early' ? -1 : 0);
  return addDays(`${year}-01-01`, rng.int(0, 364));
}

/** A valid-looking French mobile, sometimes written with spaces as SIECLE exports often do. */
function mobile(rng: Random): string {
  const digits = `0${rng.pick(['6', '7'])}${rng.digits(8)}`;
  return rng.chance(0.5) ? digits : digits.replace(/(\d{2})(?=\d)/g, '$1 ');
}

function email(rng: Random, firstName: string, lastName: string): string {
  const local = `${asciiSlug(firstName)}.${asciiSlug(lastName)}${rng.chance(0.4) ? rng.int(1, 99) : ''}`;
  return `${local}@${rng.pick(EMAIL_DOMAINS)}`;
}

/** Contact data as the school holds it: sometimes missing, now and then invalid (typos are part of the job). */
function contact(rng: Random, firstName: string, lastName: string): Pick<GuardianData, 'email' | 'mobile'> {
  const e = rng.weighted({ ok: 84, none: 13, invalid: 3 });
  const m = rng.weighted({ ok: 85, none: 12, invalid: 3 });
  const base = email(rng, firstName, lastName);
  return {
    email: e === 'ok' ? base : e === 'none' ? null : rng.chance(0.5) ? base.replace('@', '') : base.replace(/\.[a-z]+$/, ''),
    mobile: m === 'ok' ? mobile(rng) : m === 'none' ? null : rng.chance(0.5) ? `05 ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)}` : `06 ${rng.digits(2)} ${rng.digits(2)}`,
  };
}

function address(rng: Random, city: City): PostalAddress {
  return {
    line1: `${rng.int(1, 180)}${rng.chance(0.1) ? ' bis' : ''} ${rng.pick(STREETS)}`,
    line2: rng.chance(0.15) ? `Résidence ${rng.pick(['Les Tilleuls', 'Le Parc', 'Les Hauts de Garonne', 'Saint-Cyprien'])}, bât. ${rng.pick(['A', 'B', 'C'])}` : null,
    postalCode: city.postalCode,
    city: city.name.toUpperCase(),
    country: 'FRANCE',
  };
}

function adultBirthDate(rng: Random, schoolYearStart: string): string | null {
  if (rng.chance(0.15)) return null;
  const year = Number(schoolYearStart.slice(0, 4)) - rng.int(30, 58);
  return formatDay(parseDay(`${year}-01-01`) + rng.int(0, 364) * 86_400_000);
}

type GuardianRole = { civility: GuardianData['civility']; relationship: RelationshipCode; level: 1 | 2 | 3 };

export function generateFamily(ctx: EstablishmentContext, rng: Random, maxPupils: number): Family {
  const { uai } = ctx;
  const familyName = rng.chance(0.04) ? `${rng.pick(LAST_NAMES)}-${rng.pick(LAST_NAMES)}` : rng.pick(LAST_NAMES);
  const motherBirthName = rng.pick(LAST_NAMES);
  const childCount = Math.min(maxPupils, Number(rng.weighted({ 1: 68, 2: 24, 3: 8 })));
  const shape = rng.weighted({ couple: 58, separated: 25, singleMother: 9, singleFather: 3, tutor: 3, ase: 2 });
  const homeCity = rng.chance(0.7) ? ctx.city : rng.pick(CITIES);
  const homeAddress = address(rng, homeCity);

  const pupils: GeneratedPerson<PupilData>[] = [];
  for (let i = 0; i < childCount; i++) {
    const sex = rng.chance(0.5) ? 'F' : 'M';
    const names = sex === 'F' ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES;
    const division = rng.pick(ctx.divisions);
    const firstName2 = rng.chance(0.55) ? rng.pick(names) : null;
    const usesMotherName = shape !== 'singleFather' && rng.chance(0.03);
    ctx.counters.pupil += 1;
    const lateEntry = rng.chance(0.04);
    pupils.push({
      id: pupilId(uai, ctx.counters.pupil),
      data: {
        uai,
        ine: newIne(rng, ctx.ines),
        lastName: familyName,
        usageName: usesMotherName ? `${familyName} ${motherBirthName}` : null,
        firstName: rng.pick(names),
        firstName2,
        firstName3: firstName2 && rng.chance(0.25) ? rng.pick(names) : null,
        birthDate: birthDateFor(rng, division.mef, ctx.schoolYearStart),
        sex,
        birthCity: rng.chance(0.95) ? rng.pick(BIRTH_CITIES) : null,
        mef: division.mef.code,
        mefLabel: division.mef.label,
        division: division.code,
        entryDate: lateEntry && ctx.today > ctx.schoolYearStart ? addDays(ctx.schoolYearStart, rng.int(1, 40)) : ctx.schoolYearStart,
        leftDate: null,
        email: division.mef.code.startsWith('2') && rng.chance(0.3) ? email(rng, 'eleve', familyName) : null,
        sourceIds: { siecle: siecleEleveId(ctx.counters.pupil) },
      },
    });
  }

  const roles: GuardianRole[] = [];
  if (shape === 'couple' || shape === 'separated') {
    roles.push({ civility: 'Mme', relationship: '10', level: 1 }, { civility: 'M.', relationship: '20', level: 1 });
  } else if (shape === 'singleMother') roles.push({ civility: 'Mme', relationship: '10', level: 1 });
  else if (shape === 'singleFather') roles.push({ civility: 'M.', relationship: '20', level: 1 });
  else if (shape === 'tutor') roles.push({ civility: rng.chance(0.5) ? 'Mme' : 'M.', relationship: '50', level: 1 });
  else {
    roles.push({ civility: 'Mme', relationship: '10', level: 1 });
    roles.push({ civility: rng.chance(0.5) ? 'Mme' : 'M.', relationship: rng.pick(['51', '42', '41'] as const), level: 2 });
  }
  if (rng.chance(0.15)) roles.push({ civility: rng.chance(0.6) ? 'Mme' : 'M.', relationship: rng.pick(['38', '39', '37', '90'] as const), level: 3 });

  const guardians: GeneratedPerson<GuardianData>[] = [];
  const links: GeneratedPerson<LinkData>[] = [];
  for (const role of roles) {
    const isMother = role.relationship === '10';
    const isFather = role.relationship === '20';
    const married = shape === 'couple' && isMother && rng.chance(0.6);
    const lastName = isFather ? familyName : isMother ? motherBirthName : rng.pick(LAST_NAMES);
    const firstName = rng.pick(role.civility === 'Mme' ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES);
    const usageName = married ? familyName : isMother && shape === 'separated' && rng.chance(0.1) ? familyName : null;
    const separateHome = shape === 'separated' && isFather;
    ctx.counters.guardian += 1;
    const id = guardianId(uai, ctx.counters.guardian);
    guardians.push({
      id,
      data: {
        uai,
        civility: role.civility,
        lastName,
        usageName,
        firstName,
        birthDate: adultBirthDate(rng, ctx.schoolYearStart),
        ...contact(rng, firstName, usageName ?? lastName),
        phoneHome: rng.chance(0.25) ? `05 ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)}` : null,
        phoneWork: rng.chance(0.15) ? `05 ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)}` : null,
        address: role.level === 3 && rng.chance(0.5) ? null : separateHome ? address(rng, rng.pick(CITIES)) : homeAddress,
        sourceIds: { siecle: sieclePersonneId(ctx.counters.guardian) },
      },
    });
    for (const pupil of pupils) {
      ctx.counters.link += 1;
      links.push({
        id: linkId(uai, ctx.counters.link),
        data: {
          uai,
          guardianId: id,
          pupilId: pupil.id,
          level: role.level,
          relationship: role.relationship,
          financial: role.level === 1 && (shape !== 'separated' || isMother || rng.chance(0.5)),
          contact: true,
        },
      });
    }
  }
  return { pupils, guardians, links };
}
