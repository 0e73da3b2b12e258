/**
 * The import report (.xlsx), written through the shared export file (exports/file.ts): a summary (files, counts,
 * who previewed and applied it), the changes field by field, every problem with its file and place, and the
 * differences sent to the review queue (the items raised once applied, else those the application would raise).
 */
import type { Database } from 'better-sqlite3';
import type { Worksheet } from 'exceljs';
import { IDENTITY_FIELD_LABELS } from '../../../shared/domain/review';
import { SCHOOL_FIELD_LABELS, type SchoolDisplayField } from '../../../shared/domain/school-fields';
import { loadExcel } from '../exports/excel';
import { writeExportFile } from '../exports/file';
import { importItems, listChanges, type PreviewRow } from './store';
import { importStrings } from './strings';

const r = importStrings.report;

const when = (iso: string | null): string =>
  iso ? new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(new Date(iso)) : '';

function style(sheet: Worksheet, headers: readonly string[], rows: (string | number)[][]): void {
  sheet.addRow([...headers]);
  for (const row of rows) sheet.addRow(row);
  const header = sheet.getRow(1);
  header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
  sheet.columns.forEach((column, index) => {
    const widest = Math.max(headers[index]!.length, ...rows.slice(0, 2000).map((row) => String(row[index] ?? '').length));
    column.width = Math.min(70, widest + 2);
  });
}

export async function writeReport(
  db: Database,
  preview: PreviewRow,
  file: { path: string; overwrite?: boolean },
): Promise<{ path: string; rows: number }> {
  const changes = listChanges(db, preview.id, { limit: Number.MAX_SAFE_INTEGER }).items;
  const changeRows: (string | number)[][] = [];
  for (const change of changes) {
    const cells = [change.label, r.kinds[change.personKind], change.personId, change.status === 'unchanged' ? '' : r.statuses[change.status]];
    if (change.fields.length === 0 && change.status !== 'unchanged') changeRows.push([...cells, '', '', '']);
    for (const field of change.fields) {
      changeRows.push([...cells, SCHOOL_FIELD_LABELS[field.field as SchoolDisplayField] ?? field.field, field.before ?? '', field.after ?? '']);
    }
  }
  const applied = preview.state === 'applied';
  const reviewRows: (string | number)[][] = applied
    ? importItems(db, preview.id).map((i) => [i.label, r.kinds[i.personKind], IDENTITY_FIELD_LABELS[i.field] ?? i.field, i.school ?? '', i.directory ?? ''])
    : changes.flatMap((c) => c.differences.map((d) => [c.label, r.kinds[c.personKind], IDENTITY_FIELD_LABELS[d.field] ?? d.field, d.school ?? '', d.directory ?? '']));
  const problemRows = preview.problems.map((p) => [p.file, p.where, r.severities[p.severity], p.code, p.message]);
  const c = preview.counts;
  const summary: (string | number)[][] = [
    [r.establishment, preview.uai],
    [r.source, r.sources[preview.source]],
    [r.files, preview.files.map((f) => f.name).join(', ')],
    [r.previewedAt, when(preview.createdAt)],
    [r.previewedBy, preview.createdBy ?? ''],
    [r.state, applied ? r.applied : r.notApplied],
    ...(applied ? [[r.appliedAt, when(preview.appliedAt)], [r.appliedBy, preview.appliedBy ?? '']] : []),
    [r.counts.pupils, c.pupils],
    [r.counts.pupilsLeft, c.pupilsLeft],
    [r.counts.guardians, c.guardians],
    [r.counts.links, c.links],
    [r.counts.new, c.new],
    [r.counts.changed, c.changed],
    [r.counts.completed, c.completed],
    [r.counts.left, c.left],
    [r.counts.unchanged, c.unchanged],
    [r.counts.differences, applied ? (preview.reviewItems ?? c.differences) : c.differences],
    [r.counts.problems, preview.problems.length],
  ];

  const written = await writeExportFile({ path: file.path, format: 'xlsx', overwrite: file.overwrite }, async (out) => {
    const ExcelJS = await loadExcel();
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'EduConnect Desk';
    const frozen = { views: [{ state: 'frozen' as const, ySplit: 1 }] };
    style(workbook.addWorksheet(r.sheets.summary, frozen), r.summaryHeaders, summary);
    style(workbook.addWorksheet(r.sheets.changes, frozen), r.changeHeaders, changeRows);
    style(workbook.addWorksheet(r.sheets.problems, frozen), r.problemHeaders, problemRows);
    style(workbook.addWorksheet(r.sheets.review, frozen), r.reviewHeaders, reviewRows);
    await workbook.xlsx.write(out);
  });
  return { path: written.path, rows: changeRows.length + problemRows.length + reviewRows.length };
}
