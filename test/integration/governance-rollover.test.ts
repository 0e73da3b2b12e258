/**
 * The end-of-year rollover on a workstation shared by two establishments (the demo operator `multi.demo` is head of
 * both): the rollover of A purges A's old history and what belongs to no establishment, exactly as previewed, and
 * nothing of B's; every audit chain still verifies. Real core, real SQLite file, real demo directory over HTTP.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import { BACKUP_DIR } from '../../electron/core/db/database';
import type { DemoDirectory } from '../../electron/demo-directory/server';
import { tempDir } from '../helpers/temp';
import { FAST_RETRY, operator, startDirectory } from './sync-helpers';

const origin = { transport: 'internal' as const };
const OLD = '2020-03-02T10:00:00.000Z';
let directory: DemoDirectory;
let core: Core;
let A: string;
let B: string;
const data = tempDir('ecd-rollover-');

/** Ids of what each establishment's seed puts in, by what the rollover must do with it. */
interface Seeded {
  outbox: { purged: number[]; kept: number[] };
  actions: { purged: number[]; kept: number[] };
  review: { purged: number[]; kept: number[] };
}
const seeded: Record<string, Seeded> = {};

function insertOutbox(uai: string, state: string, at: string, nextAttemptAt: string | null = null): number {
  return Number(
    core.db
      .prepare(
        `INSERT INTO outbox (uai, idempotency_key, kind, target_type, target_id, if_match, payload, state, attempts, next_attempt_at,
           created_at, updated_at, result)
         VALUES (?, lower(hex(randomblob(16))), 'contact.update', 'account', 'cpt-x', 1, '{"email":"parent@exemple.fr"}', ?, 1, ?, ?, ?, ?)`,
      )
      .run(uai, state, nextAttemptAt, at, at, state === 'done' ? '{"record":{"data":{"email":"parent@exemple.fr"}}}' : null).lastInsertRowid,
  );
}

function insertAction(uai: string, at: string, outboxId: number | null): number {
  return Number(
    core.db
      .prepare(
        `INSERT INTO acc_actions (uai, person_kind, person_id, action, outbox_id, operator, reason, outcome, message, at)
         VALUES (?, 'guardian', 'g-x', 'contact.update', ?, 'multi.demo', 'Changement de courriel', 'queued', NULL, ?)`,
      )
      .run(uai, outboxId, at).lastInsertRowid,
  );
}

function insertReview(uai: string, state: string, at: string, extra: { keyed?: boolean; outboxId?: number; supersededBy?: number } = {}): number {
  const decided = ['accepted', 'rejected'].includes(state) ? at : null;
  return Number(
    core.db
      .prepare(
        `INSERT INTO review_items (uai, person_kind, person_id, person_label, field, new_value, source, origin, detected_at, ingested_at,
           state, superseded_by, decided_at, decided_by, outbox_id, keyed_at)
         VALUES (?, 'guardian', 'g-x', 'DUPONT Marie', 'email', 'marie@exemple.fr', 'self_service', 'contact', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(uai, at, at, state, extra.supersededBy ?? null, decided, decided ? 'multi.demo' : null, extra.outboxId ?? null, extra.keyed ? at : null)
      .lastInsertRowid,
  );
}

function seedHistory(uai: string): void {
  const now = new Date().toISOString();
  const outbox = {
    purged: [insertOutbox(uai, 'done', OLD), insertOutbox(uai, 'failed', OLD)],
    kept: [insertOutbox(uai, 'pending', OLD, '2999-01-01T00:00:00.000Z'), insertOutbox(uai, 'conflict', OLD), insertOutbox(uai, 'done', now)],
  };
  const [pendingOutbox, conflictOutbox] = outbox.kept;
  const actions = {
    purged: [insertAction(uai, OLD, null), insertAction(uai, OLD, outbox.purged[0]!)],
    kept: [insertAction(uai, OLD, pendingOutbox!), insertAction(uai, OLD, conflictOutbox!), insertAction(uai, now, null)],
  };
  const pending = insertReview(uai, 'pending', OLD);
  const rejectedStillNamed = insertReview(uai, 'rejected', OLD);
  const review = {
    purged: [insertReview(uai, 'rejected', OLD), insertReview(uai, 'accepted', OLD, { keyed: true }), insertReview(uai, 'superseded', OLD, { supersededBy: pending })],
    kept: [
      pending,
      rejectedStillNamed,
      // A recent superseded item names the old rejected one as its successor: the successor stays with it.
      insertReview(uai, 'superseded', now, { supersededBy: rejectedStillNamed }),
      insertReview(uai, 'deferred', OLD),
      insertReview(uai, 'conflict', OLD),
      insertReview(uai, 'accepted', OLD), // not keyed into SIECLE yet
      insertReview(uai, 'accepted', OLD, { keyed: true, outboxId: pendingOutbox! }), // its decision not sent yet
      insertReview(uai, 'rejected', now),
    ],
  };
  seeded[uai] = { outbox, actions, review };
}

const oldEntry = (uai: string | null, i: number) =>
  core.governance.trail.record({
    method: 'settings.update',
    operator: null,
    at: new Date(Date.UTC(2020, 0, 1 + i)),
    transport: 'internal',
    details: uai ? [{ uai, targetType: 'settings', targetId: 's' }] : [],
    outcome: 'ok',
    errorCode: null,
  });

beforeAll(async () => {
  directory = await startDirectory({ establishments: 2, pupils: 30 });
  core = createCore({
    dataDir: data.path,
    directory: directory.url,
    appVersion: '0.0.0-test',
    host: 'browser',
    sync: { retry: FAST_RETRY, log: () => undefined, probeMs: 60_000 },
    auth: { failureDelayMs: 0 },
  });
  [A, B] = operator(directory, 'multi.demo').uais as [string, string];
  // Old entries first, as years of use would have left them: 3 of A, 3 of B, 2 without an establishment, interleaved.
  for (let i = 0; i < 8; i++) oldEntry([A, B, null, A, B, null, A, B][i]!, i);
  await core.governance.auth.signIn('multi.demo', operator(directory, 'multi.demo').password);
  for (const uai of [A, B]) await core.dispatcher.call('sync.run', { uai }, origin);
  seedHistory(A);
  seedHistory(B);
  const backups = join(data.path, BACKUP_DIR);
  mkdirSync(backups, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (const name of ['educonnect-desk-v5-2020-01-01T10-00-00-000Z.sqlite', 'educonnect-desk-v6-2020-06-01T10-00-00-000Z.sqlite', `educonnect-desk-v7-${stamp}.sqlite`]) {
    writeFileSync(join(backups, name), '');
  }
}, 60_000);

afterAll(async () => {
  await core.shutdown();
  await directory.close();
  data.remove();
});

const present = (table: string, ids: number[]) =>
  core.db.prepare(`SELECT id FROM ${table} WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`).pluck().all(JSON.stringify(ids)) as number[];
const withPayload = (ids: number[]) =>
  core.db
    .prepare(`SELECT id FROM outbox WHERE id IN (SELECT value FROM json_each(?)) AND payload <> 'null' ORDER BY id`)
    .pluck()
    .all(JSON.stringify(ids)) as number[];
const auditOf = (uai: string) => core.governance.trail.list({ uai, limit: 500 }, null).items.map((e) => e.id);

describe('end-of-year rollover on a shared workstation', () => {
  it('purges exactly what the preview listed, for A and the workstation only; B and every chain stay whole', { timeout: 60_000 }, async () => {
    const preview = await core.dispatcher.call('rollover.preview', { uai: A }, origin);
    expect(preview.audit).toMatchObject({ count: 5, establishment: 3, workstation: 2 });
    expect(preview.history).toEqual({ outboxPayloads: 2, accountActions: 2, reviewItems: 3, backups: 2 });

    const a = seeded[A]!;
    const b = seeded[B]!;
    const bBefore = {
      audit: auditOf(B),
      outbox: withPayload([...b.outbox.purged, ...b.outbox.kept]),
      actions: present('acc_actions', [...b.actions.purged, ...b.actions.kept]),
      review: present('review_items', [...b.review.purged, ...b.review.kept]),
    };
    expect(bBefore.audit.length).toBeGreaterThanOrEqual(3);

    const result = await core.dispatcher.call('rollover.run', { uai: A, planId: preview.planId }, origin);
    expect(result.auditDeleted).toBe(preview.audit.count);
    expect(result.purged).toEqual(preview.history);

    // A: the listed rows went, the rest stayed; the outbox rows stay, without their payload.
    expect(withPayload([...a.outbox.purged, ...a.outbox.kept])).toEqual(a.outbox.kept);
    expect(present('outbox', a.outbox.purged)).toEqual(a.outbox.purged);
    expect(core.db.prepare('SELECT COUNT(*) FROM outbox WHERE id IN (?, ?) AND result IS NULL').pluck().get(...a.outbox.purged)).toBe(2);
    // A purged item that had failed cannot be sent again with an empty payload.
    const failed = core.db.prepare("SELECT id FROM outbox WHERE id IN (?, ?) AND state = 'failed'").pluck().get(...a.outbox.purged) as number | undefined;
    expect(failed, 'a failed item among the purged ones').toBeDefined();
    await expect(core.dispatcher.call('outbox.retry', { id: failed! }, origin)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('effacé') });
    expect(present('acc_actions', [...a.actions.purged, ...a.actions.kept])).toEqual(a.actions.kept);
    expect(present('review_items', [...a.review.purged, ...a.review.kept])).toEqual([...a.review.kept].sort((x, y) => x - y));
    // B: untouched.
    expect({
      audit: auditOf(B),
      outbox: withPayload([...b.outbox.purged, ...b.outbox.kept]),
      actions: present('acc_actions', [...b.actions.purged, ...b.actions.kept]),
      review: present('review_items', [...b.review.purged, ...b.review.kept]),
    }).toEqual(bBefore);
    // Every chain verifies: A's and the workstation's from their new checkpoints, B's whole.
    expect(await core.dispatcher.call('audit.verify', {}, origin)).toMatchObject({ ok: true, purged: 5, problems: [] });
    expect(core.db.prepare('SELECT chain, purged_count FROM audit_checkpoints ORDER BY id').all()).toEqual([
      { chain: A, purged_count: 3 },
      { chain: '', purged_count: 2 },
    ]);
    // Old backups went; the recent one stays.
    expect(readdirSync(join(data.path, BACKUP_DIR))).toEqual([expect.stringMatching(/^educonnect-desk-v7-/)]);

    const again = await core.dispatcher.call('rollover.preview', { uai: A }, origin);
    expect(again.audit).toMatchObject({ count: 0, establishment: 0, workstation: 0 });
    expect(again.history).toEqual({ outboxPayloads: 0, accountActions: 0, reviewItems: 0, backups: 0 });

    // B's own rollover later purges B's history the same way, and the trail still verifies.
    const previewB = await core.dispatcher.call('rollover.preview', { uai: B }, origin);
    expect(previewB.audit).toMatchObject({ establishment: 3, workstation: 0 });
    expect(previewB.history).toEqual({ outboxPayloads: 2, accountActions: 2, reviewItems: 3, backups: 0 });
    await core.dispatcher.call('rollover.run', { uai: B, planId: previewB.planId }, origin);
    expect(present('review_items', [...b.review.purged, ...b.review.kept])).toEqual([...b.review.kept].sort((x, y) => x - y));
    expect(await core.dispatcher.call('audit.verify', {}, origin)).toMatchObject({ ok: true, purged: 8, problems: [] });
    expect(existsSync(join(data.path, BACKUP_DIR))).toBe(true);
  });
});
