/**
 * pdfkit, loaded on the first letter batch (not at start) through Node's own require, with the few members the letters
 * use typed here (the project has no @types/pdfkit). Loaded by `require` rather than bundled, pdfkit also finds its
 * own data files next to it in the desktop build.
 */
import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';

export interface PdfTextOptions {
  width?: number;
  height?: number;
  align?: 'left' | 'center' | 'right' | 'justify';
  lineGap?: number;
  paragraphGap?: number;
  characterSpacing?: number;
  continued?: boolean;
  lineBreak?: boolean;
  ellipsis?: boolean | string;
  indent?: number;
}

/** The subset of PDFKit.PDFDocument the letters draw with. */
export interface PdfDocument {
  pipe(destination: Writable): Writable;
  end(): void;
  on(event: 'error', listener: (error: Error) => void): this;
  addPage(options?: { size?: string; margin?: number }): this;
  registerFont(name: string, source: Buffer): this;
  font(name: string): this;
  fontSize(size: number): this;
  fillColor(color: string): this;
  strokeColor(color: string): this;
  lineWidth(width: number): this;
  text(text: string, x: number, y: number, options?: PdfTextOptions): this;
  heightOfString(text: string, options?: PdfTextOptions): number;
  widthOfString(text: string, options?: PdfTextOptions): number;
  rect(x: number, y: number, w: number, h: number): this;
  roundedRect(x: number, y: number, w: number, h: number, r: number): this;
  moveTo(x: number, y: number): this;
  lineTo(x: number, y: number): this;
  fill(color?: string): this;
  stroke(color?: string): this;
  save(): this;
  restore(): this;
  y: number;
}

export interface PdfDocumentOptions {
  size?: string;
  margin?: number;
  autoFirstPage?: boolean;
  compress?: boolean;
  lang?: string;
  displayTitle?: boolean;
  info?: { Title?: string; Author?: string; Subject?: string; Creator?: string; Producer?: string; CreationDate?: Date };
}

export type PdfDocumentConstructor = new (options?: PdfDocumentOptions) => PdfDocument;

let loaded: PdfDocumentConstructor | null = null;

export function loadPdfKit(): PdfDocumentConstructor {
  loaded ??= createRequire(import.meta.url)('pdfkit') as PdfDocumentConstructor;
  return loaded;
}
