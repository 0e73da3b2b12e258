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
const BODY_TOP = mm(92);
/** Nothing is drawn below this but the footer. */
const BODY_BOTTOM = mm(279);
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
   * breathes, so a cancel request gets in).
   */
  async add(letter: LetterContent): Promise<void> {
    if (this.failure) throw this.failure;
    this.doc.addPage({ size: 'A4', margin: 0 });
    drawLetter(this.doc, letter);
    this.pages += 1;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.out.writableNeedDrain) await once(this.out, 'drain');
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

/** Draws one letter on the current page. */
export function drawLetter(doc: PdfDocument, c: LetterContent): void {
  doc.fillColor('black');
  // Header, top left.
  const [first = '', ...rest] = c.header;
  doc.font(F.bold).fontSize(10.5).text(first, LEFT, mm(14), { width: mm(85), height: mm(6), ellipsis: true });
  if (rest.length > 0) {
    doc.font(F.regular).fontSize(9).text(rest.join('\n'), LEFT, mm(19.5), { width: mm(85), height: mm(24), ellipsis: true, lineGap: 1 });
  }
  // Place and date, then the addressee in the envelope's window.
  doc.font(F.regular).fontSize(9.5).text(c.placeDate, WINDOW.x, mm(40), { width: WINDOW.width });
  if (c.addressee.window) {
    doc.font(F.regular).fontSize(10).text(c.addressee.lines.join('\n'), WINDOW.x, WINDOW.y, {
      width: WINDOW.width,
      height: WINDOW.height,
      ellipsis: true,
      lineGap: 1,
    });
  } else if (c.handDelivery) {
    doc.font(F.bold).fontSize(9).fillColor(GREY).text(c.handDelivery, LEFT, WINDOW.y, { width: mm(80), height: mm(20), ellipsis: true });
    doc.fillColor('black');
  }

  let y = BODY_TOP;
  const write = (text: string, font: string, size: number, options: { gap?: number; x?: number; width?: number; maxLines?: number } = {}) => {
    if (!text) return;
    const x = options.x ?? LEFT;
    const width = options.width ?? WIDTH - (x - LEFT);
    doc.font(font).fontSize(size);
    const height = options.maxLines ? size * 1.25 * options.maxLines : undefined;
    doc.text(text, x, y, { width, height, ellipsis: height !== undefined, lineGap: 1 });
    y = doc.y + (options.gap ?? mm(1.5));
  };

  write(c.subject, F.bold, 11, { gap: mm(3) });
  write(c.salutation, F.regular, 10, { gap: mm(2) });
  write(c.intro.join('\n'), F.regular, 10, { gap: mm(3), maxLines: 7 });

  // The credentials, boxed: the identifiant and the temporary password in the monospace font.
  const box = { y, height: mm(27) };
  doc.roundedRect(LEFT, box.y, WIDTH, box.height, 4).fill(LIGHT);
  doc.fillColor('black');
  doc.font(F.regular).fontSize(9).text(`${c.credentials.loginLabel} :`, LEFT + mm(4), box.y + mm(3), { width: mm(55) });
  doc.font(F.monoBold).fontSize(13).text(c.credentials.login, LEFT + mm(60), box.y + mm(2.2), { width: WIDTH - mm(64), height: mm(7), ellipsis: true });
  doc.font(F.regular).fontSize(9).text(`${c.credentials.passwordLabel} :`, LEFT + mm(4), box.y + mm(11), { width: mm(55) });
  doc.font(F.monoBold).fontSize(16).text(c.credentials.password, LEFT + mm(60), box.y + mm(9.5), { width: WIDTH - mm(64), characterSpacing: 1.5 });
  doc.font(F.regular).fontSize(7.5).fillColor(GREY).text(c.credentials.hint, LEFT + mm(4), box.y + mm(19.5), { width: WIDTH - mm(8) });
  doc.fillColor('black');
  y = box.y + box.height + mm(4);

  write(c.stepsTitle, F.bold, 10, { gap: mm(1.5) });
  c.steps.forEach((step, i) => {
    doc.font(F.bold).fontSize(9.5).text(`${i + 1}.`, LEFT + mm(2), y, { width: mm(6) });
    write(step, F.regular, 9.5, { x: LEFT + mm(8), gap: mm(1) });
  });
  y += mm(1.5);
  write(c.validity, F.bold, 9.5, { gap: mm(3) });

  if (c.notGuardian) {
    write(c.notGuardian.text, F.regular, 9, { gap: mm(1.5) });
    doc.lineWidth(0.8).rect(LEFT + mm(2), y, mm(4), mm(4)).stroke('black');
    doc.font(F.bold).fontSize(9).text(c.notGuardian.box, LEFT + mm(9), y + mm(0.4), { width: WIDTH - mm(9) });
    y = Math.max(doc.y, y + mm(4)) + mm(3);
  }

  write(c.alternativeTitle, F.bold, 9.5, { gap: mm(0.5) });
  write(c.alternative.join('\n'), F.regular, 9, { gap: mm(2.5), maxLines: 5 });
  if (c.help.length > 0) {
    write(c.helpTitle, F.bold, 9.5, { gap: mm(0.5) });
    write(c.help.join('\n'), F.regular, 9, { gap: mm(2.5), maxLines: 5 });
  }
  if (c.signature.length > 0) {
    doc.font(F.regular).fontSize(10).text(c.signature.join('\n'), mm(120), Math.min(y + mm(2), BODY_BOTTOM - mm(14)), {
      width: mm(70),
      height: mm(14),
      ellipsis: true,
    });
  }

  doc.font(F.regular).fontSize(7.5).fillColor(GREY).text(c.confidential, LEFT, mm(284), { width: WIDTH, align: 'center' });
  doc.fillColor('black');
}

/** Where the body of a letter ends (for the tests that check the longest letter fits its page). */
export const LETTER_BODY_BOTTOM = BODY_BOTTOM;
