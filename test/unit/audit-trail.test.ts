/** The hash-chained audit trail on a real SQLite file: append-only, tamper detection, purge checkpoint, Excel export. */
import ExcelJS from 'exceljs';
import type { Database } from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/database';
import { writeAuditWorkbook } from '../../electron/core/audit/export';
import { AuditTrail, canonicalJson } from '../../electron/core/audit/trail';
import type { AuditEvent } from '../../electron/core/dispatcher';
import { ApiError } from '../../shared/api/errors';
import { tempDir } from '../helpers/temp';

let dir: ReturnType<typeof tempDir>;
let db: Database;
let trail: AuditTrail;

const event = (i: number, at = new Date(Date.UTC(2025, 0, 1 + i))): AuditEvent => ({
  method: 'settings.update',
  operator: { login: 'chef.demo', role: 'chef', uais: ['0750654D'] },
  at,
  transport: 'internal',
  details: [{ uai: '0750654D', targetType: 'settings', targetId: 's1', before: { letterHeader: `v${i}` }, after: { letterHeader: `v${i + 1}`, password: 'secret' } }],
  outcome: 'ok',
  errorCode: null,
});

beforeEach(() => {
  dir = tempDir('ecd-audit-');
  db = openDatabase(dir.path).db;
  trail = new AuditTrail(db);
});

afterEach(() => {
  db.close();
  dir.remove();
});

describe('audit trail', () => {
  it('canonical JSON sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"e":1,"f":2}]},"b":1}');
  });

  it('chains entries and verifies; never stores a password', () => {
    for (let i = 0; i < 5; i++) trail.record(event(i));
    expect(trail.verify()).toEqual({ ok: true, entries: 5, firstBadEntry: null, purged: 0 });
    const page = trail.list({ limit: 2 }, ['0750654D']);
    expect(page.total).toBe(5);
    expect(page.items.map((e) => e.id)).toEqual([5, 4]);
    expect(JSON.stringify(page.items)).not.toContain('secret');
  });

  it('refuses UPDATE and DELETE through the triggers', () => {
    trail.record(event(0));
    expect(() => db.prepare("UPDATE audit_log SET reason = 'x' WHERE id = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE id = 1').run()).toThrow(/append-only/);
    expect(trail.verify().ok).toBe(true);
  });

  it('detects a row edited with the triggers dropped, at that row', () => {
    for (let i = 0; i < 6; i++) trail.record(event(i));
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare(`UPDATE audit_log SET after = '{"letterHeader":"falsifié"}' WHERE id = 4`).run();
    expect(trail.verify()).toEqual({ ok: false, entries: 6, firstBadEntry: 4, purged: 0 });
  });

  it('detects a deleted row at the next one', () => {
    for (let i = 0; i < 4; i++) trail.record(event(i));
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE id = 2').run();
    expect(trail.verify()).toMatchObject({ ok: false, firstBadEntry: 3 });
  });

  it('purges old entries through the gate and re-anchors the chain with a checkpoint', () => {
    for (let i = 0; i < 6; i++) trail.record(event(i));
    const candidates = trail.purgeCandidates('2025-01-04');
    expect(candidates).toEqual({ count: 3, throughId: 3 });
    db.transaction(() => trail.purgeThrough(3, 'chef.demo', new Date()))();
    expect(trail.verify()).toEqual({ ok: true, entries: 3, firstBadEntry: null, purged: 3 });
    trail.record(event(9));
    expect(trail.verify()).toMatchObject({ ok: true, entries: 4 });
    // The gate is closed again after the purge.
    expect(() => db.prepare('DELETE FROM audit_log WHERE id = 4').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_checkpoints').run()).toThrow(/append-only/);
  });

  it('filters by operator, method, outcome and dates', () => {
    trail.record(event(0));
    trail.record({ ...event(1), outcome: 'refused', errorCode: 'FORBIDDEN', operator: { login: 'secretariat.demo', role: 'secretariat', uais: ['0750654D'] } });
    expect(trail.list({ outcome: 'refused' }, null).items.map((e) => e.operator)).toEqual(['secretariat.demo']);
    expect(trail.list({ operator: 'chef' }, null).total).toBe(1);
    expect(trail.list({ method: 'settings.' }, null).total).toBe(2);
    expect(trail.list({ from: '2025-01-02', to: '2025-01-02' }, null).total).toBe(1);
    expect(trail.list({}, ['0999999X']).total).toBe(0);
  });

  it('exports to .xlsx with a formatted, filtered, frozen header', async () => {
    for (let i = 0; i < 3; i++) trail.record(event(i));
    const path = join(dir.path, 'journal.xlsx');
    expect(await writeAuditWorkbook(path, trail.iterate({}, null))).toBe(3);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    const sheet = book.getWorksheet('Journal')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('N°');
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.rowCount).toBe(4);
    expect(sheet.autoFilter).toBeTruthy();
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    await expect(writeAuditWorkbook('relatif.xlsx', [])).rejects.toBeInstanceOf(ApiError);
    await expect(writeAuditWorkbook(join(dir.path, 'absent', 'j.xlsx'), [])).rejects.toThrow(/n’existe pas/);
  });
});
