/**
 * Model test (fast-check): any history of upserts and deletes, delivered with duplicates, in any order and cut into
 * pages of any size, leaves the mirror equal to the directory's final state. A staged resync over any mirror state
 * gives the same answer.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { openDatabase } from '../../electron/core/db/database';
import { MIRROR_TABLE, Mirror, type MirrorWrite } from '../../electron/core/directory/mirror';
import type { RecordType } from '../../shared/directory/wire';
import { tempDir } from '../helpers/temp';

const UAI = '0750654D';
const TYPES: RecordType[] = ['pupil', 'account', 'link'];

let dir: ReturnType<typeof tempDir>;
let db: Database;
let mirror: Mirror;
beforeAll(() => {
  dir = tempDir();
  db = openDatabase(dir.path).db;
  mirror = new Mirror(db);
});
afterAll(() => {
  db.close();
  dir.remove();
});

function reset(): void {
  for (const table of Object.values(MIRROR_TABLE)) db.prepare(`DELETE FROM ${table}`).run();
  db.prepare('DELETE FROM dir_staging').run();
}

interface Step {
  type: RecordType;
  key: number;
  op: 'upsert' | 'delete';
  value: string;
}

/** A server history: each step changes one record; versions grow per record, as the directory's do. */
const history: fc.Arbitrary<Step[]> = fc.array(
  fc.record({
    type: fc.constantFrom(...TYPES),
    key: fc.integer({ min: 0, max: 7 }),
    op: fc.constantFrom<('upsert' | 'delete')[]>('upsert', 'upsert', 'delete'),
    value: fc.string({ maxLength: 6 }),
  }),
  { minLength: 1, maxLength: 60 },
);

function toChanges(steps: Step[]): MirrorWrite[] {
  const versions = new Map<string, number>();
  return steps.map((step, seq) => {
    const id = `${step.type}-${step.key}`;
    const version = (versions.get(id) ?? 0) + 1;
    versions.set(id, version);
    return {
      type: step.type,
      id,
      version,
      seq: seq + 1,
      data: step.op === 'delete' ? null : JSON.stringify({ value: step.value, v: version, unknown: { kept: true } }),
    };
  });
}

/** The reference: for each record, its last change; live when that change is an upsert. */
function model(changes: MirrorWrite[]): Map<string, { version: number; data: string }> {
  const last = new Map<string, MirrorWrite>();
  for (const c of changes) last.set(c.id, c);
  const live = new Map<string, { version: number; data: string }>();
  for (const [id, c] of last) if (c.data !== null) live.set(id, { version: c.version, data: c.data });
  return live;
}

function mirrorState(): Map<string, { version: number; data: string }> {
  const out = new Map<string, { version: number; data: string }>();
  for (const type of TYPES) {
    const rows = db.prepare(`SELECT id, version, data FROM ${MIRROR_TABLE[type]} WHERE deleted = 0`).all() as {
      id: string;
      version: number;
      data: string;
    }[];
    for (const r of rows) out.set(r.id, { version: r.version, data: r.data });
  }
  return out;
}

/** Delivery as a hostile network does it: some changes repeated, the whole shuffled, cut into pages. */
const delivery = (n: number) =>
  fc.record({
    duplicates: fc.array(fc.integer({ min: 0, max: Math.max(0, n - 1) }), { maxLength: n }),
    order: fc.array(fc.nat(), { minLength: 2 * n, maxLength: 2 * n }),
    pageSize: fc.integer({ min: 1, max: 10 }),
  });

describe('mirror model', () => {
  it('converges for any history delivered with duplicates, reordering and any page size', () => {
    fc.assert(
      fc.property(
        history.chain((steps) => fc.tuple(fc.constant(steps), delivery(steps.length))),
        ([steps, { duplicates, order, pageSize }]) => {
          reset();
          const changes = toChanges(steps);
          const delivered = [...changes, ...duplicates.map((i) => changes[i]!)];
          // A deterministic shuffle driven by the generated keys.
          const keyed = delivered.map((c, i) => ({ c, k: order[i] ?? i }));
          keyed.sort((a, b) => a.k - b.k);
          for (let i = 0; i < keyed.length; i += pageSize) {
            db.transaction(() => {
              for (const { c } of keyed.slice(i, i + pageSize)) mirror.write(UAI, c);
            })();
          }
          expect(mirrorState()).toEqual(model(changes));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a staged resync replaces any earlier mirror state with the snapshot', () => {
    fc.assert(
      fc.property(history, history, (before, after) => {
        reset();
        for (const c of toChanges(before)) mirror.write(UAI, c);
        // The snapshot: the directory's live records after its own history.
        const truth = model(toChanges(after));
        db.transaction(() => {
          for (const [id, r] of truth) {
            mirror.stage(UAI, { type: id.split('-')[0] as RecordType, id, version: r.version, seq: null, data: r.data });
          }
          mirror.swapFromStaging(UAI);
        })();
        expect(mirrorState()).toEqual(truth);
        expect(db.prepare('SELECT count(*) FROM dir_staging').pluck().get()).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
