/** Migration 003 (governance) on a real SQLite file: tables, append-only triggers, the purge gate. */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/database';
import { tempDir } from '../helpers/temp';

const dir = tempDir('ecd-mig3-');
afterEach(() => dir.remove());

describe('migration 003-governance', () => {
  it('creates the governance tables and guards the audit trail', () => {
    const { db } = openDatabase(dir.path);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    for (const t of ['audit_log', 'audit_checkpoints', 'audit_purge_gate', 'known_operators', 'sign_in_failures', 'delegations', 'rollovers']) {
      expect(tables).toContain(t);
    }
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(3);
    db.prepare(
      `INSERT INTO audit_log (at, method, transport, outcome, prev_hash, hash) VALUES ('2025-01-01', 'x.y', 'internal', 'ok', '0', '1')`,
    ).run();
    expect(() => db.prepare("UPDATE audit_log SET method = 'z'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    db.transaction(() => {
      db.prepare('INSERT INTO audit_purge_gate (open) VALUES (1)').run();
      expect(db.prepare('DELETE FROM audit_log').run().changes).toBe(1);
      db.prepare('DELETE FROM audit_purge_gate').run();
    })();
    expect(() => db.prepare("INSERT INTO audit_log (at, method, transport, outcome, prev_hash, hash) VALUES ('x', 'm', 't', 'maybe', '0', '1')").run()).toThrow(/CHECK/);
    db.close();
  });
});
