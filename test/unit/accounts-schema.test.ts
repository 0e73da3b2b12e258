/**
 * The list indexes runtime code rebuilds (accounts/schema.ts) are exactly those the migrations created: a fresh
 * database, migrated to the latest version, holds each of them with the same definition.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/database';
import { ACCOUNT_LIST_INDEXES } from '../../electron/core/accounts/schema';
import { tempDir } from '../helpers/temp';

const normalise = (sql: string) => sql.replace(/\s+/g, ' ').trim();

describe('account list indexes', () => {
  it('match what the migrations built', () => {
    const dir = tempDir('ecd-schema-');
    const { db } = openDatabase(dir.path);
    try {
      const built = new Map(
        (db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as { name: string; sql: string }[]).map(
          (i) => [i.name, normalise(i.sql)],
        ),
      );
      for (const index of ACCOUNT_LIST_INDEXES) expect(built.get(index.name), index.name).toBe(normalise(index.sql));
    } finally {
      db.close();
      dir.remove();
    }
  });
});
