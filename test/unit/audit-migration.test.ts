/** Migration 8: the single audit chain of version 3 is verified, then re-linked into one chain per establishment. */
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/database';
import { migrations } from '../../electron/core/db/migrations';
import { AuditTrail, GENESIS_HASH, rowHash, type AuditRowBody } from '../../electron/core/audit/trail';
import { tempDir } from '../helpers/temp';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

const A = '0750654D';
const B = '0951099D';

/** Writes entries the way version 3 did: one chain across every establishment. */
function writeSingleChain(db: Database, uais: (string | null)[]): void {
  let prev = (db.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined) ?? GENESIS_HASH;
  for (const uai of uais) {
    const id = ((db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").pluck().get() as number | undefined) ?? 0) + 1;
    const body: AuditRowBody = {
      id,
      at: new Date(Date.UTC(2024, 0, id)).toISOString(),
      operator: 'chef.demo',
      role: 'chef',
      method: 'settings.update',
      transport: 'internal',
      uai,
      target_type: 'settings',
      target_id: 's1',
      before: null,
      after: JSON.stringify({ letterHeader: `v${id}` }),
      reason: null,
      outcome: 'ok',
      error_code: null,
      prev_hash: prev,
    };
    const hash = rowHash(prev, body);
    db.prepare(
      `INSERT INTO audit_log (id, at, operator, role, method, transport, uai, target_type, target_id, before, after, reason, outcome, error_code, prev_hash, hash)
       VALUES (@id, @at, @operator, @role, @method, @transport, @uai, @target_type, @target_id, @before, @after, @reason, @outcome, @error_code, @prev_hash, @hash)`,
    ).run({ ...body, hash });
    prev = hash;
  }
}

function version7(): { path: string; db: Database } {
  const dir = tempDir('ecd-mig8-');
  dirs.push(dir);
  return { path: dir.path, db: openDatabase(dir.path, migrations.slice(0, 7)).db };
}

describe('migration 8 (audit chains)', () => {
  it('re-links a verified single chain (purged once) into one chain per establishment, with their heads', () => {
    expect(migrations.find((m) => m.version === 8)?.name).toBe('audit-chains');
    const { path, db: old } = version7();
    writeSingleChain(old, [A, B, null, A, B, A, null]);
    // A version-3 purge of the first two entries, with its checkpoint.
    const anchor = old.prepare('SELECT hash FROM audit_log WHERE id = 2').pluck().get() as string;
    old.transaction(() => {
      old.prepare('INSERT INTO audit_purge_gate (open) VALUES (1)').run();
      old.prepare('DELETE FROM audit_log WHERE id <= 2').run();
      old.prepare('DELETE FROM audit_purge_gate').run();
      old.prepare("INSERT INTO audit_checkpoints (at, operator, purged_through, purged_count, anchor_hash) VALUES ('2024-02-01', 'chef.demo', 2, 2, ?)").run(anchor);
    })();
    old.close();

    const { db, backupFile } = openDatabase(path);
    expect(backupFile).not.toBeNull();
    const trail = new AuditTrail(db);
    expect(trail.verify()).toEqual({ ok: true, entries: 5, firstBadEntry: null, purged: 2, problems: [] });
    expect(db.prepare('SELECT chain, last_id, entries, checkpoint_id FROM audit_heads ORDER BY chain').all()).toEqual([
      { chain: '', last_id: 7, entries: 2, checkpoint_id: null },
      { chain: A, last_id: 6, entries: 2, checkpoint_id: null },
      { chain: B, last_id: 5, entries: 1, checkpoint_id: null },
    ]);
    // The first entry of each chain links to the genesis; later ones to their chain's previous entry.
    const links = db.prepare('SELECT id, prev_hash = ? AS genesis FROM audit_log ORDER BY id').all(GENESIS_HASH);
    expect(links).toEqual([
      { id: 3, genesis: 1 },
      { id: 4, genesis: 1 },
      { id: 5, genesis: 1 },
      { id: 6, genesis: 0 },
      { id: 7, genesis: 0 },
    ]);
    expect(db.prepare('SELECT entries, first_bad_entry, last_sequence, last_checkpoint FROM audit_rechain').get()).toEqual({
      entries: 5,
      first_bad_entry: null,
      last_sequence: 7,
      last_checkpoint: 1,
    });
    // Appends go on per chain, and a rollover-style purge of A leaves B verifying.
    trail.record({ method: 'settings.update', operator: null, at: new Date(), transport: 'internal', details: [{ uai: B }], outcome: 'ok', errorCode: null });
    db.transaction(() => trail.purgeThrough(A, 6, 'chef.demo', new Date()))();
    expect(trail.verify()).toMatchObject({ ok: true, entries: 4, purged: 4, problems: [] });
    expect(() => db.prepare('UPDATE audit_log SET reason = ? WHERE id = 3').run('x')).toThrow(/append-only/);
    db.close();
  });

  it('keeps reporting a single chain that was already altered before it was re-linked', () => {
    const { path, db: old } = version7();
    writeSingleChain(old, [A, B, A, B]);
    old.exec('DROP TRIGGER audit_log_no_update');
    old.prepare(`UPDATE audit_log SET after = '{"letterHeader":"falsifié"}' WHERE id = 3`).run();
    old.close();

    const { db } = openDatabase(path);
    const result = new AuditTrail(db).verify();
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      'Le journal était déjà altéré avant son passage en une chaîne par établissement (à partir de l’entrée n° 3).',
    ]);
    db.close();
  });

  it('starts an empty trail with no heads and verifies', () => {
    const { path, db: old } = version7();
    old.close();
    const { db } = openDatabase(path);
    expect(db.prepare('SELECT COUNT(*) FROM audit_heads').pluck().get()).toBe(0);
    expect(new AuditTrail(db).verify()).toEqual({ ok: true, entries: 0, firstBadEntry: null, purged: 0, problems: [] });
    db.close();
  });
});
