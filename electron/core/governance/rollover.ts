/**
 * End-of-year rollover of one establishment: archives the year's activation figures, ends its delegations, purges
 * pupils gone for more than `pupilRetentionDays` (with their accounts, links and identity changes in the mirror), and
 * purges the history older than `auditRetentionDays`: its audit chain's old entries, the payloads of its finished
 * outbox items, its account action history, its decided review items. What belongs to no establishment goes with any
 * establishment's rollover: the old entries of the workstation's audit chain (sign-ins, workstation settings) and the
 * old backups of the whole database. Nothing of another establishment is touched, and nothing still in progress (an
 * open review item, an outbox item not finished, an accepted change not yet keyed into SIECLE/ONDE).
 *
 * The preview lists exactly what goes and names it with a plan id; the run recomputes the list in its transaction and
 * refuses when it differs, so it deletes exactly what was shown.
 */
import type { Database } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RolloverPreview, RolloverResult } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import { ProjectionMarks } from '../accounts/marks';
import { canonicalJson, type AuditTrail } from '../audit/trail';
import { BACKUP_DIR, BACKUP_NAME } from '../db/database';
import { addDays } from './dates';
import { listDelegations } from './delegations';
import { readLocalSettings } from './settings';
import { governanceStrings as s } from './strings';

/** The audit chain of the entries without an establishment (see audit/trail.ts). */
const WORKSTATION_CHAIN = '';

interface Plan {
  preview: RolloverPreview;
  relatedIds: { accounts: string[]; links: string[]; identityChanges: string[] };
  audit: { chain: string; throughId: number | null; count: number }[];
  history: { outbox: number[]; accountActions: number[]; reviewItems: number[]; backups: string[] };
}

function ids<T = string>(db: Database, sql: string, params: unknown[]): T[] {
  return db.prepare(sql).pluck().all(...params) as T[];
}

/** Backup files (taken before migrations) made before `before`, by the date in their name. */
function oldBackups(db: Database, before: string): string[] {
  if (db.memory) return [];
  const dir = join(dirname(db.name), BACKUP_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => (BACKUP_NAME.exec(name)?.[1] ?? before) < before)
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Decided review items of the establishment older than `before`: accepted ones once keyed in, rejected and superseded
 * ones, whose outbox item (if any) is done. An item another kept item names as its successor stays with it.
 */
function oldReviewItems(db: Database, uai: string, before: string): number[] {
  const candidates = new Set(
    ids<number>(
      db,
      `SELECT r.id FROM review_items r LEFT JOIN outbox o ON o.id = r.outbox_id
       WHERE r.uai = ? AND COALESCE(r.decided_at, r.ingested_at) < ?
         AND (r.state IN ('rejected', 'superseded') OR (r.state = 'accepted' AND r.keyed_at IS NOT NULL))
         AND (r.outbox_id IS NULL OR o.state IS NULL OR o.state = 'done')`,
      [uai, before],
    ),
  );
  const references = db.prepare('SELECT id, superseded_by FROM review_items WHERE uai = ? AND superseded_by IS NOT NULL').all(uai) as {
    id: number;
    superseded_by: number;
  }[];
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of references) {
      if (!candidates.has(r.id) && candidates.delete(r.superseded_by)) changed = true;
    }
  }
  return [...candidates].sort((a, b) => a - b);
}

export function planRollover(db: Database, trail: AuditTrail, uai: string, today: string): Plan {
  const local = readLocalSettings(db);
  const pupilCutoff = addDays(today, -local.pupilRetentionDays);
  const before = addDays(today, -local.auditRetentionDays);
  const pupils = (
    db
      .prepare(
        `SELECT id, last_name, first_name, division, json_extract(data, '$.leftDate') AS left_date FROM dir_pupils
         WHERE uai = ? AND deleted = 0 AND json_extract(data, '$.leftDate') IS NOT NULL AND json_extract(data, '$.leftDate') < ?
         ORDER BY id`,
      )
      .all(uai, pupilCutoff) as { id: string; last_name: string; first_name: string; division: string | null; left_date: string }[]
  ).map((p) => ({ id: p.id, name: `${p.last_name} ${p.first_name}`, division: p.division, leftDate: p.left_date }));
  const pupilIds = pupils.map((p) => p.id);
  const inList = `(SELECT value FROM json_each(?))`;
  const json = JSON.stringify(pupilIds);
  const relatedIds = {
    accounts: ids(db, `SELECT id FROM dir_accounts WHERE uai = ? AND person_kind = 'pupil' AND person_id IN ${inList} ORDER BY id`, [uai, json]),
    links: ids(db, `SELECT id FROM dir_links WHERE uai = ? AND pupil_id IN ${inList} ORDER BY id`, [uai, json]),
    identityChanges: ids(db, `SELECT id FROM dir_identity_changes WHERE uai = ? AND person_kind = 'pupil' AND person_id IN ${inList} ORDER BY id`, [uai, json]),
  };
  const audit = [uai, WORKSTATION_CHAIN].map((chain) => ({ chain, ...trail.purgeCandidates(chain, before) }));
  const history = {
    // Finished items only: a pending, in-flight or conflicting item still needs its payload.
    outbox: ids<number>(
      db,
      `SELECT id FROM outbox WHERE uai = ? AND state IN ('done', 'failed') AND updated_at < ? AND (payload <> 'null' OR result IS NOT NULL) ORDER BY id`,
      [uai, before],
    ),
    accountActions: ids<number>(
      db,
      `SELECT a.id FROM acc_actions a LEFT JOIN outbox o ON o.id = a.outbox_id
       WHERE a.uai = ? AND a.at < ? AND (a.outbox_id IS NULL OR o.state IS NULL OR o.state IN ('done', 'failed')) ORDER BY a.id`,
      [uai, before],
    ),
    reviewItems: oldReviewItems(db, uai, before),
    backups: oldBackups(db, before),
  };
  const delegations = listDelegations(db, uai, today)
    .filter((d) => d.status !== 'revoked')
    .map((d) => ({ id: d.id, login: d.login, endsOn: d.endsOn, status: d.status }));
  const planId = createHash('sha256')
    .update(canonicalJson({ uai, today, pupilIds, relatedIds, audit, history, delegations: delegations.map((d) => d.id) }))
    .digest('hex')
    .slice(0, 32);
  return {
    preview: {
      uai,
      today,
      planId,
      pupilRetentionDays: local.pupilRetentionDays,
      auditRetentionDays: local.auditRetentionDays,
      pupils,
      related: {
        accounts: relatedIds.accounts.length,
        links: relatedIds.links.length,
        identityChanges: relatedIds.identityChanges.length,
      },
      audit: { count: audit[0]!.count + audit[1]!.count, establishment: audit[0]!.count, workstation: audit[1]!.count, before },
      history: {
        outboxPayloads: history.outbox.length,
        accountActions: history.accountActions.length,
        reviewItems: history.reviewItems.length,
        backups: history.backups.length,
      },
      delegations,
    },
    relatedIds,
    audit,
    history,
  };
}

/** The year's figures kept after the purge: accounts per kind and state. */
function activationFigures(db: Database, uai: string): Record<string, number> {
  const rows = db
    .prepare('SELECT person_kind, state, COUNT(*) AS n FROM dir_accounts WHERE uai = ? AND deleted = 0 GROUP BY person_kind, state')
    .all(uai) as { person_kind: string; state: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [`${r.person_kind}.${r.state}`, r.n]));
}

export function runRollover(
  db: Database,
  trail: AuditTrail,
  input: { uai: string; planId: string; operator: string },
  now: Date,
  today: string,
  log: (message: string) => void = (message) => console.warn(`[rollover] ${message}`),
): RolloverResult {
  const { result, backups } = db.transaction(() => {
    const plan = planRollover(db, trail, input.uai, today);
    if (plan.preview.planId !== input.planId) throw new ApiError('CONFLICT', s.planChanged, { planId: plan.preview.planId });
    const archivedStatistics = activationFigures(db, input.uai);
    const json = (list: readonly (string | number)[]) => JSON.stringify(list);
    const del = (table: string, list: readonly (string | number)[]) =>
      db.prepare(`DELETE FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`).run(json(list)).changes;
    const relatedDeleted =
      del('dir_accounts', plan.relatedIds.accounts) + del('dir_links', plan.relatedIds.links) + del('dir_identity_changes', plan.relatedIds.identityChanges);
    const pupilsDeleted = del('dir_pupils', plan.preview.pupils.map((p) => p.id));
    // Rows removed outside the Mirror: the account projection of the establishment is rebuilt whole.
    ProjectionMarks.open(db)?.changedWholesale(input.uai);
    let auditDeleted = 0;
    for (const { chain, throughId } of plan.audit) {
      if (throughId !== null) auditDeleted += trail.purgeThrough(chain, throughId, input.operator, now);
    }
    const outboxPayloads = db
      // JSON null, never a valid payload: a purged item can no longer be sent again (outbox.retry refuses it).
      .prepare(`UPDATE outbox SET payload = 'null', result = NULL WHERE id IN (SELECT value FROM json_each(?))`)
      .run(json(plan.history.outbox)).changes;
    const accountActions = del('acc_actions', plan.history.accountActions);
    const reviewItems = del('review_items', plan.history.reviewItems);
    const end = db.prepare('UPDATE delegations SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL');
    let delegationsEnded = 0;
    for (const d of plan.preview.delegations) delegationsEnded += end.run(now.toISOString(), input.operator, s.rolloverEnded, d.id).changes;
    const result: RolloverResult = {
      uai: input.uai,
      pupilsDeleted,
      relatedDeleted,
      auditDeleted,
      delegationsEnded,
      archivedStatistics,
      purged: { outboxPayloads, accountActions, reviewItems, backups: plan.history.backups.length },
    };
    db.prepare('INSERT INTO rollovers (uai, at, operator, summary) VALUES (?, ?, ?, ?)').run(
      input.uai,
      now.toISOString(),
      input.operator,
      JSON.stringify({ ...result, pupils: plan.preview.pupils.map((p) => p.id) }),
    );
    return { result, backups: plan.history.backups };
  })();
  // Files cannot be part of the transaction: they go once it is committed. A file that cannot be removed is said.
  for (const file of backups) {
    try {
      rmSync(file, { force: true });
    } catch (error) {
      log(`could not remove the old backup ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return result;
}
