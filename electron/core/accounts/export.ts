/**
 * Export of an account list: exactly the rows of the list query (every page), streamed from SQLite to the file so
 * 100,000 rows never sit in memory. .xlsx through exceljs's streaming writer (bold filled header, autofilter, frozen
 * first row); CSV through the shared cell format (`;`, UTF-8 BOM, formulas neutralised: exports/csv.ts). The file is
 * written through exports/file.ts (checked path, private temporary file, renamed at the end), so a cancelled or failed
 * export leaves no file behind.
 */
import type { Database } from 'better-sqlite3';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { loadExcel } from '../exports/excel';
import { csvHeader, csvLine } from '../exports/csv';
import { writeExportFile } from '../exports/file';
import type { AccountQuery, AccountSort } from '../../../shared/api/methods/accounts';
import {
  ATTENTION_LABELS,
  CONTACT_STATUS_LABELS,
  FAMILY_LABELS,
  STATE_LABELS,
  attentionFromMask,
} from '../../../shared/domain/accounts';
import { orderedIds, type IndexRow } from '../accounts/query';

/** The projection columns an export reads: only these, a third fewer than a list row (reading is a fifth of the work). */
const READ_COLUMNS = [
  'person_id', 'last_name', 'first_name', 'login', 'ine', 'birth_date', 'division', 'mef', 'state', 'activated_at',
  'last_login_at', 'email', 'email_status', 'mobile', 'mobile_status', 'family', 'attention', 'notified_at', 'letter_expires_at',
] as const satisfies readonly (keyof IndexRow)[];

export type ExportRow = Pick<IndexRow, (typeof READ_COLUMNS)[number]>;

/** The rows of these people, in the order given (people gone since are skipped). */
export function exportRows(db: Database, kind: AccountQuery['kind'], ids: readonly string[]): ExportRow[] {
  if (ids.length === 0) return [];
  const rows = db
    .prepare(`SELECT ${READ_COLUMNS.join(', ')} FROM acc_index WHERE kind = ? AND person_id IN (SELECT value FROM json_each(?))`)
    .all(kind, JSON.stringify(ids)) as ExportRow[];
  const byId = new Map(rows.map((r) => [r.person_id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export interface ExportColumn {
  header: string;
  width: number;
  value: (r: ExportRow) => string | Date | null;
  date?: boolean;
}

const asDate = (iso: string | null): Date | null => (iso ? new Date(iso) : null);

export function exportColumns(kind: AccountQuery['kind']): ExportColumn[] {
  const columns: ExportColumn[] = [
    { header: 'Nom', width: 22, value: (r) => r.last_name },
    { header: 'Prénom', width: 18, value: (r) => r.first_name },
    { header: 'Identifiant', width: 20, value: (r) => r.login },
  ];
  if (kind === 'pupil') columns.push({ header: 'INE', width: 14, value: (r) => r.ine });
  columns.push(
    { header: 'Date de naissance', width: 14, value: (r) => r.birth_date },
    { header: kind === 'pupil' ? 'Classe' : 'Classe (1er enfant)', width: 12, value: (r) => r.division },
    { header: 'MEF', width: 14, value: (r) => r.mef },
    { header: 'État du compte', width: 18, value: (r) => STATE_LABELS[r.state] },
    { header: 'Date d’activation', width: 18, value: (r) => asDate(r.activated_at), date: true },
    { header: 'Dernière connexion', width: 18, value: (r) => asDate(r.last_login_at), date: true },
    { header: 'Date du dernier courrier', width: 18, value: (r) => asDate(r.notified_at), date: true },
    { header: 'Fin de validité du courrier', width: 18, value: (r) => asDate(r.letter_expires_at), date: true },
    { header: 'Courriel', width: 30, value: (r) => r.email },
    { header: 'Courriel confirmé', width: 14, value: (r) => CONTACT_STATUS_LABELS[r.email_status] },
    { header: 'Portable', width: 16, value: (r) => r.mobile },
    { header: 'Portable confirmé', width: 14, value: (r) => CONTACT_STATUS_LABELS[r.mobile_status] },
    { header: 'Famille', width: 28, value: (r) => FAMILY_LABELS[r.family] },
    { header: 'Points d’attention', width: 40, value: (r) => attentionFromMask(r.attention).map((k) => ATTENTION_LABELS[k]).join(', ') },
  );
  return columns;
}

export interface ExportHooks {
  cancelled?: () => boolean;
  progress?: (done: number, total: number) => void;
}

const CHUNK = 2000;
const pad = (n: number) => String(n).padStart(2, '0');
const frenchDateTime = (d: Date) =>
  `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;

const csvText = (value: string | Date | null): string | null => (value instanceof Date ? frenchDateTime(value) : value);

/** Writes the list to `input.path`; the caller brings the projection up to date first (AccountsService.fresh). */
export async function exportAccounts(
  db: Database,
  input: AccountQuery & { format: 'xlsx' | 'csv'; path: string; overwrite?: boolean; sort?: AccountSort },
  hooks: ExportHooks = {},
): Promise<{ path: string; rows: number; cancelled: boolean }> {
  const { format } = input;
  let rows = 0;
  const written = await writeExportFile({ path: input.path, format, overwrite: input.overwrite }, async (out) => {
    // The set is fixed when the export starts; rows are then read a chunk at a time by id, so no statement stays open
    // across the awaits (other calls use the same connection meanwhile) and a sync in between cannot shift pages.
    const ids = orderedIds(db, input);
    const total = ids.length;
    const chunks = function* () {
      for (let i = 0; i < ids.length; i += CHUNK) yield exportRows(db, input.kind, ids.slice(i, i + CHUNK));
    };
    const columns = exportColumns(input.kind);
    let cancelled = false;
    const step = async () => {
      hooks.progress?.(rows, total);
      await new Promise((r) => setImmediate(r));
      cancelled = hooks.cancelled?.() ?? false;
    };
    if (format === 'csv') {
      await writeCsv(out, columns, chunks(), async (count) => {
        rows += count;
        await step();
        return cancelled;
      });
    } else {
      const ExcelJS = await loadExcel();
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
      const sheet = workbook.addWorksheet(input.kind === 'pupil' ? 'Élèves' : 'Responsables', {
        views: [{ state: 'frozen', ySplit: 1 }],
      });
      sheet.columns = columns.map((c, i) => ({
        key: String(i),
        width: c.width,
        style: c.date ? { numFmt: 'dd/mm/yyyy hh:mm' } : {},
      }));
      const header = sheet.addRow(columns.map((c) => c.header));
      header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
      header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } };
      header.commit();
      sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
      // Cells are plain strings and dates, never formulas: a value starting with "=" stays text in a workbook.
      for (const chunk of chunks()) {
        for (const r of chunk) sheet.addRow(columns.map((c) => c.value(r))).commit();
        rows += chunk.length;
        await step();
        if (cancelled) break;
      }
      await sheet.commit();
      await workbook.commit();
    }
    if (!cancelled) hooks.progress?.(rows, total);
    return { cancelled };
  });
  return { path: written.path, rows, cancelled: written.cancelled };
}

/** Streams the rows as CSV; `afterChunk` reports each chunk and says whether to stop. */
async function writeCsv(
  out: Writable,
  columns: ExportColumn[],
  chunks: Iterable<ExportRow[]>,
  afterChunk: (count: number) => Promise<boolean>,
): Promise<void> {
  const write = async (text: string) => {
    if (!out.write(text, 'utf8')) await once(out, 'drain');
  };
  await write(csvHeader(columns.map((c) => c.header)));
  for (const chunk of chunks) {
    let buffer = '';
    for (const r of chunk) buffer += csvLine(columns.map((c) => csvText(c.value(r))));
    await write(buffer);
    if (await afterChunk(chunk.length)) break;
  }
}
