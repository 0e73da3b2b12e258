/** accounts.export: exactly the filtered set, every page, to .xlsx (read back with exceljs) and CSV (; + BOM). */
import ExcelJS from 'exceljs';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccountsEnv, type AccountsEnv } from './accounts-helpers';

let env: AccountsEnv;
let uai: string;

beforeAll(async () => {
  env = await openAccountsEnv({ pupils: 300 });
  uai = env.uais[0]!;
}, 60_000);

afterAll(async () => {
  await env?.close();
});

describe('accounts.export', () => {
  it('writes the filtered guardians to CSV with ; and a UTF-8 BOM, in list order', async () => {
    const filters = { state: ['active' as const, 'notifie' as const] };
    const ids = await env.call<{ total: number; ids: string[] }>('accounts.ids', { kind: 'guardian', uai, filters });
    const path = join(env.dataDir, 'responsables.csv');
    const result = await env.call<{ rows: number; cancelled: boolean }>('accounts.export', { kind: 'guardian', uai, filters, format: 'csv', path });
    expect(result).toMatchObject({ rows: ids.total, cancelled: false });
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'Nom;Prénom;Identifiant;Date de naissance;Classe (1er enfant);MEF;État du compte;Date d’activation;Dernière connexion;Date du dernier courrier;Fin de validité du courrier;Courriel;Courriel confirmé;Portable;Portable confirmé;Famille;Points d’attention',
    );
    expect(lines).toHaveLength(ids.total + 1);
    const page = await env.call<{ rows: { lastName: string; login: string; activatedAt: string | null }[] }>('accounts.search', { kind: 'guardian', uai, filters, limit: 500 });
    const logins = lines.slice(1).map((l) => l.split(';')[2]);
    expect(logins).toEqual(page.rows.map((r) => r.login));
    const activated = page.rows.findIndex((r) => r.activatedAt);
    expect(lines[activated + 1]!.split(';')[7]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    expect(lines.slice(1).every((l) => /;(Activé|Notifié);/.test(l))).toBe(true);
  });

  it('writes pupils to .xlsx with a formatted, frozen, filterable header and real dates', async () => {
    const path = join(env.dataDir, 'eleves.xlsx');
    const total = (await env.call<{ total: number }>('accounts.ids', { kind: 'pupil', uai })).total;
    const result = await env.call<{ rows: number }>('accounts.export', { kind: 'pupil', uai, format: 'xlsx', path });
    expect(result.rows).toBe(total);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('Élèves');
    expect(sheet.rowCount).toBe(total + 1);
    expect(sheet.getRow(1).getCell(1).value).toBe('Nom');
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = headers.indexOf('Date d’activation') + 1;
    const dates = [];
    for (let r = 2; r <= sheet.rowCount; r++) dates.push(sheet.getRow(r).getCell(col).value);
    expect(dates.some((d) => d instanceof Date)).toBe(true);
  });

  it('a cancelled export leaves neither the target nor a temporary file, and says so in the audit trail', async () => {
    const folder = join(env.dataDir, 'annule');
    mkdirSync(folder);
    for (const format of ['xlsx', 'csv'] as const) {
      const jobId = `export-${format}`;
      const off = env.events.subscribe((event, payload) => {
        if (event === 'job.progress' && (payload as { jobId?: string }).jobId === jobId) void env.call('jobs.cancel', { jobId });
      });
      const path = join(folder, `responsables.${format}`);
      const result = await env.call('accounts.export', { kind: 'guardian', uai, format, path, jobId });
      off();
      expect(result).toMatchObject({ cancelled: true });
      expect(readdirSync(folder)).toEqual([]);
      expect(env.audits.at(-1)).toMatchObject({
        method: 'accounts.export',
        outcome: 'ok',
        details: [{ targetType: 'file', targetId: path, after: expect.objectContaining({ cancelled: true }) }],
      });
    }
  });

  it('refuses a bad path and leaves nothing behind', async () => {
    await expect(env.call('accounts.export', { kind: 'pupil', uai, format: 'xlsx', path: join(env.dataDir, 'x.csv') })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(env.call('accounts.export', { kind: 'pupil', uai, format: 'csv', path: join(env.dataDir, 'absent', 'x.csv') })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(existsSync(join(env.dataDir, 'absent'))).toBe(false);
  });
});
