import type { Database } from 'better-sqlite3';

/**
 * Version 9 belongs to the credential letters (branch i-letters), built in parallel. Until it is merged, this empty
 * step keeps the numbering without gaps so that version 10 (statistics) can run; the merge replaces it with the
 * letters' own migration. A database created before that merge is a development one (no release carries it).
 */
export function up(_db: Database): void {
  // Nothing: see above.
}
