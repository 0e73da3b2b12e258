/**
 * End-of-year rollover of one establishment: archives the year's activation figures, ends its delegations, purges
 * pupils gone for more than `pupilRetentionDays` (with their accounts, links and identity changes in the mirror) and
 * the audit entries older than `auditRetentionDays` of its own chain and of the workstation's (entries without an
 * establishment belong to none, so any establishment's rollover purges them). Other establishments' entries stay.
 * The preview lists exactly what goes and names it with a plan id;
 * the run recomputes the list in its transaction and refuses when it differs, so it deletes exactly what was shown.
 */
import type { Database } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { RolloverPreview, RolloverResult } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import { ProjectionMarks } from '../accounts/marks';
import { canonicalJson, type AuditTrail } from '../audit/trail';
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
}

function ids(db: Database, sql: string, params: unknown[]): string[] {
  return db.prepare(sql).pluck().all(...params) as string[];
}

export function planRollover(db: Database, trail: AuditTrail, uai: string, today: string): Plan {
  const local = readLocalSettings(db);
  const pupilCutoff = addDays(today, -local.pupilRetentionDays);
  const auditBefore = addDays(today, -local.auditRetentionDays);
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
  const audit = [uai, WORKSTATION_CHAIN].map((chain) => ({ chain, ...trail.purgeCandidates(chain, auditBefore) }));
  const delegations = listDelegations(db, uai, today)
    .filter((d) => d.status !== 'revoked')
    .map((d) => ({ id: d.id, login: d.login, endsOn: d.endsOn, status: d.status }));
  const planId = createHash('sha256')
    .update(canonicalJson({ uai, today, pupilIds, relatedIds, audit, delegations: delegations.map((d) => d.id) }))
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
      audit: { count: audit[0]!.count + audit[1]!.count, establishment: audit[0]!.count, workstation: audit[1]!.count, before: auditBefore },
      delegations,
    },
    relatedIds,
    audit,
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
): RolloverResult {
  return db.transaction(() => {
    const plan = planRollover(db, trail, input.uai, today);
    if (plan.preview.planId !== input.planId) throw new ApiError('CONFLICT', s.planChanged, { planId: plan.preview.planId });
    const archivedStatistics = activationFigures(db, input.uai);
    const json = (list: string[]) => JSON.stringify(list);
    const del = (table: string, list: string[]) =>
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
    const end = db.prepare('UPDATE delegations SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL');
    let delegationsEnded = 0;
    for (const d of plan.preview.delegations) delegationsEnded += end.run(now.toISOString(), input.operator, s.rolloverEnded, d.id).changes;
    const result: RolloverResult = { uai: input.uai, pupilsDeleted, relatedDeleted, auditDeleted, delegationsEnded, archivedStatistics };
    db.prepare('INSERT INTO rollovers (uai, at, operator, summary) VALUES (?, ?, ?, ?)').run(
      input.uai,
      now.toISOString(),
      input.operator,
      JSON.stringify({ ...result, pupils: plan.preview.pupils.map((p) => p.id) }),
    );
    return result;
  })();
}
