/**
 * EduConnect accounts of pupils and legal guardians: logins, and the state of each account on a given day, drawn so
 * that the establishment sits on the school-year activation curve with every state represented.
 */
import type { AccountData, ActivationMethod, PersonKind } from '../../shared/directory/wire';
import { activatedShare, dayOfShare } from './activation-curve';
import { addDays, addMonths, atSecond, daysBetween } from './dates';
import { asciiSlug } from './names';
import type { Random } from './random';

export const accountId = (personId: string) => `cpt-${personId}`;

/** "Marie-Ève Lefèvre" → "m.lefevre12", unique among `used`. */
export function newLogin(rng: Random, firstName: string, lastName: string, used: Set<string>): string {
  const base = `${asciiSlug(firstName).slice(0, 1) || 'x'}.${asciiSlug(lastName).slice(0, 20) || 'compte'}`;
  for (let width = 2; ; width++) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const login = `${base}${rng.int(10 ** (width - 1), 10 ** width - 1)}`;
      if (!used.has(login)) {
        used.add(login);
        return login;
      }
    }
  }
}

export interface AccountPerson {
  personKind: PersonKind;
  personId: string;
  firstName: string;
  lastName: string;
  email: string | null;
  mobile: string | null;
}

/** A fresh account: created from the school's data, never handed out. */
export function newAccount(rng: Random, uai: string, person: AccountPerson, logins: Set<string>): AccountData {
  return {
    uai,
    personKind: person.personKind,
    personId: person.personId,
    login: newLogin(rng, person.firstName, person.lastName, logins),
    state: 'non_notifie',
    notifiedAt: null,
    letterExpiresAt: null,
    activatedAt: null,
    activationMethod: null,
    lastLoginAt: null,
    lockedUntil: null,
    email: person.email,
    emailConfirmed: false,
    mobile: person.personKind === 'guardian' ? person.mobile : null,
    mobileConfirmed: false,
  };
}

export function drawActivationMethod(rng: Random, kind: PersonKind): ActivationMethod {
  return kind === 'pupil'
    ? rng.weighted({ courrier: 92, transition: 8 })
    : rng.weighted({ franceconnect: 45, autoinscription: 35, courrier: 15, transition: 5 });
}

/** Marks an account activated on `day` (first login with its own password). */
export function activate(rng: Random, account: AccountData, day: string, method: ActivationMethod): AccountData {
  const activatedAt = atSecond(day, rng.int(7 * 3600, 22 * 3600));
  const notifiedAt =
    method === 'courrier' ? (account.notifiedAt ?? atSecond(addDays(day, -rng.int(1, 10)), rng.int(8 * 3600, 17 * 3600))) : account.notifiedAt;
  return {
    ...account,
    state: 'active',
    notifiedAt,
    letterExpiresAt: notifiedAt ? addMonths(notifiedAt, 3) : null,
    activatedAt,
    activationMethod: method,
    lastLoginAt: activatedAt,
    lockedUntil: null,
    emailConfirmed: account.email !== null && rng.chance(0.85),
    mobileConfirmed: account.mobile !== null && (method === 'autoinscription' || rng.chance(0.6)),
  };
}

/**
 * The state of a generated account on `today`: activated on the curve's schedule (a few then locked), otherwise
 * notified (letter out), not notified, deactivated or removed from the directory.
 */
export function initialAccountState(rng: Random, account: AccountData, schoolYearStart: string, today: string): AccountData {
  const elapsed = daysBetween(schoolYearStart, today);
  const kind = account.personKind;
  const u = rng.next();
  if (u < activatedShare(kind, elapsed)) {
    const day = addDays(schoolYearStart, Math.min(elapsed, Math.floor(dayOfShare(kind, u))));
    const active = activate(rng, account, day, drawActivationMethod(rng, kind));
    const lastLoginDay = addDays(day, rng.int(0, daysBetween(day, today)));
    const withLogin = { ...active, lastLoginAt: atSecond(lastLoginDay, rng.int(7 * 3600, 22 * 3600)) };
    return rng.chance(0.03)
      ? { ...withLogin, state: 'bloque', lockedUntil: atSecond(addDays(today, 1), rng.int(0, 86_399)) }
      : withLogin;
  }
  const rest = rng.weighted({ notifie: 42, non_notifie: 52, desactive: 4, supprime: 2 });
  if (rest === 'notifie') {
    const notifiedAt = atSecond(addDays(schoolYearStart, rng.int(0, Math.max(0, elapsed))), rng.int(8 * 3600, 17 * 3600));
    return { ...account, state: 'notifie', notifiedAt, letterExpiresAt: addMonths(notifiedAt, 3) };
  }
  return { ...account, state: rest };
}
