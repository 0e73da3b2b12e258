/**
 * The hash-chained audit trail on a real SQLite file: append-only, one chain per establishment with its head, tamper
 * detection (edited, deleted, newest deleted, forged checkpoint), purge checkpoint per chain, Excel export.
 */
import ExcelJS from 'exceljs';
import type { Database } from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/database';
import { writeAuditWorkbook } from '../../electron/core/audit/export';
import { AuditTrail, canonicalJson, headSeal, type AuditHead } from '../../electron/core/audit/trail';
import type { AuditEvent } from '../../electron/core/dispatcher';
import { ApiError } from '../../shared/api/errors';
import { tempDir } from '../helpers/temp';

let dir: ReturnType<typeof tempDir>;
let db: Database;
let trail: AuditTrail;

const A = '0750654D';
const B = '0951099D';

const event = (i: number, at = new Date(Date.UTC(2025, 0, 1 + i)), uai: string | null = A): AuditEvent => ({
  method: 'settings.update',
  operator: { login: 'chef.demo', role: 'chef', uais: [A] },
  at,
  transport: 'internal',
  details: [{ uai: uai ?? undefined, targetType: 'settings', targetId: 's1', before: { letterHeader: `v${i}` }, after: { letterHeader: `v${i + 1}`, password: 'secret' } }],
  outcome: 'ok',
  errorCode: null,
});

const verified = { ok: true, firstBadEntry: null, problems: [] };

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
    expect(trail.verify()).toEqual({ ...verified, entries: 5, purged: 0 });
    const page = trail.list({ limit: 2 }, [A]);
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
    expect(trail.verify()).toMatchObject({ ok: false, entries: 6, firstBadEntry: 4, purged: 0 });
    expect(trail.verify().problems).toEqual([
      `Établissement ${A} : l’entrée n° 4 ne correspond plus à son empreinte ou à l’entrée précédente (entrée modifiée, insérée, ou entrée supprimée juste avant).`,
    ]);
  });

  it('detects a deleted row at the next one', () => {
    for (let i = 0; i < 4; i++) trail.record(event(i));
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE id = 2').run();
    expect(trail.verify()).toMatchObject({ ok: false, firstBadEntry: 3 });
  });

  it('purges old entries of one chain through the gate and re-anchors that chain with a checkpoint', () => {
    for (let i = 0; i < 6; i++) trail.record(event(i));
    trail.record(event(0, undefined, B));
    const candidates = trail.purgeCandidates(A, '2025-01-04');
    expect(candidates).toEqual({ count: 3, throughId: 3 });
    db.transaction(() => trail.purgeThrough(A, 3, 'chef.demo', new Date()))();
    expect(trail.verify()).toEqual({ ...verified, entries: 4, purged: 3 });
    // The other establishment's older entry is still there.
    expect(trail.list({}, null).items.map((e) => e.id)).toEqual([7, 6, 5, 4]);
    trail.record(event(9));
    expect(trail.verify()).toMatchObject({ ok: true, entries: 5 });
    // The gate is closed again after the purge.
    expect(() => db.prepare('DELETE FROM audit_log WHERE id = 4').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_checkpoints').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE audit_heads SET entries = 0 WHERE chain = ?").run(A)).toThrow(/moves forward/);
    expect(() => db.prepare('DELETE FROM audit_heads').run()).toThrow(/cannot be deleted/);
  });

  it('keeps one chain per establishment and one for entries without one, interleaved, each verifying', () => {
    for (let i = 0; i < 9; i++) trail.record(event(i, undefined, [A, B, null][i % 3]!));
    expect(trail.verify()).toEqual({ ...verified, entries: 9, purged: 0 });
    const heads = db.prepare('SELECT chain, last_id, entries FROM audit_heads ORDER BY chain').all();
    expect(heads).toEqual([
      { chain: '', last_id: 9, entries: 3 },
      { chain: A, last_id: 7, entries: 3 },
      { chain: B, last_id: 8, entries: 3 },
    ]);
  });

  it('detects the newest entries deleted straight in SQLite, and says which', () => {
    for (let i = 0; i < 6; i++) trail.record(event(i));
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE id > 4').run();
    const result = trail.verify();
    expect(result).toMatchObject({ ok: false, entries: 4, firstBadEntry: null });
    expect(result.problems).toEqual([
      `Établissement ${A} : la dernière entrée enregistrée est la n° 6, mais la chaîne s’arrête à la n° 4 ; les entrées les plus récentes ont été supprimées.`,
      `Établissement ${A} : 6 entrée(s) attendue(s), 4 présente(s) ; des entrées ont été supprimées ou ajoutées.`,
    ]);
  });

  it('detects every entry of a chain deleted', () => {
    for (let i = 0; i < 3; i++) trail.record(event(i, undefined, i === 1 ? B : A));
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE uai = ?').run(A);
    const result = trail.verify();
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toContain(`Établissement ${A} : la dernière entrée enregistrée est la n° 3, mais la chaîne s’arrête à la n° 0`);
    expect(result.problems.join('\n')).not.toContain(B);
  });

  it('detects a forged checkpoint used to delete the oldest entries', () => {
    for (let i = 0; i < 6; i++) trail.record(event(i));
    const anchor = db.prepare('SELECT hash FROM audit_log WHERE id = 2').pluck().get() as string;
    db.prepare("INSERT INTO audit_checkpoints (at, operator, purged_through, purged_count, anchor_hash, chain) VALUES ('2025-02-01', 'x', 2, 2, ?, ?)").run(anchor, A);
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('DELETE FROM audit_log WHERE id <= 2').run();
    const result = trail.verify();
    expect(result).toMatchObject({ ok: false, entries: 4, firstBadEntry: null, purged: 2 });
    expect(result.problems).toEqual([
      `Établissement ${A} : le point de reprise n° 1 n’a pas été créé par une bascule ; les entrées qu’il dit purgées ont été supprimées.`,
      `Établissement ${A} : 6 entrée(s) attendue(s), 4 présente(s) ; des entrées ont été supprimées ou ajoutées.`,
    ]);
  });

  it('detects a forged checkpoint even when the head is moved along without its seal, and a checkpoint outside any chain', () => {
    for (let i = 0; i < 4; i++) trail.record(event(i));
    const anchor = db.prepare('SELECT hash FROM audit_log WHERE id = 4').pluck().get() as string;
    db.prepare("INSERT INTO audit_checkpoints (at, operator, purged_through, purged_count, anchor_hash, chain) VALUES ('2025-02-01', 'x', 4, 4, ?, ?)").run(anchor, A);
    db.prepare("INSERT INTO audit_checkpoints (at, operator, purged_through, purged_count, anchor_hash) VALUES ('2025-02-01', 'x', 4, 4, ?)").run(anchor);
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.prepare('INSERT INTO audit_purge_gate (open) VALUES (1)').run();
    db.prepare('DELETE FROM audit_log').run();
    db.prepare('UPDATE audit_heads SET entries = 0, checkpoint_id = 1').run();
    const problems = trail.verify().problems;
    expect(problems).toEqual([
      `Établissement ${A} : la tête de chaîne a été modifiée hors de l’application (son sceau ne correspond plus).`,
      'Le point de reprise n° 2 n’appartient à aucune chaîne : il n’a pas été créé par une bascule.',
    ]);
  });

  it('detects the newest entries deleted with their head rewritten, through the AUTOINCREMENT sequence', () => {
    for (let i = 0; i < 5; i++) trail.record(event(i));
    db.exec('DROP TRIGGER audit_log_no_delete');
    db.exec('DROP TRIGGER audit_heads_forward');
    db.prepare('DELETE FROM audit_log WHERE id > 3').run();
    const last = db.prepare('SELECT hash FROM audit_log WHERE id = 3').pluck().get() as string;
    const head: AuditHead = { chain: A, last_id: 3, last_hash: last, entries: 3, checkpoint_id: null };
    db.prepare('UPDATE audit_heads SET last_id = 3, last_hash = ?, entries = 3, seal = ?').run(last, headSeal(head));
    expect(trail.verify().problems).toEqual([
      'La numérotation du journal est allée jusqu’à 5 alors que la dernière entrée enregistrée est la n° 3 : des entrées ont été supprimées en fin de journal.',
    ]);
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
    expect(await writeAuditWorkbook({ path }, trail.iterate({}, null))).toEqual({ path, rows: 3 });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    const sheet = book.getWorksheet('Journal')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('N°');
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.rowCount).toBe(4);
    expect(sheet.autoFilter).toBeTruthy();
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    await expect(writeAuditWorkbook({ path: 'relatif.xlsx' }, [])).rejects.toBeInstanceOf(ApiError);
    await expect(writeAuditWorkbook({ path: join(dir.path, 'absent', 'j.xlsx') }, [])).rejects.toThrow(/n’existe pas/);
  });
});
