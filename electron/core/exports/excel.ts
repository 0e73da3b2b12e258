/**
 * exceljs, loaded on the first export rather than at start: requiring it is about a third of the host's cold start
 * (≈ 340 ms of 1.1 s, measured with --cpu-prof), and most sessions export nothing.
 */
import type * as ExcelNamespace from 'exceljs';

type ExcelJS = typeof ExcelNamespace;

let loading: Promise<ExcelJS> | undefined;

export function loadExcel(): Promise<ExcelJS> {
  // A CommonJS module: its exports are the default of the dynamic import.
  loading ??= import('exceljs').then((m) => ((m as { default?: ExcelJS }).default ?? m) as ExcelJS);
  return loading;
}
