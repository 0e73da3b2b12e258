import { describe, expect, it } from 'vitest';
import { charDiff, differenceKinds, isLowRisk, sameContactValue, schoolValueChanged, visibleText } from '../../shared/domain/review';

describe('character diff', () => {
  it('keeps the common characters and marks what was removed and added', () => {
    expect(charDiff('Hélène', 'Helene')).toEqual([
      { op: 'same', text: 'H' },
      { op: 'removed', text: 'é' },
      { op: 'added', text: 'e' },
      { op: 'same', text: 'l' },
      { op: 'removed', text: 'è' },
      { op: 'added', text: 'e' },
      { op: 'same', text: 'ne' },
    ]);
  });

  it('treats a decomposed accent as one character and handles empty sides', () => {
    expect(charDiff('Zoe\u0301', 'Zoé')).toEqual([{ op: 'same', text: 'Zoé' }]);
    expect(charDiff(null, 'abc')).toEqual([{ op: 'added', text: 'abc' }]);
    expect(charDiff('abc', null)).toEqual([{ op: 'removed', text: 'abc' }]);
  });

  it('makes spaces visible', () => {
    expect(visibleText('Jean Marie\u00a0X')).toBe('Jean␣Marie⍽X');
  });
});

describe('difference kinds', () => {
  it('names case, accents, whitespace and hyphen differences', () => {
    expect(differenceKinds('Zoé', 'ZOE')).toEqual(['case', 'accents']);
    expect(differenceKinds('Jean-Marie', 'Jean Marie')).toEqual(['hyphens']);
    expect(differenceKinds('De  la Tour', 'De la Tour')).toEqual(['whitespace']);
    expect(differenceKinds('Martin', 'Durand')).toEqual(['other']);
    expect(differenceKinds('Anne', 'Anne')).toEqual([]);
    expect(differenceKinds(null, 'Anne')).toEqual(['other']);
  });
});

describe('low risk', () => {
  it('is a name spelled differently only by case, accents or whitespace', () => {
    expect(isLowRisk({ field: 'firstName', schoolValue: 'Hélène', newValue: 'Helene', contactConfirmed: false })).toBe(true);
    expect(isLowRisk({ field: 'lastName', schoolValue: 'DUPONT', newValue: 'Dupont ', contactConfirmed: false })).toBe(true);
    expect(isLowRisk({ field: 'firstName', schoolValue: 'Jean-Marie', newValue: 'Jean Marie', contactConfirmed: false })).toBe(false);
    expect(isLowRisk({ field: 'lastName', schoolValue: 'Martin', newValue: 'Durand', contactConfirmed: false })).toBe(false);
    expect(isLowRisk({ field: 'birthDate', schoolValue: '2010-01-02', newValue: '2010-02-01', contactConfirmed: false })).toBe(false);
  });

  it('is contact data the directory confirmed', () => {
    expect(isLowRisk({ field: 'email', schoolValue: 'a@b.fr', newValue: 'c@d.fr', contactConfirmed: true })).toBe(true);
    expect(isLowRisk({ field: 'email', schoolValue: 'a@b.fr', newValue: 'c@d.fr', contactConfirmed: false })).toBe(false);
    expect(isLowRisk({ field: 'mobile', schoolValue: null, newValue: null, contactConfirmed: true })).toBe(false);
  });
});

describe('comparisons', () => {
  it('compares contact values as stored', () => {
    expect(sameContactValue('email', 'A@B.fr ', 'a@b.fr')).toBe(true);
    expect(sameContactValue('mobile', '+33 6 12 34 56 78', '0612345678')).toBe(true);
    expect(sameContactValue('mobile', '0612345678', '0712345678')).toBe(false);
  });

  it('detects a school value changed since the item was computed', () => {
    expect(schoolValueChanged('Anne', 'Anne')).toBe(false);
    expect(schoolValueChanged('Anne', 'Annie')).toBe(true);
    expect(schoolValueChanged(null, null)).toBe(false);
  });
});
