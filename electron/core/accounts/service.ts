/**
 * The accounts capability: lists over the projection, the account detail, and the actions. Every action but the
 * password reset is a local record (acc_actions) plus an outbox item written in ONE transaction, then sent by the
 * directory service; the reset (single or bulk) is online only, because its temporary password must never be stored.
 */
import type { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { AccountDetail, ActionResult, BulkReport, BulkResetReport } from '../../../shared/api/methods/accounts';
import { ApiError } from '../../../shared/api/errors';
import type { AccountData, LinkData, MutationRequest } from '../../../shared/directory/wire';
import { isValidEmail, normalizeFrenchMobile } from '../../../shared/domain/identifiers';
import type { AccountKind } from '../../../shared/domain/accounts';
import type { AuditDetail, CallContext, Handlers } from '../dispatcher';
import type { DirectoryClient } from '../directory/client';
import { DirectoryError } from '../directory/errors';
import { enqueue } from '../directory/outbox';
import type { DirectoryService } from '../directory/service';
import type { EventBus } from '../events';
import type { Job, JobRegistry } from '../jobs';
import { exportAccounts } from './export';
import { loadDetail, type AccountRecord } from './detail';
import { markExpiredLetters } from './letter-expiry';
import { isStale } from './projection';
import { attentionSummary, facets, matchingIds, searchPage } from './query';
import { accountsCoreStrings as s } from './strings';

export interface AccountsServiceOptions {
  db: Database;
  events: EventBus;
  directory: Pick<DirectoryService, 'kick' | 'ensureClient' | 'engine' | 'scheduler' | 'writer'>;
  jobs: JobRegistry;
  /** Rows between two progress events (and event-loop yields) of a bulk action. */
  bulkChunk?: number;
}

/** One account's outcome in a run of new temporary passwords (openPasswordRun). */
export type PasswordRowResult =
  | { outcome: 'done'; accountId: string; login: string; temporaryPassword: string; letterExpiresAt: string | null }
  | { outcome: 'refused'; message: string; unreachable: boolean };

export interface PasswordRun {
  /** One new temporary password; `also` runs inside the reset's transaction (e.g. the letter log's row). */
  reset(
    target: { kind: AccountKind; id: string },
    also?: (account: AccountRecord, data: AccountData) => void,
  ): Promise<PasswordRowResult>;
}

type QueuedKind = 'account.unlock' | 'account.deactivate' | 'account.reactivate' | 'contact.update';

export class AccountsService {
  private readonly db: Database;

  constructor(private readonly options: AccountsServiceOptions) {
    this.db = options.db;
  }

  /**
   * Brings the projection of `uai` up to date with the mirror and the clock (letters expired meanwhile), in the write worker (a whole rebuild can take seconds);
   * nothing to do, and no call, when nothing changed.
   */
  async fresh(uai?: string): Promise<void> {
    markExpiredLetters(this.db, uai);
    if (isStale(this.db, uai)) await this.options.directory.writer.call('projection.refresh', { uai });
  }

  handlers(): Pick<
    Handlers,
    | 'accounts.search'
    | 'accounts.facets'
    | 'accounts.attention'
    | 'accounts.ids'
    | 'accounts.get'
    | 'accounts.resetPassword'
    | 'accounts.unlock'
    | 'accounts.deactivate'
    | 'accounts.reactivate'
    | 'accounts.updateContact'
    | 'accounts.link'
    | 'accounts.unlink'
    | 'accounts.bulk'
    | 'accounts.bulkResetPassword'
    | 'accounts.export'
    | 'accounts.getPreferences'
    | 'accounts.savePreferences'
  > {
    const db = this.db;
    return {
      'accounts.search': async (input) => {
        await this.fresh(input.uai);
        return searchPage(db, input);
      },
      'accounts.facets': async (input) => {
        await this.fresh(input.uai);
        return facets(db, input);
      },
      'accounts.attention': async ({ uai }) => {
        await this.fresh(uai);
        return attentionSummary(db, uai);
      },
      'accounts.ids': async (input) => {
        await this.fresh(input.uai);
        const ids = matchingIds(db, input);
        return { total: ids.length, ids };
      },
      'accounts.get': ({ kind, uai, id }) => this.detail(kind, uai, id),
      'accounts.resetPassword': (input, ctx) => this.resetPassword(input, ctx),
      'accounts.unlock': (input, ctx) => this.queueAccountAction(ctx, input, 'account.unlock', {}),
      'accounts.deactivate': ({ reason, ...target }, ctx) =>
        this.queueAccountAction(ctx, target, 'account.deactivate', { reason }, reason),
      'accounts.reactivate': ({ reason, ...target }, ctx) =>
        this.queueAccountAction(ctx, target, 'account.reactivate', { reason }, reason),
      'accounts.updateContact': ({ email, mobile, ...target }, ctx) => this.updateContact(ctx, target, email, mobile),
      'accounts.link': (input, ctx) => this.link(ctx, input),
      'accounts.unlink': (input, ctx) => this.unlink(ctx, input),
      'accounts.bulk': (input, ctx) => this.bulk(ctx, input),
      'accounts.bulkResetPassword': (input, ctx) => this.bulkResetPassword(ctx, input),
      'accounts.export': async (input, ctx) => {
        await this.fresh(input.uai);
        const spec = { id: input.jobId, kind: 'accountsExport' as const, uai: input.uai, label: s.jobs.export(input.format) };
        const result = await this.options.jobs.run(spec, (job) =>
          exportAccounts(db, input, {
            cancelled: () => job.cancelled,
            progress: (done, total) => void job.progress(done, total),
          }),
        );
        ctx.audit({
          uai: input.uai,
          targetType: 'file',
          targetId: result.path,
          after: { rows: result.rows, format: input.format, kind: input.kind, overwrite: input.overwrite === true, cancelled: result.cancelled },
        });
        return result;
      },
      'accounts.getPreferences': ({ kind }, ctx) => {
        const raw = db
          .prepare('SELECT value FROM acc_preferences WHERE operator = ? AND kind = ?')
          .pluck()
          .get(ctx.operator?.login ?? '', kind) as string | undefined;
        return raw === undefined ? null : (JSON.parse(raw) as { columns: string[]; pageSize: number });
      },
      'accounts.savePreferences': ({ kind, preferences }, ctx) => {
        db.prepare(
          `INSERT INTO acc_preferences (operator, kind, value) VALUES (?, ?, ?)
           ON CONFLICT (operator, kind) DO UPDATE SET value = excluded.value`,
        ).run(ctx.operator?.login ?? '', kind, JSON.stringify(preferences));
        return preferences;
      },
    };
  }

  // ---------------------------------------------------------------- reads

  async detail(kind: AccountKind, uai: string, id: string): Promise<AccountDetail> {
    await this.fresh(uai);
    const detail = loadDetail(this.db, kind, uai, id);
    if (!detail) throw new ApiError('NOT_FOUND', s.notFound(kind));
    return detail;
  }

  // ---------------------------------------------------------------- actions

  /** Who acts, for the local action history (the dispatcher has checked their rights on the target). */
  private actor(ctx: CallContext): string {
    return ctx.operator?.login ?? 'local';
  }

  private account(kind: AccountKind, uai: string, personId: string): AccountRecord {
    const person = this.db
      .prepare(`SELECT 1 FROM ${kind === 'pupil' ? 'dir_pupils' : 'dir_guardians'} WHERE id = ? AND uai = ? AND deleted = 0`)
      .get(personId, uai);
    if (!person) throw new ApiError('NOT_FOUND', s.notFound(kind));
    const row = this.db
      .prepare(
        `SELECT id, version, data FROM dir_accounts WHERE uai = ? AND person_kind = ? AND person_id = ? AND deleted = 0
         ORDER BY version DESC LIMIT 1`,
      )
      .get(uai, kind, personId) as { id: string; version: number; data: string } | undefined;
    if (!row) throw new ApiError('NOT_FOUND', s.noAccount);
    return { id: row.id, version: row.version, data: JSON.parse(row.data) as AccountData };
  }

  private hasPending(targetType: string, targetId: string): boolean {
    return (
      this.db
        .prepare("SELECT 1 FROM outbox WHERE target_type = ? AND target_id = ? AND state IN ('pending', 'in_flight') LIMIT 1")
        .get(targetType, targetId) !== undefined
    );
  }

  /** Why the directory would refuse this action on this account now, or null. */
  static refusal(kind: QueuedKind, account: AccountData): string | null {
    if (account.state === 'supprime') return s.deletedAccount;
    if (kind === 'account.unlock' && account.state !== 'bloque') return s.notLocked;
    if (kind === 'account.deactivate' && account.state === 'desactive') return s.alreadyDeactivated;
    if (kind === 'account.reactivate' && account.state !== 'desactive') return s.notDeactivated;
    return null;
  }

  /**
   * Checks, then writes the action, its outbox item and its audit entry (`audit`) in one transaction. Returns the
   * outbox id, or throws a French ApiError and writes nothing.
   */
  private enqueueAccountAction(
    login: string,
    target: { kind: AccountKind; uai: string; id: string },
    mutation: QueuedKind,
    payload: Record<string, unknown>,
    reason: string | null,
    audit: (account: AccountRecord) => void,
  ): { outboxId: number; account: AccountRecord } {
    const account = this.account(target.kind, target.uai, target.id);
    if (this.hasPending('account', account.id)) throw new ApiError('CONFLICT', s.alreadyPending);
    const refusal = AccountsService.refusal(mutation, account.data);
    if (refusal) throw new ApiError('CONFLICT', refusal);
    const outboxId = this.db.transaction(() => {
      const { id } = enqueue(this.db, {
        uai: target.uai,
        request: { kind: mutation, targetId: account.id, payload } as MutationRequest,
        ifMatch: account.version,
      });
      this.recordAction(target, mutation, id, login, reason, 'queued', null);
      audit(account);
      return id;
    })();
    return { outboxId, account };
  }

  private recordAction(
    target: { kind: AccountKind; uai: string; id: string },
    action: string,
    outboxId: number | null,
    login: string | null,
    reason: string | null,
    outcome: 'queued' | 'done' | 'refused',
    message: string | null,
  ): void {
    this.db
      .prepare(
        `INSERT INTO acc_actions (uai, person_kind, person_id, action, outbox_id, operator, reason, outcome, message, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(target.uai, target.kind, target.id, action, outboxId, login, reason, outcome, message, new Date().toISOString());
  }

  private sent(uai: string, outboxId: number): void {
    this.options.events.emit('outbox.changed', { id: outboxId, uai, state: 'pending' });
    this.options.directory.kick();
  }

  private queueAccountAction(
    ctx: CallContext,
    target: { kind: AccountKind; uai: string; id: string },
    mutation: QueuedKind,
    payload: Record<string, unknown>,
    reason: string | null = null,
  ): ActionResult {
    const login = this.actor(ctx);
    const { outboxId } = this.enqueueAccountAction(login, target, mutation, payload, reason, (account) =>
      ctx.audit(this.queuedAudit(target.uai, account, mutation, payload, reason)),
    );
    this.sent(target.uai, outboxId);
    return { outboxId, state: 'pending' };
  }

  private updateContact(
    ctx: CallContext,
    target: { kind: AccountKind; uai: string; id: string },
    email: string | null | undefined,
    mobile: string | null | undefined,
  ): ActionResult {
    const login = this.actor(ctx);
    const payload: { email?: string | null; mobile?: string | null } = {};
    if (email !== undefined) {
      const value = email === null || email.trim() === '' ? null : email.trim();
      if (value !== null && !isValidEmail(value)) throw new ApiError('INVALID_INPUT', s.invalidEmail, { field: 'email' });
      payload.email = value;
    }
    if (mobile !== undefined) {
      const value = mobile === null || mobile.trim() === '' ? null : mobile.trim();
      const normalized = value === null ? null : normalizeFrenchMobile(value);
      if (value !== null && !normalized) throw new ApiError('INVALID_INPUT', s.invalidMobile, { field: 'mobile' });
      payload.mobile = normalized ? normalized.e164 : null;
    }
    if (Object.keys(payload).length === 0) throw new ApiError('INVALID_INPUT', s.nothingToChange);
    const { outboxId } = this.enqueueAccountAction(login, target, 'contact.update', payload, null, (account) =>
      ctx.audit({
        uai: target.uai,
        targetType: 'account',
        targetId: account.id,
        before: Object.fromEntries(Object.keys(payload).map((k) => [k, account.data[k as 'email' | 'mobile']])),
        after: payload,
      }),
    );
    this.sent(target.uai, outboxId);
    return { outboxId, state: 'pending' };
  }

  private async resetPassword(
    target: { kind: AccountKind; uai: string; id: string },
    ctx: CallContext,
  ): Promise<{ login: string; temporaryPassword: string; letterExpiresAt: string | null }> {
    const login = this.actor(ctx);
    const client = await this.options.directory.ensureClient();
    if (!client.signedIn) throw new ApiError('UNAUTHORIZED', s.notSignedIn);
    const { data, temporaryPassword } = await this.resetOne(client, login, target, ctx);
    return { login: data.login, temporaryPassword, letterExpiresAt: data.letterExpiresAt ?? null };
  }

  /** What the audit trail keeps of an account action queued for the directory: the state before, the action after. */
  private queuedAudit(uai: string, account: AccountRecord, mutation: string, payload: object, reason: string | null): AuditDetail {
    return {
      uai,
      targetType: 'account',
      targetId: account.id,
      before: { state: account.data.state },
      after: { action: mutation, ...payload },
      reason: reason ?? undefined,
    };
  }

  /** What the audit trail keeps of a reset: the account's state and letter expiry, never the password. */
  private resetAudit(uai: string, account: AccountRecord, data: AccountData): AuditDetail {
    return {
      uai,
      targetType: 'account',
      targetId: account.id,
      before: { state: account.data.state },
      after: { action: 'account.resetPassword', state: data.state, letterExpiresAt: data.letterExpiresAt },
    };
  }

  /**
   * One reset, straight to the directory: checks first (a French ApiError and nothing written when refused), then the
   * confirmed record goes to the mirror with the local action record; the password only to the caller, once.
   */
  private async resetOne(
    client: DirectoryClient,
    login: string,
    target: { kind: AccountKind; uai: string; id: string },
    ctx: CallContext,
    also?: (account: AccountRecord, data: AccountData) => void,
  ): Promise<{ account: AccountRecord; data: AccountData; temporaryPassword: string }> {
    const account = this.account(target.kind, target.uai, target.id);
    if (account.data.state === 'desactive' || account.data.state === 'supprime') throw new ApiError('CONFLICT', s.resetRefused);
    if (this.hasPending('account', account.id)) throw new ApiError('CONFLICT', s.alreadyPending);
    let response;
    try {
      response = await client.mutate(
        target.uai,
        { kind: 'account.resetPassword', targetId: account.id, payload: {} },
        // Retried inside the call under this one key: a lost answer is replayed by the directory, not applied twice.
        { idempotencyKey: randomUUID(), ifMatch: account.version, retry: true },
      );
    } catch (error) {
      if (error instanceof DirectoryError) {
        if (error.code === 'VERSION_MISMATCH') {
          throw new ApiError('CONFLICT', s.conflict, { current: (error.details as { current?: unknown } | undefined)?.current ?? null });
        }
        if (error.unreachable || error.transient) throw new ApiError('UNAVAILABLE', s.offlineReset);
        throw error.toApiError();
      }
      throw error;
    }
    const record = response.record;
    this.db.transaction(() => {
      this.options.directory.engine.mirror.write(target.uai, {
        type: 'account',
        id: record.id,
        version: record.version,
        seq: null,
        data: JSON.stringify(record.data),
      });
      this.recordAction(target, 'account.resetPassword', null, login, null, 'done', null);
      ctx.audit(this.resetAudit(target.uai, account, record.data as AccountData));
      also?.(account, record.data as AccountData);
    })();
    return { account, data: record.data as AccountData, temporaryPassword: response.temporaryPassword };
  }

  private link(
    ctx: CallContext,
    input: { uai: string; guardianId: string; pupilId: string; level: 1 | 2 | 3; relationship: LinkData['relationship'] },
  ): ActionResult {
    const login = this.actor(ctx);
    const exists = (table: string, id: string) =>
      this.db.prepare(`SELECT 1 FROM ${table} WHERE id = ? AND uai = ? AND deleted = 0`).get(id, input.uai) !== undefined;
    if (!exists('dir_guardians', input.guardianId)) throw new ApiError('NOT_FOUND', s.guardianNotFound);
    if (!exists('dir_pupils', input.pupilId)) throw new ApiError('NOT_FOUND', s.pupilNotFound);
    const already = this.db
      .prepare('SELECT 1 FROM dir_links WHERE uai = ? AND guardian_id = ? AND pupil_id = ? AND deleted = 0')
      .get(input.uai, input.guardianId, input.pupilId);
    if (already) throw new ApiError('CONFLICT', s.linkExists);
    const linkId = `lien-${randomUUID()}`;
    const payload = { guardianId: input.guardianId, pupilId: input.pupilId, level: input.level, relationship: input.relationship };
    const outboxId = this.db.transaction(() => {
      const { id } = enqueue(this.db, { uai: input.uai, request: { kind: 'link.create', targetId: linkId, payload }, ifMatch: null });
      this.recordAction({ kind: 'guardian', uai: input.uai, id: input.guardianId }, 'link.create', id, login, null, 'queued', null);
      ctx.audit({ uai: input.uai, targetType: 'link', targetId: linkId, before: null, after: payload });
      return id;
    })();
    this.sent(input.uai, outboxId);
    return { outboxId, state: 'pending' };
  }

  private unlink(ctx: CallContext, input: { uai: string; linkId: string }): ActionResult {
    const login = this.actor(ctx);
    const row = this.db
      .prepare('SELECT version, data FROM dir_links WHERE id = ? AND uai = ? AND deleted = 0')
      .get(input.linkId, input.uai) as { version: number; data: string } | undefined;
    if (!row) throw new ApiError('NOT_FOUND', s.linkNotFound);
    const link = JSON.parse(row.data) as LinkData;
    if (link.level === 1) {
      const others = this.db
        .prepare('SELECT count(*) FROM dir_links WHERE uai = ? AND pupil_id = ? AND level = 1 AND deleted = 0 AND id <> ?')
        .pluck()
        .get(input.uai, link.pupilId, input.linkId) as number;
      if (others === 0) throw new ApiError('CONFLICT', s.lastLegalGuardian);
    }
    if (this.hasPending('link', input.linkId)) throw new ApiError('CONFLICT', s.alreadyPending);
    const outboxId = this.db.transaction(() => {
      const { id } = enqueue(this.db, {
        uai: input.uai,
        request: { kind: 'link.delete', targetId: input.linkId, payload: {} },
        ifMatch: row.version,
      });
      this.recordAction({ kind: 'guardian', uai: input.uai, id: link.guardianId }, 'link.delete', id, login, null, 'queued', null);
      ctx.audit({ uai: input.uai, targetType: 'link', targetId: input.linkId, before: link, after: null });
      return id;
    })();
    this.sent(input.uai, outboxId);
    return { outboxId, state: 'pending' };
  }

  // ---------------------------------------------------------------- bulk

  private async bulk(
    ctx: CallContext,
    input: {
      jobId: string;
      kind: AccountKind;
      uai: string;
      action: 'unlock' | 'deactivate' | 'reactivate';
      reason?: string;
      ids?: string[];
      query?: { text?: string; filters?: Record<string, unknown> };
    },
  ): Promise<BulkReport> {
    const login = this.actor(ctx);
    if (input.action !== 'unlock' && !input.reason) throw new ApiError('INVALID_INPUT', s.reasonRequired);
    await this.fresh(input.uai);
    const ids = input.ids ?? matchingIds(this.db, { kind: input.kind, uai: input.uai, ...(input.query as object) });
    const mutation = `account.${input.action}` as QueuedKind;
    const payload = input.action === 'unlock' ? {} : { reason: input.reason };
    const report: BulkReport = { jobId: input.jobId, cancelled: false, done: 0, refused: 0, rows: [] };
    const queued: number[] = [];
    const job = { id: input.jobId, kind: 'accountsBulk' as const, uai: input.uai, total: ids.length, label: s.jobs.bulk(input.action, ids.length) };
    await this.options.jobs.run(job, (running) => this.eachRow(running, input.kind, ids, report, this.options.bulkChunk ?? 200, (id, displayName) => {
      try {
        const { outboxId } = this.enqueueAccountAction(login, { kind: input.kind, uai: input.uai, id }, mutation, payload, input.reason ?? null, (account) =>
          ctx.audit(this.queuedAudit(input.uai, account, mutation, payload, input.reason ?? null)),
        );
        queued.push(outboxId);
        report.done++;
        report.rows.push({ id, displayName, outcome: 'done', message: null, outboxId });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        report.refused++;
        report.rows.push({ id, displayName, outcome: 'refused', message: error.message, outboxId: null });
      }
    }));
    // One notice for the whole batch: listeners reload the outbox, they do not need one event per row.
    const last = queued.at(-1);
    if (last !== undefined) this.sent(input.uai, last);
    return report;
  }

  /**
   * New temporary passwords for a selection, one directory call per account (online only). Each done row is audited
   * like a single reset; the credentials exist only in the returned report, for the printed slips.
   */
  private async bulkResetPassword(
    ctx: CallContext,
    input: { jobId: string; kind: AccountKind; uai: string; ids?: string[]; query?: { text?: string; filters?: Record<string, unknown> } },
  ): Promise<BulkResetReport> {
    if (this.options.jobs.get(input.jobId)) throw new ApiError('CONFLICT', s.jobRunning);
    const run = await this.openPasswordRun(ctx, input.uai);
    await this.fresh(input.uai);
    const ids = input.ids ?? matchingIds(this.db, { kind: input.kind, uai: input.uai, ...(input.query as object) });
    const establishment = (this.db.prepare('SELECT name FROM establishments WHERE uai = ?').pluck().get(input.uai) as string | undefined) ?? input.uai;
    const report: BulkResetReport = {
      jobId: input.jobId,
      kind: input.kind,
      cancelled: false,
      done: 0,
      refused: 0,
      rows: [],
      establishment: { uai: input.uai, name: establishment },
      credentials: [],
    };
    // Each row waits for the directory, so the event loop is free anyway; progress goes out every few rows.
    const job = { id: input.jobId, kind: 'passwordReset' as const, uai: input.uai, total: ids.length, label: s.jobs.reset(ids.length) };
    const every = Math.max(1, Math.min(this.options.bulkChunk ?? 200, 10));
    await this.options.jobs.run(job, (running) => this.eachRow(running, input.kind, ids, report, every, async (id, displayName) => {
      const row = await run.reset({ kind: input.kind, id });
      if (row.outcome === 'done') {
        report.done++;
        report.rows.push({ id, displayName, outcome: 'done', message: null, outboxId: null });
        report.credentials.push({ id, displayName, login: row.login, temporaryPassword: row.temporaryPassword, letterExpiresAt: row.letterExpiresAt });
      } else {
        report.refused++;
        report.rows.push({ id, displayName, outcome: 'refused', message: row.message, outboxId: null });
      }
    }));
    return report;
  }

  /**
   * A run of new temporary passwords on one establishment, the one code path of accounts.bulkResetPassword and of the
   * credential letters (letters.issue). Refused at once offline (`UNAVAILABLE`, nothing changed) or signed out. Each
   * `reset` is a single reset (`resetOne`: checks, directory call, mirror, action record and audit in one transaction,
   * plus the caller's `also` in that transaction); a refusal comes back as a row outcome. If the directory is
   * unreachable at the first row, the whole run is refused (`UNAVAILABLE`: nothing was changed); later, the rest of
   * the run is refused row by row without calling it again (`unreachable`), and what was done stays done.
   */
  async openPasswordRun(ctx: CallContext, uai: string): Promise<PasswordRun> {
    const login = this.actor(ctx);
    if (this.options.directory.scheduler.online === false) throw new ApiError('UNAVAILABLE', s.offlineBulkReset);
    const client = await this.options.directory.ensureClient();
    if (!client.signedIn) throw new ApiError('UNAUTHORIZED', s.notSignedIn);
    let done = 0;
    let unreachable = false;
    return {
      reset: async (target, also) => {
        if (unreachable) return { outcome: 'refused', message: s.offlineRow, unreachable: true };
        try {
          const { account, data, temporaryPassword } = await this.resetOne(client, login, { ...target, uai }, ctx, also);
          done++;
          return { outcome: 'done', accountId: account.id, login: data.login, temporaryPassword, letterExpiresAt: data.letterExpiresAt ?? null };
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          if (error.code === 'UNAVAILABLE') {
            // Offline before anything was done: a plain refusal, nothing changed. Later: the rest is not attempted.
            if (done === 0) throw new ApiError('UNAVAILABLE', s.offlineBulkReset);
            unreachable = true;
            return { outcome: 'refused', message: s.offlineRow, unreachable: true };
          }
          return { outcome: 'refused', message: error.message, unreachable: false };
        }
      },
    };
  }

  /**
   * The rows of a bulk job: each row named, rows after a cancel reported `skipped`, progress every `every` rows (each
   * report lets the event loop breathe, so the cancel request gets in) and once at the end. `row` reports done or
   * refused.
   */
  private async eachRow(
    job: Job,
    kind: AccountKind,
    ids: readonly string[],
    report: Pick<BulkReport, 'cancelled' | 'rows'>,
    every: number,
    row: (id: string, displayName: string) => void | Promise<void>,
  ): Promise<void> {
    const nameOf = this.db.prepare('SELECT display_name FROM acc_index WHERE kind = ? AND person_id = ?').pluck();
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const displayName = (nameOf.get(kind, id) as string | undefined) ?? id;
      if (job.cancelled) {
        report.cancelled = true;
        report.rows.push({ id, displayName, outcome: 'skipped', message: null, outboxId: null });
        continue;
      }
      await row(id, displayName);
      if ((i + 1) % every === 0) await job.progress(i + 1, ids.length);
    }
    await job.progress(ids.length, ids.length);
  }
}
