import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/database';
import { migrations } from '../../electron/core/db/migrations';
import { tempDir } from '../helpers/temp';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

describe('migration 5 (review)', () => {
  it('creates the school records and review items with their checks and queue index', () => {
    expect(migrations.find((m) => m.version === 5)?.name).toBe('review');
    const dir = tempDir('ecd-mig5-');
    dirs.push(dir);
    const { db } = openDatabase(dir.path);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['school_records', 'review_items']));
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT * FROM review_items WHERE uai = 'X' AND state = 'pending' ORDER BY person_label, person_id, id LIMIT 50")
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX review_items_queue/);
    expect(plan.map((p) => p.detail).join(' ')).not.toMatch(/TEMP B-TREE/);
    const insert = (state: string) =>
      db
        .prepare(
          `INSERT INTO review_items (uai, person_kind, person_id, person_label, field, source, origin, detected_at, ingested_at, state)
           VALUES ('0310877K', 'guardian', 'g1', 'A', 'email', 'self_service', 'contact', 'x', 'x', ?)`,
        )
        .run(state);
    expect(() => insert('pending')).not.toThrow();
    expect(() => insert('lost')).toThrow(/CHECK/);
    db.close();
  });
});
