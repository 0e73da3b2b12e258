/**
 * The one CSV cell format of every CSV export: `;`-separated, CRLF, UTF-8 with a BOM (what French spreadsheets expect),
 * quoted when needed, and neutralised against formula injection (OWASP "CSV injection"): a text cell starting with
 * `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a guardian named `=HYPERLINK(…)` stays text.
 * The rule is the same for every text cell, data like `-12` or `+33 6…` included (it stays readable, the `'` shows
 * what happened); a value typed as a number is written as a number (a numeral cannot run anything).
 */

export const CSV_BOM = '\uFEFF';
export const CSV_SEPARATOR = ';';
export const CSV_EOL = '\r\n';

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[";\r\n]/;

export type CsvValue = string | number | null | undefined;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  // A decimal comma, as French spreadsheets read `;`-separated files.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value).replace('.', ',') : '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One record, CRLF-terminated. */
export const csvLine = (values: readonly CsvValue[]): string => `${values.map(csvCell).join(CSV_SEPARATOR)}${CSV_EOL}`;

/** The first line of a file: the BOM, then the header record. */
export const csvHeader = (headers: readonly string[]): string => `${CSV_BOM}${csvLine(headers)}`;
