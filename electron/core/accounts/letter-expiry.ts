/**
 * « Courrier expiré sans activation » depends on the clock, not only on the mirror: a notified account's row becomes
 * expired when its letter's end passes, with no write to say so. Before the lists are read, the rows whose letter end
 * has passed since they were computed (state notifié, not flagged yet: the partial index acc_index_letter_due) are
 * recorded like the people of a mirror write, so the projection's next refresh recomputes them. Nothing is due most
 * of the time: then this is one empty index range read.
 */
import type { Database } from 'better-sqlite3';
import { attentionBit } from '../../../shared/domain/accounts';
import { projectionClock } from './projection';

// The partial index (schema.ts, migration 009) spells the bit out.
if (attentionBit('letterExpired') !== 256) throw new Error('acc_index_letter_due assumes letterExpired is attention bit 8');

/** Records the people of `uai` (or of every establishment) whose letter expired since their row was computed. */
export function markExpiredLetters(db: Database, uai?: string, now: Date = projectionClock.now()): number {
  // The terms repeat the partial index's WHERE clause word for word, so the planner reads that index.
  const due = (
    uai === undefined
      ? db
          .prepare(
            `SELECT uai, kind, person_id FROM acc_index
             WHERE letter_expires_at <= ? AND state = 'notifie' AND (attention & 256) = 0`,
          )
          .all(now.toISOString())
      : db
          .prepare(
            `SELECT uai, kind, person_id FROM acc_index INDEXED BY acc_index_letter_due
             WHERE uai = ? AND letter_expires_at <= ? AND state = 'notifie' AND (attention & 256) = 0`,
          )
          .all(uai, now.toISOString())
  ) as { uai: string; kind: string; person_id: string }[];
  if (due.length === 0) return 0;
  const mark = db.prepare('INSERT INTO acc_dirty (uai, full) VALUES (?, 0) ON CONFLICT (uai) DO NOTHING');
  const person = db.prepare('INSERT OR IGNORE INTO acc_dirty_people (uai, kind, person_id) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const row of due) {
      mark.run(row.uai);
      person.run(row.uai, row.kind, row.person_id);
    }
  })();
  return due.length;
}
