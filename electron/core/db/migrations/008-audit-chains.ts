import type { Database } from 'better-sqlite3';
import { chainOf, GENESIS_HASH, headSeal, rowHash, type AuditRow } from '../../audit/trail';

/**
 * Version 8: one audit chain per establishment (plus one for the entries without an establishment), each with a head
 * kept apart from the entries.
 *
 * - The trail was a single chain, so the rollover of one establishment could only purge every establishment's
 *   entries. From now on an entry links to the previous entry of its own chain, and a rollover purges a prefix of its
 *   establishment's chain. Existing entries are re-linked here, after the single chain has been verified: what that
 *   check found is kept in `audit_rechain`, and audit.verify reports a failure there for good (re-linking must not
 *   launder an altered trail).
 * - `audit_heads`: per chain the id and hash of the last appended entry, the number of entries present and the
 *   latest checkpoint, sealed by a hash over them and the last hash. Every append updates it in its transaction, so
 *   deleting the newest entries, or forging a checkpoint to delete the oldest, no longer goes unseen. Triggers let a
 *   head move only forward one entry at a time, except while the rollover holds the purge gate.
 * - `audit_checkpoints.chain`: the chain a checkpoint re-anchors; NULL for the checkpoints of the single chain.
 *
 * The hash formats come from audit/trail.ts: every stored hash depends on them, so they never change.
 */
export function up(db: Database): void {
  const legacy = verifySingleChain(db);
  const sequence = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").pluck().get() as number | undefined;
  const lastCheckpoint = db.prepare('SELECT MAX(id) FROM audit_checkpoints').pluck().get() as number | null;

  db.exec(`
    ALTER TABLE audit_checkpoints ADD COLUMN chain TEXT;

    CREATE TABLE audit_heads (
      chain         TEXT PRIMARY KEY, -- the establishment's UAI, or '' for entries without one (sign-ins, workstation)
      last_id       INTEGER NOT NULL, -- the last entry appended to the chain (still the head once a purge removed it)
      last_hash     TEXT NOT NULL,
      entries       INTEGER NOT NULL, -- entries of the chain present in audit_log
      checkpoint_id INTEGER,          -- the chain's latest checkpoint
      seal          TEXT NOT NULL     -- sha256(last_hash + canonical JSON of the other columns)
    ) STRICT;

    -- What the single chain looked like when it was re-linked into chains (one row).
    CREATE TABLE audit_rechain (
      at              TEXT NOT NULL,
      entries         INTEGER NOT NULL,
      first_bad_entry INTEGER,          -- the single chain did not verify from this entry on
      last_sequence   INTEGER NOT NULL, -- audit_log's AUTOINCREMENT sequence then
      last_checkpoint INTEGER NOT NULL  -- the last checkpoint of the single chain (0: none)
    ) STRICT;
  `);
  db.prepare('INSERT INTO audit_rechain (at, entries, first_bad_entry, last_sequence, last_checkpoint) VALUES (?, ?, ?, ?, ?)').run(
    new Date().toISOString(),
    legacy.entries,
    legacy.firstBadEntry,
    sequence ?? 0,
    lastCheckpoint ?? 0,
  );

  // Re-link every entry to the previous entry of its chain, a page at a time (no statement stays open across writes).
  db.exec('DROP TRIGGER IF EXISTS audit_log_no_update');
  const heads = new Map<string, { lastId: number; lastHash: string; entries: number }>();
  const page = db.prepare('SELECT * FROM audit_log WHERE id > ? ORDER BY id LIMIT 2000');
  const relink = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?');
  for (let after = 0; ; ) {
    const rows = page.all(after) as AuditRow[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const chain = chainOf(row.uai);
      const head = heads.get(chain);
      const { hash: _old, ...body } = row;
      const prev = head?.lastHash ?? GENESIS_HASH;
      const hash = rowHash(prev, { ...body, prev_hash: prev });
      relink.run(prev, hash, row.id);
      heads.set(chain, { lastId: row.id, lastHash: hash, entries: (head?.entries ?? 0) + 1 });
    }
    after = rows.at(-1)!.id;
  }
  const insertHead = db.prepare(
    'INSERT INTO audit_heads (chain, last_id, last_hash, entries, checkpoint_id, seal) VALUES (?, ?, ?, ?, NULL, ?)',
  );
  for (const [chain, h] of heads) {
    insertHead.run(chain, h.lastId, h.lastHash, h.entries, headSeal({ chain, last_id: h.lastId, last_hash: h.lastHash, entries: h.entries, checkpoint_id: null }));
  }

  db.exec(`
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

    CREATE TRIGGER audit_heads_no_delete BEFORE DELETE ON audit_heads
    BEGIN SELECT RAISE(ABORT, 'audit_heads cannot be deleted'); END;
    CREATE TRIGGER audit_heads_new BEFORE INSERT ON audit_heads
    WHEN NOT EXISTS (SELECT 1 FROM audit_purge_gate) AND (NEW.entries <> 1 OR NEW.checkpoint_id IS NOT NULL)
    BEGIN SELECT RAISE(ABORT, 'a new audit chain starts with one entry'); END;
    CREATE TRIGGER audit_heads_forward BEFORE UPDATE ON audit_heads
    WHEN NOT EXISTS (SELECT 1 FROM audit_purge_gate) AND NOT (
      NEW.chain = OLD.chain AND NEW.entries = OLD.entries + 1 AND NEW.last_id > OLD.last_id
      AND NEW.checkpoint_id IS OLD.checkpoint_id)
    BEGIN SELECT RAISE(ABORT, 'audit_heads only moves forward with an appended entry'); END;

    CREATE TRIGGER audit_rechain_no_update BEFORE UPDATE ON audit_rechain
    BEGIN SELECT RAISE(ABORT, 'audit_rechain is append-only'); END;
    CREATE TRIGGER audit_rechain_no_delete BEFORE DELETE ON audit_rechain
    BEGIN SELECT RAISE(ABORT, 'audit_rechain is append-only'); END;
  `);
}

/** The check of version 3's single chain: from its last checkpoint (or the genesis), ids growing, hashes matching. */
function verifySingleChain(db: Database): { entries: number; firstBadEntry: number | null } {
  const checkpoint = db.prepare('SELECT anchor_hash, purged_through FROM audit_checkpoints ORDER BY id DESC LIMIT 1').get() as
    | { anchor_hash: string; purged_through: number }
    | undefined;
  let expected = checkpoint?.anchor_hash ?? GENESIS_HASH;
  let previousId = checkpoint?.purged_through ?? 0;
  let entries = 0;
  let firstBadEntry: number | null = null;
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as Iterable<AuditRow>) {
    entries += 1;
    if (firstBadEntry !== null) continue;
    const { hash, ...body } = row;
    if (row.id <= previousId || row.prev_hash !== expected || rowHash(expected, body) !== hash) firstBadEntry = row.id;
    previousId = row.id;
    expected = hash;
  }
  return { entries, firstBadEntry };
}
