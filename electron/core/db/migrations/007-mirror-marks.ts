import type { Database } from 'better-sqlite3';
import { ACCOUNT_SOURCE_TABLES } from './004-accounts';

/**
 * Version 7: the mirror tables lose their triggers. The Mirror now tells the account projection what each write
 * concerns itself (electron/core/accounts/marks.ts), in the same transaction: any INSERT or UPDATE trigger on these
 * tables, even an empty one, made every mirror write about four times slower, and a full sync paid it on every record.
 * Nothing else changes: acc_dirty / acc_dirty_people keep their meaning and their pending rows.
 */
export function up(db: Database): void {
  for (const table of ACCOUNT_SOURCE_TABLES) {
    for (const event of ['insert', 'update', 'delete']) db.exec(`DROP TRIGGER IF EXISTS ${table}_acc_${event}`);
  }
}
