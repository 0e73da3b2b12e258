/**
 * Credential letters to PDF with pdfkit: one A4 page per letter, drawn from a composed LetterContent
 * (shared/domain/letters.ts), fonts embedded (fonts.ts). The document streams into the file as pages are made (each
 * page's content leaves memory once the next begins), so a batch of thousands of letters never sits in memory, and a
 * password exists only until its page is written.
 *
 * Layout, in millimetres from the top left: the establishment's header at the top left; the place and date, then the
 * addressee block, placed for the window of a DL envelope with the letter folded in three (window 45 × 100 mm at
 * 20 mm from the right: the block sits at x 110, y 48, 85 × 36); the body below the first fold (99 mm).
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { LetterContent } from '../../../shared/domain/letters';
import type { LetterFonts } from './fonts';
import { loadPdfKit, type PdfDocument } from './pdfkit';

const MM = 72 / 25.4;
const mm = (n: number) => n * MM;

const LEFT = mm(20);
const WIDTH = mm(170);
const WINDOW = { x: mm(110), y: mm(48), width: mm(85), height: mm(36) };
const BODY_TOP = mm(90);
/** Where the body must end, the signature's room below it (the longest letter fits: letters-pdf.test.ts); then the footer. */
export const LETTER_BODY_LIMIT = mm(279) - mm(15);
const GREY = '#444444';
const LIGHT = '#eeeeee';

const F = { regular: 'sans', bold: 'sans-bold', mono: 'mono', monoBold: 'mono-bold' } as const;

export interface LetterPdfOptions {
  title: string;
  /** Stamps the document's creation date (tests fix it). */
  now?: Date;
}

/** One PDF file of letters, written to `out` page by page. */
export class LetterPdf {
  private readonly doc: PdfDocument;
  private pages = 0;
  private failure: Error | null = null;
  /** The body scale of each distinct body (in practice one or two per batch). */
  private readonly scales = new Map<string, number>();

  constructor(
    private readonly out: Writable,
    fonts: LetterFonts,
    options: LetterPdfOptions,
  ) {
    const PDFDocument = loadPdfKit();
    this.doc = new PDFDocument({
      size: 'A4',
      margin: 0,
      autoFirstPage: false,
      lang: 'fr-FR',
      displayTitle: true,
      info: { Title: options.title, Creator: 'EduConnect Desk', Producer: 'EduConnect Desk', CreationDate: options.now ?? new Date() },
    });
    this.doc.on('error', (error) => (this.failure ??= error));
    this.doc.registerFont(F.regular, fonts.regular);
    this.doc.registerFont(F.bold, fonts.bold);
    this.doc.registerFont(F.mono, fonts.mono);
    this.doc.registerFont(F.monoBold, fonts.monoBold);
    this.doc.pipe(out);
  }

  get pageCount(): number {
    return this.pages;
  }

  /**
   * Adds one letter on a page of its own, then lets the file catch up when its buffer is full (the event loop also
   * breathes, so a cancel request gets in). Returns where the letter's body ends.
   */
  async add(letter: LetterContent): Promise<number> {
    if (this.failure) throw this.failure;
    this.doc.addPage({ size: 'A4', margin: 0 });
    const key = bodyKey(letter);
    let scale = this.scales.get(key);
    if (scale === undefined) {
      scale = bodyScale(this.doc, letter);
      if (this.scales.size > 100) this.scales.clear();
      this.scales.set(key, scale);
    }
    const end = drawLetter(this.doc, letter, scale);
    this.pages += 1;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.out.writableNeedDrain) await once(this.out, 'drain');
    return end;
  }

  /** Ends the document and waits until all of it has reached the file stream (which the export module closes). */
  async finish(): Promise<void> {
    if (this.failure) throw this.failure;
    const ended = once(this.out, 'finish');
    this.doc.end();
    await ended;
    if (this.failure) throw this.failure;
  }
}

/**
 * The body's font sizes are scaled down, in these steps, until the body fits above the signature: the editable blocks
 * (within their caps) and the establishment's help contact then always print whole on one page. The scale depends
 * only on the body's texts, the same for every letter of a batch, so it is measured once (LetterPdf keeps it).
 */
const SCALES = [1, 0.94, 0.88, 0.82, 0.76, 0.7];

/** Draws the text at the largest size from `size` down to `min` at which it fits the box; cut with … only below `min`. */
function fitText(doc: PdfDocument, text: string, font: string, size: number, min: number, x: number, y: number, box: { width: number; height: number }) {
  doc.font(font);
  let current = size;
  while (current > min && doc.fontSize(current).heightOfString(text, { width: box.width, lineGap: 1 }) > box.height) current -= 0.5;
  doc.fontSize(current).text(text, x, y, { width: box.width, height: box.height, ellipsis: true, lineGap: 1 });
}

/** A single line in the monospace font, made smaller until it fits the width: an identifiant is never cut. */
function fitLine(doc: PdfDocument, text: string, size: number, x: number, y: number, width: number, characterSpacing = 0) {
  doc.font(F.monoBold);
  let current = size;
  while (current > 7 && doc.fontSize(current).widthOfString(text, { characterSpacing }) > width) current -= 0.5;
  doc.fontSize(current).text(text, x, y + (size - current) / 2, { width, characterSpacing });
}

/**
 * Lays out (and, with `draw`, draws) the body from BODY_TOP at `scale`; returns where it ends, before the signature.
 * Measuring and drawing share this code, so what is measured is what is drawn.
 */
function layoutBody(doc: PdfDocument, c: LetterContent, scale: number, draw: boolean): number {
  let y = BODY_TOP;
  const write = (text: string, font: string, size: number, options: { gap?: number; x?: number } = {}) => {
    if (!text) return;
    const x = options.x ?? LEFT;
    const width = WIDTH - (x - LEFT);
    doc.font(font).fontSize(size * scale);
    if (draw) {
      doc.text(text, x, y, { width, lineGap: 1 });
      y = doc.y;
    } else {
      y += doc.heightOfString(text, { width, lineGap: 1 });
    }
    y += (options.gap ?? mm(1.5)) * scale;
  };

  write(c.subject, F.bold, 11, { gap: mm(3) });
  write(c.salutation, F.regular, 10, { gap: mm(2) });
  write(c.intro.join('\n'), F.regular, 10, { gap: mm(3) });

  // The credentials, boxed: the identifiant and the temporary password in the monospace font; never scaled.
  const box = { y, height: mm(25) };
  if (draw) {
    doc.roundedRect(LEFT, box.y, WIDTH, box.height, 4).fill(LIGHT);
    doc.fillColor('black');
    doc.font(F.regular).fontSize(9).text(`${c.credentials.loginLabel} :`, LEFT + mm(4), box.y + mm(3), { width: mm(55) });
    fitLine(doc, c.credentials.login, 13, LEFT + mm(60), box.y + mm(2.2), WIDTH - mm(64));
    doc.font(F.regular).fontSize(9).text(`${c.credentials.passwordLabel} :`, LEFT + mm(4), box.y + mm(10.5), { width: mm(55) });
    fitLine(doc, c.credentials.password, 16, LEFT + mm(60), box.y + mm(9), WIDTH - mm(64), 1.5);
    doc.font(F.regular).fontSize(7.5).fillColor(GREY).text(c.credentials.hint, LEFT + mm(4), box.y + mm(18.5), { width: WIDTH - mm(8) });
    doc.fillColor('black');
  }
  y = box.y + box.height + mm(3.5) * scale;

  write(c.stepsTitle, F.bold, 10, { gap: mm(1.5) });
  c.steps.forEach((step, i) => {
    if (draw) doc.font(F.bold).fontSize(9.5 * scale).text(`${i + 1}.`, LEFT + mm(2), y, { width: mm(6) });
    write(step, F.regular, 9.5, { x: LEFT + mm(8), gap: mm(1) });
  });
  y += mm(1.5) * scale;
  write(c.validity, F.bold, 9.5, { gap: mm(3) });

  if (c.notGuardian) {
    write(c.notGuardian.text, F.regular, 9, { gap: mm(1.5) });
    if (draw) doc.lineWidth(0.8).rect(LEFT + mm(2), y, mm(4), mm(4)).stroke('black');
    const top = y;
    write(c.notGuardian.box, F.bold, 9, { x: LEFT + mm(9), gap: mm(3) });
    y = Math.max(y, top + mm(4) + mm(3) * scale);
  }

  write(c.alternativeTitle, F.bold, 9.5, { gap: mm(0.5) });
  write(c.alternative.join('\n'), F.regular, 9, { gap: mm(2.5) });
  if (c.help.length > 0) {
    write(c.helpTitle, F.bold, 9.5, { gap: mm(0.5) });
    write(c.help.join('\n'), F.regular, 9, { gap: mm(2.5) });
  }
  return y;
}

/** The body's texts but the ones every letter has of its own (names, credentials): what its layout depends on. */
const bodyKey = (c: LetterContent): string =>
  JSON.stringify([c.kind, c.intro, c.stepsTitle, c.steps, c.validity, c.notGuardian, c.alternative, c.help, c.salutation.length > 40]);

/** The largest scale at which the body fits above the signature. */
export function bodyScale(doc: PdfDocument, c: LetterContent): number {
  return SCALES.find((scale) => layoutBody(doc, c, scale, false) <= LETTER_BODY_LIMIT) ?? SCALES.at(-1)!;
}

/**
 * Draws one letter on the current page, its body at `scale` (bodyScale); returns where its body ends (at most
 * LETTER_BODY_LIMIT, the signature below it, the footer at the bottom).
 */
export function drawLetter(doc: PdfDocument, c: LetterContent, scale = bodyScale(doc, c)): number {
  doc.fillColor('black');
  // Header, top left: the establishment's own lines, made smaller when long.
  const [first = '', ...rest] = c.header;
  fitText(doc, first, F.bold, 10.5, 8, LEFT, mm(14), { width: mm(85), height: mm(9.5) });
  const next = doc.y + mm(1);
  if (rest.length > 0) fitText(doc, rest.join('\n'), F.regular, 9, 7, LEFT, next, { width: mm(85), height: mm(38) - next });
  // Place and date, then the addressee in the envelope's window.
  doc.font(F.regular).fontSize(9.5).text(c.placeDate, WINDOW.x, mm(40), { width: WINDOW.width });
  if (c.addressee.window) {
    fitText(doc, c.addressee.lines.join('\n'), F.regular, 10, 8, WINDOW.x, WINDOW.y, WINDOW);
  } else if (c.handDelivery) {
    doc.fillColor(GREY);
    fitText(doc, c.handDelivery, F.bold, 9, 7, LEFT, WINDOW.y, { width: mm(80), height: mm(20) });
    doc.fillColor('black');
  }

  const end = layoutBody(doc, c, scale, true);
  if (c.signature.length > 0) {
    fitText(doc, c.signature.join('\n'), F.regular, 10, 8, mm(120), Math.min(end + mm(2), LETTER_BODY_LIMIT + mm(2)), { width: mm(70), height: mm(13) });
  }
  doc.font(F.regular).fontSize(7.5).fillColor(GREY).text(c.confidential, LEFT, mm(284), { width: WIDTH, align: 'center' });
  doc.fillColor('black');
  return end;
}


