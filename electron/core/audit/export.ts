/** The audit trail as an Excel workbook: French headers, formatted header row, autofilter, frozen header. */
import { loadExcel } from '../exports/excel';
import { writeExportFile } from '../exports/file';
import type { AuditEntry } from '../../../shared/api/contract';
import { auditStrings } from './strings';

const COLUMNS: { key: keyof AuditEntry; width: number }[] = [
  { key: 'id', width: 8 },
  { key: 'at', width: 22 },
  { key: 'operator', width: 20 },
  { key: 'role', width: 13 },
  { key: 'method', width: 24 },
  { key: 'uai', width: 11 },
  { key: 'targetType', width: 14 },
  { key: 'targetId', width: 24 },
  { key: 'before', width: 40 },
  { key: 'after', width: 40 },
  { key: 'reason', width: 30 },
  { key: 'outcome', width: 10 },
  { key: 'errorCode', width: 16 },
];

function cell(entry: AuditEntry, key: keyof AuditEntry): string | number | Date | null {
  const value = entry[key];
  if (key === 'at') return new Date(entry.at);
  if (key === 'outcome') return auditStrings.outcomes[entry.outcome];
  if (key === 'before' || key === 'after') return value === null ? null : JSON.stringify(value);
  return (value as string | number | null) ?? null;
}

/**
 * Writes the entries through the shared export file (exports/file.ts: checked path, private temporary file, renamed
 * at the end): a refused path writes nothing, and a half-written workbook never takes the requested name. Cells are
 * strings, numbers and dates, never formulas. `entries` (lazy) is read only once the path has been accepted.
 */
export async function writeAuditWorkbook(
  file: { path: string; overwrite?: boolean },
  entries: Iterable<AuditEntry>,
): Promise<{ path: string; rows: number }> {
  let rows = 0;
  const written = await writeExportFile({ ...file, format: 'xlsx' }, async (out) => {
    const ExcelJS = await loadExcel();
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'EduConnect Desk';
    const sheet = workbook.addWorksheet(auditStrings.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = COLUMNS.map((c) => ({ header: auditStrings.columns[c.key], key: c.key, width: c.width }));
    for (const entry of entries) {
      sheet.addRow(COLUMNS.map((c) => cell(entry, c.key)));
      rows += 1;
    }
    sheet.getColumn('at').numFmt = 'dd/mm/yyyy hh:mm:ss';
    const header = sheet.getRow(1);
    header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
    header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF000091' } };
    header.alignment = { vertical: 'middle' };
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
    await workbook.xlsx.write(out);
  });
  return { path: written.path, rows };
}
