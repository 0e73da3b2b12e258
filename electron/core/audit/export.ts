/** The audit trail as an Excel workbook: French headers, formatted header row, autofilter, frozen header. */
import { loadExcel } from '../exports/excel';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import { createPrivateFile } from '../files';
import type { AuditEntry } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import { auditStrings } from './strings';

/** Refuses a relative path or a missing folder before anything is written. */
export function checkExportPath(path: string): void {
  if (!isAbsolute(path)) throw new ApiError('INVALID_INPUT', auditStrings.pathNotAbsolute);
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new ApiError('INVALID_INPUT', auditStrings.folderMissing(folder));
}

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
 * Writes to a temporary file first (0600: files.ts), then renames: a half-written workbook never takes the requested
 * name.
 */
export async function writeAuditWorkbook(path: string, entries: Iterable<AuditEntry>): Promise<number> {
  checkExportPath(path);
  const ExcelJS = await loadExcel();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'EduConnect Desk';
  const sheet = workbook.addWorksheet(auditStrings.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({ header: auditStrings.columns[c.key], key: c.key, width: c.width }));
  let rows = 0;
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
  const temp = `${path}.part`;
  try {
    createPrivateFile(temp);
    await workbook.xlsx.writeFile(temp);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new ApiError('INVALID_INPUT', auditStrings.writeFailed(error instanceof Error ? error.message : String(error)));
  }
  return rows;
}
