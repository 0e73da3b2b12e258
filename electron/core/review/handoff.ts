/**
 * Hand-off to the school's management software (SIECLE, ONDE or a private establishment's own): accepted changes not
 * keyed in yet, their export (.xlsx with a formatted, filterable, frozen header; CSV in the shared format: `;`, UTF-8
 * with BOM, formulas neutralised) through the shared export file (exports/file.ts), and the "saisi" mark.
 */
import type { Database } from 'better-sqlite3';
import { loadExcel } from '../exports/excel';
import { csvHeader, csvLine } from '../exports/csv';
import { writeExportFile } from '../exports/file';
import type { HandoffRow } from '../../../shared/api/methods/review';
import { ApiError } from '../../../shared/api/errors';
import { reviewStrings as s } from './strings';

interface Row {
  id: number;
  uai: string;
  person_kind: HandoffRow['personKind'];
  person_id: string;
  person_label: string;
  ine: string | null;
  field: HandoffRow['field'];
  school_value: string | null;
  new_value: string | null;
  decided_by: string | null;
  decided_at: string | null;
  keyed_at: string | null;
}

const SELECT = `SELECT r.id, r.uai, r.person_kind, r.person_id, r.person_label, p.ine, r.field, r.school_value, r.new_value,
    r.decided_by, r.decided_at, r.keyed_at
  FROM review_items r LEFT JOIN dir_pupils p ON r.person_kind = 'pupil' AND p.id = r.person_id
  WHERE r.uai = ? AND r.state = 'accepted' AND r.keyed_at IS NULL`;

const toHandoff = (r: Row): HandoffRow => ({
  id: r.id,
  uai: r.uai,
  personKind: r.person_kind,
  personId: r.person_id,
  personLabel: r.person_label,
  ine: r.ine,
  field: r.field,
  oldValue: r.school_value,
  newValue: r.new_value,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  keyedAt: r.keyed_at,
});

export function handoffList(db: Database, uai: string, offset = 0, limit = 200): { total: number; items: HandoffRow[] } {
  const total = db.prepare(`SELECT count(*) FROM (${SELECT})`).pluck().get(uai) as number;
  const rows = db.prepare(`${SELECT} ORDER BY r.person_label, r.id LIMIT ? OFFSET ?`).all(uai, limit, offset) as Row[];
  return { total, items: rows.map(toHandoff) };
}

function cells(row: HandoffRow): string[] {
  return [
    row.personLabel,
    s.personKind[row.personKind] ?? row.personKind,
    row.personId,
    row.ine ?? '',
    s.fields[row.field] ?? row.field,
    row.oldValue ?? '',
    row.newValue ?? '',
    row.decidedBy ?? '',
    row.decidedAt ? formatDate(row.decidedAt) : '',
  ];
}

/** dd/mm/yyyy hh:mm in Paris time, as the secretariat reads dates. */
function formatDate(iso: string): string {
  return new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(new Date(iso));
}

export async function handoffExport(
  db: Database,
  uai: string,
  file: { format: 'xlsx' | 'csv'; path: string; overwrite?: boolean },
): Promise<{ path: string; rows: number }> {
  const rows = (db.prepare(`${SELECT} ORDER BY r.person_label, r.id`).all(uai) as Row[]).map(toHandoff);
  const written = await writeExportFile(file, async (out) => {
    if (file.format === 'csv') {
      out.end([csvHeader(s.exportHeaders), ...rows.map((row) => csvLine(cells(row)))].join(''), 'utf8');
      return;
    }
    const ExcelJS = await loadExcel();
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'EduConnect Desk';
    const sheet = workbook.addWorksheet(s.exportSheet, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.addRow([...s.exportHeaders]);
    for (const row of rows) sheet.addRow(cells(row));
    const header = sheet.getRow(1);
    header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
    header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } };
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: s.exportHeaders.length } };
    sheet.columns.forEach((column, index) => {
      const widest = Math.max(s.exportHeaders[index]!.length, ...rows.map((r) => (cells(r)[index] ?? '').length));
      column.width = Math.min(60, widest + 2);
    });
    await workbook.xlsx.write(out);
  });
  return { path: written.path, rows: rows.length };
}

/**
 * Marks accepted changes as keyed in; refuses the whole request (changing nothing) if one is not accepted. `audit`
 * records each establishment's entry inside the same transaction.
 */
export function markKeyed(db: Database, ids: number[], by: string, now: string, audit: (uai: string, marked: number) => void): { marked: number; uais: string[] } {
  return db.transaction(() => {
    const perUai = new Map<string, number>();
    let marked = 0;
    const get = db.prepare('SELECT uai, state, keyed_at FROM review_items WHERE id = ?');
    const set = db.prepare('UPDATE review_items SET keyed_at = ?, keyed_by = ? WHERE id = ? AND keyed_at IS NULL');
    for (const id of ids) {
      const row = get.get(id) as { uai: string; state: string; keyed_at: string | null } | undefined;
      if (!row) throw new ApiError('NOT_FOUND', s.notFound(id));
      if (row.state !== 'accepted') throw new ApiError('CONFLICT', s.notAccepted(id));
      const changed = set.run(now, by, id).changes;
      marked += changed;
      perUai.set(row.uai, (perUai.get(row.uai) ?? 0) + changed);
    }
    for (const [uai, count] of perUai) audit(uai, count);
    return { marked, uais: [...perUai.keys()] };
  })();
}
