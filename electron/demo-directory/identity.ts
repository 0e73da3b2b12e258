/**
 * Identity differences reported by the directory (seed 000): a guardian's FranceConnect-certified identity that differs
 * from the school's spelling, and self-service email or mobile changes.
 */
import type { GuardianData, IdentityChangeData, IdentityField } from '../../shared/directory/wire';
import { addDays } from './dates';
import { EMAIL_DOMAINS, LAST_NAMES, asciiSlug, stripAccents } from './names';
import type { Random } from './random';

export const identityChangeId = (uai: string, n: number) => `chg-${uai}-${String(n).padStart(6, '0')}`;

type Difference = Pick<IdentityChangeData, 'field' | 'previousValue' | 'newValue'>;

/** The FranceConnect value of one field, as it differs from the school's: accents, hyphens, birth name, birth date. */
export function franceConnectDifference(rng: Random, guardian: GuardianData): Difference {
  const firstName = guardian.firstName;
  const options: Array<() => Difference> = [];
  if (stripAccents(firstName) !== firstName) {
    options.push(() => ({ field: 'firstName', previousValue: firstName, newValue: stripAccents(firstName) }));
  }
  if (firstName.includes('-')) {
    options.push(() => ({ field: 'firstName', previousValue: firstName, newValue: firstName.replace(/-/g, ' ') }));
  }
  if (guardian.usageName) {
    // The school recorded the usage name as the birth name.
    options.push(() => ({ field: 'lastName', previousValue: guardian.lastName, newValue: rng.pick(LAST_NAMES) }));
    options.push(() => ({ field: 'usageName', previousValue: guardian.usageName, newValue: null }));
  }
  if (guardian.birthDate) {
    const [y, m, d] = guardian.birthDate.split('-') as [string, string, string];
    const swapped = Number(d) <= 12 && d !== m ? `${y}-${d}-${m}` : addDays(guardian.birthDate, rng.pick([-1, 1]));
    options.push(() => ({ field: 'birthDate', previousValue: guardian.birthDate, newValue: swapped }));
  } else {
    options.push(() => ({ field: 'birthDate', previousValue: null, newValue: `${1970 + rng.int(0, 25)}-0${rng.int(1, 9)}-1${rng.int(0, 9)}` }));
  }
  options.push(() => ({ field: 'firstName', previousValue: firstName, newValue: `${firstName} ${rng.pick(['Marie', 'Jean', 'Louise', 'Pierre'])}` }));
  return rng.pick(options)();
}

/** A guardian changed their email or mobile in EduConnect. */
export function selfServiceDifference(
  rng: Random,
  guardian: GuardianData,
  current: { email: string | null; mobile: string | null },
): Difference {
  const field: IdentityField = rng.chance(0.6) ? 'email' : 'mobile';
  const newValue =
    field === 'email'
      ? `${asciiSlug(guardian.firstName)}.${asciiSlug(guardian.lastName)}${rng.int(100, 999)}@${rng.pick(EMAIL_DOMAINS)}`
      : `0${rng.pick(['6', '7'])}${rng.digits(8)}`;
  return { field, previousValue: current[field], newValue };
}
