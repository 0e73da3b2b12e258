import { describe, expect, it } from 'vitest';
import {
  attentionFromMask,
  contactStatus,
  familyStatus,
  foldText,
  guardianAttention,
  isLetterExpired,
  maskFromAttention,
  probableDuplicates,
  pupilAttention,
  searchTerms,
} from '../../shared/domain/accounts';

describe('account rules', () => {
  it('folds accents, case, ligatures and punctuation', () => {
    expect(foldText('Lefèvre-ŒUVRAY')).toBe('lefevre oeuvray');
    expect(foldText("  D'Ârc  Marie-Ève ")).toBe('d arc marie eve');
    expect(searchTerms('  Hélène  PUJOL ')).toEqual(['helene', 'pujol']);
    expect(searchTerms(undefined)).toEqual([]);
  });

  it('contact and family statuses', () => {
    expect(contactStatus(null, true)).toBe('none');
    expect(contactStatus('  ', false)).toBe('none');
    expect(contactStatus('a@b.fr', false)).toBe('unconfirmed');
    expect(contactStatus('a@b.fr', true)).toBe('confirmed');
    expect(familyStatus(0, 2)).toBe('none');
    expect(familyStatus(1, 2)).toBe('some');
    expect(familyStatus(2, 2)).toBe('all');
    expect(familyStatus(0, 0)).toBe('none');
  });

  it('probable duplicates: same folded names, birth dates not contradicting', () => {
    const dups = probableDuplicates([
      { id: 'a', lastName: 'Lefèvre', firstName: 'Hélène', birthDate: '1980-01-02' },
      { id: 'b', lastName: 'LEFEVRE', firstName: 'helene', birthDate: null },
      { id: 'c', lastName: 'Lefevre', firstName: 'Helene', birthDate: '1981-05-05' },
      { id: 'd', lastName: 'Martin', firstName: 'Paul', birthDate: '1970-01-01' },
      { id: 'e', lastName: 'Martin', firstName: 'Paul', birthDate: '1971-01-01' },
    ]);
    expect([...dups].sort()).toEqual(['a', 'b', 'c']);
  });

  it('points d’attention of a guardian and a pupil', () => {
    expect(
      guardianAttention({ email: 'x@', mobile: '05 61 00 00 00', phoneHome: null, phoneWork: null, isLegal: true, duplicate: false, family: 'some', letterExpired: false }),
    ).toEqual(['invalidMobile', 'invalidEmail']);
    expect(
      guardianAttention({ email: null, mobile: null, phoneHome: null, phoneWork: null, isLegal: true, duplicate: true, family: 'none', letterExpired: true }),
    ).toEqual(['guardianNoMobile', 'guardianNoContact', 'duplicateGuardian', 'familyNoActivated', 'letterExpired']);
    expect(pupilAttention({ ine: '123', email: null, accountEmail: null, guardianHasValidEmail: false, family: 'all', letterExpired: false })).toEqual([
      'pupilNoRecoveryEmail',
      'invalidIne',
    ]);
    expect(pupilAttention({ ine: '0123456789A', email: null, accountEmail: null, guardianHasValidEmail: true, family: 'some', letterExpired: false })).toEqual([]);
    expect(attentionFromMask(maskFromAttention(['invalidIne', 'guardianNoMobile']))).toEqual(['guardianNoMobile', 'invalidIne']);
  });

  it('a letter expires at its end, only for a notified account not activated', () => {
    const now = new Date('2026-03-02T10:00:00Z');
    expect(isLetterExpired('notifie', '2026-03-02T10:00:00Z', now)).toBe(true);
    expect(isLetterExpired('notifie', '2026-03-02T12:00:00+02:00', now)).toBe(true);
    expect(isLetterExpired('notifie', '2026-03-02T10:00:01Z', now)).toBe(false);
    expect(isLetterExpired('active', '2025-01-01T00:00:00Z', now)).toBe(false);
    expect(isLetterExpired('notifie', null, now)).toBe(false);
  });
});
