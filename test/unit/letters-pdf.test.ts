/**
 * The letter itself: composed from its data (French text, addressee for a window envelope, pupil variant), drawn to
 * PDF with the embedded fonts, one A4 page per letter even with every editable text at its longest, and read back by
 * pdftotext with its accents intact.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFontsDir, loadLetterFonts } from '../../electron/core/letters/fonts';
import { LETTER_BODY_LIMIT, LetterPdf } from '../../electron/core/letters/pdf';
import {
  composeLetter,
  DEFAULT_LETTER_BLOCKS,
  frenchDate,
  LETTER_BLOCK_LIMITS,
  LETTER_BLOCKS,
  letterBlockProblem,
  type LetterBlocks,
  type LetterData,
} from '../../shared/domain/letters';
import { tempDir } from '../helpers/temp';

const dir = tempDir('ecd-letters-pdf-');
afterAll(() => (process.env.KEEP_LETTERS ? undefined : dir.remove()));

const address = { line1: '12 rue de l’Église Saint-Exupéry', line2: 'Résidence « Les Œillets », bâtiment B', postalCode: '31000', city: 'Toulouse', country: 'France' };
const data = (overrides: Partial<LetterData> = {}): LetterData => ({
  recipient: { kind: 'guardian', person: { civility: 'Mme', firstName: 'Éloïse', lastName: 'Lefèvre-Œuvray' }, address },
  establishment: {
    uai: '0310001A',
    name: 'Collège Jean Moulin',
    city: 'Toulouse',
    header: 'Collège Jean Moulin\n1 place de l’Hôtel de ville\n31000 Toulouse',
    helpContact: { address: 'Secrétariat du collège', phone: '05 61 00 00 00', hours: 'Du lundi au vendredi' },
  },
  login: 'eloise.lefevre12',
  password: 'Ab3k9Zq4Tx',
  issuedAt: new Date('2026-09-01T08:00:00Z'),
  validUntil: new Date('2026-12-01T08:00:00Z'),
  blocks: DEFAULT_LETTER_BLOCKS,
  ...overrides,
});

/** Each block at its limits: as many characters as allowed, spread over as many lines as allowed. */
const longest = (): LetterBlocks =>
  Object.fromEntries(
    LETTER_BLOCKS.map((b) => {
      const { maxLength, maxLines } = LETTER_BLOCK_LIMITS[b];
      const line = 'Mémé a reçu l’œuvre « naïve » : WWWW '.repeat(40).slice(0, Math.floor(maxLength / maxLines) - 1);
      return [b, Array.from({ length: maxLines }, () => line).join('\n')];
    }),
  ) as LetterBlocks;

async function render(letters: LetterData[], name: string): Promise<{ file: string; ends: number[] }> {
  const file = join(dir.path, name);
  const out = createWriteStream(file);
  const pdf = new LetterPdf(out, loadLetterFonts(findFontsDir()), { title: 'Test' });
  const ends: number[] = [];
  for (const letter of letters) ends.push(await pdf.add(composeLetter(letter)));
  await pdf.finish();
  return { file, ends };
}

const text = (file: string) => execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
const pageCount = (file: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);

describe('credential letter', () => {
  it('composes a guardian letter: window addressee, salutation, steps with the children’s birth dates, the box', () => {
    const c = composeLetter(data());
    expect(c.addressee).toEqual({
      window: true,
      lines: ['Madame Éloïse LEFÈVRE-ŒUVRAY', '12 rue de l’Église Saint-Exupéry', 'Résidence « Les Œillets », bâtiment B', '31000 TOULOUSE'],
    });
    expect(c.placeDate).toBe('Toulouse, le 1er septembre 2026');
    expect(c.salutation).toBe('Madame,');
    expect(c.steps.join(' ')).toMatch(/date de naissance de chacun de vos enfants/);
    expect(c.validity).toContain('1er décembre 2026');
    expect(c.notGuardian?.box).toBe('Je ne suis pas le représentant légal de cet élève.');
    expect(c.help).toEqual(['Secrétariat du collège', '05 61 00 00 00 — Du lundi au vendredi']);
  });

  it('composes a pupil letter: name and class, « aux bons soins de » the legal guardians, no guardian box', () => {
    const c = composeLetter(
      data({
        recipient: {
          kind: 'pupil',
          person: { firstName: 'Anaïs', lastName: 'Martin' },
          division: '6A',
          careOf: [{ civility: 'Mme', firstName: 'Éloïse', lastName: 'Lefèvre' }, { civility: 'M.', firstName: 'Paul', lastName: 'Martin' }],
          address: { ...address, line2: null, country: 'Belgique' },
        },
      }),
    );
    expect(c.addressee.lines).toEqual([
      'Anaïs MARTIN',
      'Classe de 6A',
      'Aux bons soins de Mme Éloïse LEFÈVRE',
      'et de M. Paul MARTIN',
      '12 rue de l’Église Saint-Exupéry',
      '31000 TOULOUSE',
      'BELGIQUE',
    ]);
    expect(c.salutation).toBe('Bonjour Anaïs,');
    expect(c.notGuardian).toBeNull();
    expect(c.steps.join(' ')).not.toMatch(/date de naissance/);
  });

  it('a guardian without postal address: no window block, a hand-delivery line', () => {
    const c = composeLetter(data({ recipient: { kind: 'guardian', person: { civility: 'M.', firstName: 'Paul', lastName: 'Martin' }, address: null } }));
    expect(c.addressee.window).toBe(false);
    expect(c.handDelivery).toContain('À remettre en main propre à Monsieur Paul MARTIN');
  });

  it('checks the editable blocks: plain text, length and line caps, the non-digital alternative required', () => {
    expect(letterBlockProblem('guardianIntro', 'Bonjour')).toBeNull();
    expect(letterBlockProblem('guardianIntro', 'a\tb')).toMatch(/Texte brut/);
    expect(letterBlockProblem('guardianIntro', 'x'.repeat(451))).toMatch(/450 caractères au plus/);
    expect(letterBlockProblem('guardianIntro', 'a\nb\nc\nd\ne\nf')).toMatch(/5 lignes au plus/);
    expect(letterBlockProblem('alternative', '  ')).toMatch(/sans internet/);
    expect(letterBlockProblem('signature', '')).toBeNull();
    for (const b of LETTER_BLOCKS) expect(letterBlockProblem(b, longest()[b]), b).toBeNull();
  });

  it('prints one A4 page per letter, fonts embedded, accents intact, even with every text at its longest', async () => {
    const long = 'Établissement public local d’enseignement Œuvre de l’École — '.repeat(10);
    const extreme = data({
      blocks: longest(),
      establishment: {
        uai: '0310001A',
        name: long.slice(0, 200),
        city: 'Saint-Martin-d’Hères',
        header: Array.from({ length: 10 }, () => long.slice(0, 50)).join('\n'),
        helpContact: { address: long.slice(0, 500), phone: '05 61 00 00 00'.repeat(3), hours: long.slice(0, 200) },
      },
      login: 'jean-baptiste.de-la-fontaine-lefevre123',
    });
    const pupil = data({ recipient: { kind: 'pupil', person: { firstName: 'Zoé', lastName: 'Ñúñez' }, division: '3ÈME B', careOf: [], address: null }, blocks: longest() });
    const { file, ends } = await render([data(), extreme, pupil], 'letters.pdf');
    expect(pageCount(file)).toBe(3);
    for (const end of ends) expect(end).toBeLessThanOrEqual(LETTER_BODY_LIMIT);
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/DejaVuSans\s/);
    expect(fonts).toMatch(/DejaVuSansMono-Bold/);
    expect(fonts.split('\n').slice(2).filter(Boolean).every((l) => / yes yes yes /.test(l))).toBe(true);
    const pages = text(file).split('\f');
    expect(pages[0]).toContain('Madame Éloïse LEFÈVRE-ŒUVRAY');
    expect(pages[0]).toContain('Résidence « Les Œillets », bâtiment B');
    expect(pages[0]).toMatch(/Mot de passe provisoire :\s+Ab3k9Zq4Tx/);
    expect(pages[0]).toContain(frenchDate(new Date('2026-12-01T08:00:00Z')));
    expect(pages[0]).toContain('Je ne suis pas le représentant légal de cet élève.');
    expect(pages[0]).toContain('l’établissement');
    for (const page of pages.slice(0, 3)) expect(page).toContain('Document confidentiel');
    expect(pages[1]).toContain('jean-baptiste.de-la-fontaine-lefevre123');
    expect(pages[2]).toContain('Bonjour Zoé,');
  });
});
