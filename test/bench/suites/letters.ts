/**
 * Credential letters to PDF, the way letters.issue writes them (composition, the letter layout, files of 500 through
 * the shared export module), without the directory calls (one per account, network-bound, measured nowhere here):
 * - peak RSS while writing 5,000 letters (10 files of 500), first, so nothing else ran in this process before: the
 *   document must stream to the file, not build in memory;
 * - pages per second for 1,000 letters, against a bare pdfkit loop writing the same texts with the same embedded fonts
 *   to a plain file stream in the same run (best of three runs each).
 */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { writeExportFile } from '../../../electron/core/exports/file';
import { findFontsDir, loadLetterFonts, type LetterFonts } from '../../../electron/core/letters/fonts';
import { LetterPdf } from '../../../electron/core/letters/pdf';
import { loadPdfKit } from '../../../electron/core/letters/pdfkit';
import { composeLetter, DEFAULT_LETTER_BLOCKS, LETTERS_PER_FILE, type LetterContent, type LetterData } from '../../../shared/domain/letters';
import { tempDir } from '../../helpers/temp';
import type { Measurement, Suite } from '../harness';

const FIRST = ['Éloïse', 'Noé', 'Anaïs', 'Zoé', 'Mathéo', 'Inès', 'Léa', 'Raphaël', 'Maëlle', 'Chloé'];
const LAST = ['Lefèvre', 'Œuvray', 'Bérenger', 'Noël', 'Martin', 'Dubois', 'Garcia', 'Ménard', 'Lambert', 'Rousseau'];
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** `n` letters' data as a batch holds them: guardians and pupils, varied names, addresses, logins and passwords. */
function batch(n: number): LetterData[] {
  const now = new Date('2026-09-07T08:00:00Z');
  const validUntil = new Date('2026-12-07T08:00:00Z');
  const establishment = {
    uai: '0310001A',
    name: 'Collège Jean Moulin',
    city: 'Toulouse',
    header: 'Collège Jean Moulin\n1 place de l’Hôtel de ville\n31000 Toulouse\nTél. 05 61 00 00 00',
    helpContact: { address: 'Secrétariat, Collège Jean Moulin, Toulouse', phone: '05 61 00 00 00', hours: 'Du lundi au vendredi, 8 h 30 – 12 h et 13 h 30 – 17 h' },
  };
  return Array.from({ length: n }, (_, i) => {
    const firstName = FIRST[i % FIRST.length]!;
    const lastName = `${LAST[(i * 7) % LAST.length]!}${i % 3 === 0 ? '-Saint-Exupéry' : ''}`;
    const address = { line1: `${(i % 120) + 1} rue de l’Église`, line2: i % 4 === 0 ? 'Résidence « Les Œillets »' : null, postalCode: '31000', city: 'Toulouse', country: 'France' };
    const password = Array.from({ length: 10 }, (_, k) => ALPHABET[(i * 31 + k * 17) % ALPHABET.length]).join('');
    const recipient =
      i % 2 === 0
        ? { kind: 'guardian' as const, person: { civility: (i % 4 === 0 ? 'Mme' : 'M.') as 'Mme' | 'M.', firstName, lastName }, address }
        : { kind: 'pupil' as const, person: { firstName, lastName }, division: `${6 - (i % 4)}${'ABCD'[i % 4]}`, careOf: [{ civility: 'Mme' as const, firstName: 'Marie', lastName }], address };
    return { recipient, establishment, login: `${firstName[0]!.toLowerCase()}.${lastName.toLowerCase()}${i}`, password, issuedAt: now, validUntil, blocks: DEFAULT_LETTER_BLOCKS };
  });
}

/** What letters.issue does for one batch but the directory: compose, lay out, write files of 500 through the export module. */
async function product(letters: LetterData[], dir: string, fonts: LetterFonts): Promise<number> {
  let pages = 0;
  for (let start = 0, file = 1; start < letters.length; start += LETTERS_PER_FILE, file++) {
    const part = letters.slice(start, start + LETTERS_PER_FILE);
    await writeExportFile({ path: join(dir, `courriers-${Date.now()}-${file}.pdf`), format: 'pdf' }, async (out) => {
      const pdf = new LetterPdf(out, fonts, { title: 'Bench' });
      for (const letter of part) await pdf.add(composeLetter(letter));
      await pdf.finish();
      pages += pdf.pageCount;
    });
  }
  return pages;
}

/** The same texts, the same fonts, each at a fixed place, one page per letter: pdfkit with nothing of ours around it. */
async function bare(contents: LetterContent[], file: string, fonts: LetterFonts): Promise<number> {
  const PDFDocument = loadPdfKit();
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false });
  doc.registerFont('sans', fonts.regular);
  doc.registerFont('sans-bold', fonts.bold);
  doc.registerFont('mono-bold', fonts.monoBold);
  const out = createWriteStream(file);
  doc.pipe(out);
  for (const c of contents) {
    doc.addPage({ size: 'A4', margin: 0 });
    doc.font('sans-bold').fontSize(10.5).text(c.header[0]!, 57, 40, { width: 240 });
    doc.font('sans').fontSize(9).text(c.header.slice(1).join('\n'), 57, 55, { width: 240 });
    doc.fontSize(9.5).text(c.placeDate, 312, 113, { width: 240 });
    doc.fontSize(10).text(c.addressee.lines.join('\n'), 312, 136, { width: 240 });
    doc.font('sans-bold').fontSize(11).text(c.subject, 57, 255, { width: 482 });
    doc.font('sans').fontSize(10).text(c.salutation, 57, 275, { width: 482 });
    doc.text(c.intro.join('\n'), 57, 292, { width: 482 });
    doc.fontSize(9).text(`${c.credentials.loginLabel} :`, 68, 345).text(`${c.credentials.passwordLabel} :`, 68, 368);
    doc.font('mono-bold').fontSize(13).text(c.credentials.login, 227, 343, { width: 300 });
    doc.fontSize(16).text(c.credentials.password, 227, 365, { width: 300, characterSpacing: 1.5 });
    doc.font('sans').fontSize(7.5).text(c.credentials.hint, 68, 390, { width: 470 });
    doc.font('sans-bold').fontSize(10).text(c.stepsTitle, 57, 420, { width: 482 });
    doc.font('sans').fontSize(9.5).text(c.steps.map((step, i) => `${i + 1}. ${step}`).join('\n'), 57, 437, { width: 482 });
    doc.font('sans-bold').text(c.validity, 57, 540, { width: 482 });
    if (c.notGuardian) doc.font('sans').fontSize(9).text(`${c.notGuardian.text}\n${c.notGuardian.box}`, 57, 575, { width: 482 });
    doc.font('sans-bold').fontSize(9.5).text(c.alternativeTitle, 57, 620).font('sans').fontSize(9).text(c.alternative.join('\n'), 57, 633, { width: 482 });
    doc.font('sans-bold').fontSize(9.5).text(c.helpTitle, 57, 670).font('sans').fontSize(9).text(c.help.join('\n'), 57, 683, { width: 482 });
    doc.fontSize(10).text(c.signature.join('\n'), 340, 720, { width: 200 });
    doc.fontSize(7.5).text(c.confidential, 57, 805, { width: 482, align: 'center' });
  }
  doc.end();
  await finished(out);
  return contents.length;
}

async function best(runs: number, work: () => Promise<number>): Promise<{ ms: number; pages: number }> {
  let bestMs = Infinity;
  let pages = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    pages = await work();
    bestMs = Math.min(bestMs, performance.now() - started);
  }
  return { ms: bestMs, pages };
}

export const letters: Suite = {
  name: 'letters',
  async run(): Promise<Measurement[]> {
    const dir = tempDir('ecd-bench-letters-');
    try {
      const fonts = loadLetterFonts(findFontsDir());
      // Peak RSS first: 5,000 letters, 10 files of 500, streamed.
      let peak = process.memoryUsage().rss;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      const big = await product(batch(5_000), dir.path, fonts);
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
      if (big !== 5_000) throw new Error(`expected 5,000 pages, got ${big}`);

      const data = batch(1_000);
      const contents = data.map(composeLetter);
      // Warm both paths once (fonts parsed, code compiled), then best of three.
      await product(data.slice(0, 50), dir.path, fonts);
      await bare(contents.slice(0, 50), join(dir.path, 'warm.pdf'), fonts);
      const ours = await best(3, () => product(data, dir.path, fonts));
      let n = 0;
      const raw = await best(3, () => bare(contents, join(dir.path, `bare-${n++}.pdf`), fonts));
      const oursRate = (ours.pages / ours.ms) * 1000;
      const rawRate = (raw.pages / raw.ms) * 1000;
      const ratio = (100 * oursRate) / rawRate;
      return [
        { suite: 'letters', metric: '1,000 letters to PDF', value: oursRate, unit: 'pages/s', baseline: rawRate, goal: '≥ 500 pages/s', met: oursRate >= 500 },
        { suite: 'letters', metric: 'letters vs bare pdfkit loop', value: ratio, unit: '%', goal: '≥ 70 % of bare', met: ratio >= 70 },
        { suite: 'letters', metric: 'peak RSS, 5,000 letters (10 files)', value: peak / 2 ** 20, unit: 'MB', goal: '< 300 MB', met: peak < 300 * 2 ** 20 },
      ];
    } finally {
      dir.remove();
    }
  },
};
