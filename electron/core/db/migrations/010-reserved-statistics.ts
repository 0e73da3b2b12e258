import type { Database } from 'better-sqlite3';

/**
 * Version 10 belongs to the activation statistics (branch i-stats), built in parallel. Until it is merged, this empty
 * step keeps the numbering without gaps so that version 11 (imports) can run; the merge replaces it with the
 * statistics' own migration. A database created before that merge is a development one (no release carries it).
 */
export function up(_db: Database): void {
  // Nothing: see above.
}
