/**
 * A picture in a sheet of exceljs's streaming writer, which has no addImage (only the in-memory workbook has, and it
 * would hold the whole call list in memory). The picture is written the way the in-memory writer does it: the PNG as
 * workbook media (`workbook.addImage`), a drawing part with one anchored picture and its relationships, the drawing's
 * relationship from the sheet and `<drawing r:id>` in the sheet, and the drawing's content type. This leans on exceljs
 * 4.4's stream writer internals (`zip`, `_sheetRelsWriter`, `_write`, `_writeLegacyData`); exceljs reading the
 * workbook back (test/integration/stats-export.test.ts) checks the picture is there.
 */
import type { stream } from 'exceljs';

type WorkbookWriter = stream.xlsx.WorkbookWriter;
type WorksheetWriter = ReturnType<WorkbookWriter['addWorksheet']>;

interface WriterInternals {
  zip: { append(source: string | Buffer, data: { name: string }): unknown };
  addImage(image: { buffer: Buffer; extension: 'png' }): number;
  getImage(id: number): { name: string };
}
interface SheetInternals {
  _sheetRelsWriter: { addRelationship(rel: { Type: string; Target: string }): string };
  _write(text: string): void;
  _writeLegacyData(): void;
}

const REL_DRAWING = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing';
const REL_IMAGE = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/image';
const DRAWING_TYPE = 'application/vnd.openxmlformats-officedocument.drawing+xml';
const EMU_PER_PIXEL = 9525;

const drawingsOf = new WeakMap<object, string[]>();

const escapeXml = (text: string): string =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

/** Declares the workbook's drawing parts in [Content_Types].xml, which the stream writer writes at commit. */
function trackDrawings(workbook: WriterInternals): string[] {
  let drawings = drawingsOf.get(workbook);
  if (drawings) return drawings;
  const list: string[] = [];
  drawingsOf.set(workbook, list);
  const append = workbook.zip.append.bind(workbook.zip);
  workbook.zip.append = (source, data) => {
    if (data.name === '[Content_Types].xml' && typeof source === 'string') {
      const overrides = list.map((name) => `<Override PartName="/xl/drawings/${name}.xml" ContentType="${DRAWING_TYPE}"/>`).join('');
      return append(source.replace('</Types>', `${overrides}</Types>`), data);
    }
    return append(source, data);
  };
  drawings = list;
  return drawings;
}

export interface PicturePlacement {
  /** Top-left cell, zero-based. */
  col: number;
  row: number;
  /** Displayed size in pixels. */
  width: number;
  height: number;
  /** Alternative text (read by screen readers in Excel). */
  description: string;
}

/** Adds a PNG to the workbook's media, once however many sheets show it; returns its id for `addPicture`. */
export function addPng(workbookWriter: WorkbookWriter, png: Buffer): number {
  return (workbookWriter as unknown as WriterInternals).addImage({ buffer: png, extension: 'png' });
}

/** Anchors a picture of the workbook's media in a sheet that is still being written (before its commit). */
export function addPicture(workbookWriter: WorkbookWriter, sheetWriter: WorksheetWriter, imageId: number, at: PicturePlacement): void {
  const workbook = workbookWriter as unknown as WriterInternals;
  const sheet = sheetWriter as unknown as SheetInternals;
  const drawings = trackDrawings(workbook);
  const name = `drawing${drawings.length + 1}`;
  drawings.push(name);
  const image = workbook.getImage(imageId);
  const cx = Math.round(at.width * EMU_PER_PIXEL);
  const cy = Math.round(at.height * EMU_PER_PIXEL);
  workbook.zip.append(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" ' +
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' +
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
      `<xdr:oneCellAnchor><xdr:from><xdr:col>${at.col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${at.row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>` +
      `<xdr:ext cx="${cx}" cy="${cy}"/><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="${name}" descr="${escapeXml(at.description)}"/>` +
      '<xdr:cNvPicPr><a:picLocks noChangeAspect="1"/></xdr:cNvPicPr></xdr:nvPicPr>' +
      '<xdr:blipFill><a:blip r:embed="rId1"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>' +
      `<xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr>` +
      '</xdr:pic><xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>',
    { name: `xl/drawings/${name}.xml` },
  );
  workbook.zip.append(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      `<Relationship Id="rId1" Type="${REL_IMAGE}" Target="../media/${image.name}"/></Relationships>`,
    { name: `xl/drawings/_rels/${name}.xml.rels` },
  );
  const rId = sheet._sheetRelsWriter.addRelationship({ Type: REL_DRAWING, Target: `../drawings/${name}.xml` });
  // <drawing> comes right before <legacyDrawing> in a worksheet (ECMA-376), which the writer writes last.
  const writeLegacyData = sheet._writeLegacyData.bind(sheet);
  sheet._writeLegacyData = () => {
    sheet._write(`<drawing r:id="${rId}"/>`);
    writeLegacyData();
  };
}
