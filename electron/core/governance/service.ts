/**
 * Governance as the core sees it: the session (AuthService), the access rules the dispatcher applies, the audit trail,
 * delegations, establishment and workstation settings, and the end-of-year rollover. This file holds the handlers of
 * delegations.*, settings.* and rollover.*; auth.* and audit.* have their own (auth/handlers.ts, audit/handlers.ts).
 */
import type { Database } from 'better-sqlite3';
import { auditHandlers } from '../audit/handlers';
import { AuditTrail } from '../audit/trail';
import { governedAccess } from '../auth/authorize';
import { authHandlers, type AuthMethod } from '../auth/handlers';
import { AuthService } from '../auth/session';
import type { TokenStore } from '../directory/client';
import type { DirectoryService } from '../directory/service';
import type { Access, AuditEvent, CallContext, Handlers, ScopeResolver } from '../dispatcher';
import { endOfSchoolYear, localDate } from './dates';
import { getDelegation, grantDelegation, listDelegations, revokeDelegation } from './delegations';
import { planRollover, runRollover } from './rollover';
import { settingsView, updateEstablishmentSettings, writeLocalSettings } from './settings';

export interface GovernanceOptions {
  db: Database;
  directory: DirectoryService;
  /** The directory's name (`demo` or its URL), reported by auth.status. */
  directoryName: string;
  tokens: TokenStore;
  failureDelayMs?: number;
  /** How often the core looks for an idle session to lock (tests shorten it). */
  idleCheckMs?: number;
  now?: () => Date;
}

export type GovernanceMethod =
  | 'delegations.list'
  | 'delegations.grant'
  | 'delegations.revoke'
  | 'settings.get'
  | 'settings.update'
  | 'settings.updateLocal'
  | 'rollover.preview'
  | 'rollover.run';

/** The caller's login: the dispatcher lets only signed-in operators reach these handlers. */
const by = (ctx: CallContext): string => ctx.operator?.login ?? 'local';

export class GovernanceService {
  readonly auth: AuthService;
  readonly trail: AuditTrail;
  readonly access: Access;
  private readonly now: () => Date;

  constructor(private readonly options: GovernanceOptions) {
    this.now = options.now ?? (() => new Date());
    this.trail = new AuditTrail(options.db);
    this.auth = new AuthService({
      db: options.db,
      directory: options.directory,
      tokens: options.tokens,
      trail: this.trail,
      demo: options.directoryName === 'demo',
      failureDelayMs: options.failureDelayMs,
      idleCheckMs: options.idleCheckMs,
      now: this.now,
    });
    this.access = governedAccess(
      () => this.auth.isLocked(),
      () => this.auth.noteActivity(),
    );
  }

  /** The dispatcher's recordAudit: every audited call, allowed or refused, ends up in the chain. */
  readonly recordAudit = (event: AuditEvent): void => this.trail.record(event);

  /** The dispatcher's lookup of a delegation's establishment. */
  readonly delegationUais: ScopeResolver = (ids) => {
    const get = this.options.db.prepare('SELECT uai FROM delegations WHERE id = ?').pluck();
    return new Map(ids.flatMap((id) => {
      const uai = get.get(id) as string | undefined;
      return uai === undefined ? [] : [[id, uai] as const];
    }));
  };

  private today(): string {
    return localDate(this.now());
  }

  /** auth.*, audit.*, delegations.*, settings.* and rollover.* */
  handlers(): Pick<Handlers, GovernanceMethod | AuthMethod | 'audit.list' | 'audit.verify' | 'audit.export'> {
    const { db, directory } = this.options;
    return {
      ...authHandlers(this.auth, directory, this.options.directoryName),
      ...auditHandlers(this.trail),
      'delegations.list': ({ uai }) => {
        const operators = (
          db.prepare('SELECT login, display_name, role, uais, last_online_at FROM known_operators ORDER BY login').all() as {
            login: string;
            display_name: string;
            role: 'chef' | 'delegue' | 'secretariat';
            uais: string;
            last_online_at: string;
          }[]
        )
          .map((r) => ({ login: r.login, displayName: r.display_name, role: r.role, uais: JSON.parse(r.uais) as string[], lastOnlineAt: r.last_online_at }))
          .filter((o) => o.uais.includes(uai));
        return { items: listDelegations(db, uai, this.today()), operators, defaultEndsOn: endOfSchoolYear(this.today()) };
      },
      'delegations.grant': (input, ctx) =>
        db.transaction(() => {
          const { granted, replaced } = grantDelegation(db, { ...input, grantedBy: by(ctx) }, this.now(), this.today());
          for (const old of replaced) ctx.audit({ uai: input.uai, targetType: 'delegation', targetId: String(old.id), before: { status: old.status }, after: { status: 'revoked' } });
          ctx.audit({ uai: input.uai, targetType: 'delegation', targetId: String(granted.id), after: { login: granted.login, rights: granted.rights, endsOn: granted.endsOn } });
          return granted;
        })(),
      'delegations.revoke': ({ id, reason }, ctx) =>
        db.transaction(() => {
          const current = getDelegation(db, id, this.today());
          const revoked = revokeDelegation(db, id, by(ctx), reason ?? null, this.now(), this.today());
          ctx.audit({ uai: current.uai, targetType: 'delegation', targetId: String(id), before: { status: current.status }, after: { status: revoked.status }, reason });
          return revoked;
        })(),
      'settings.get': ({ uai }) => settingsView(db, uai),
      'settings.update': ({ uai, patch }, ctx) => {
        db.transaction(() => {
          const change = updateEstablishmentSettings(db, uai, patch);
          ctx.audit({ uai, targetType: 'settings', targetId: change.targetId, before: change.before, after: change.after });
        })();
        directory.kick();
        return settingsView(db, uai);
      },
      'settings.updateLocal': ({ uai, patch }, ctx) => {
        db.transaction(() => {
          const before = settingsView(db, uai).local;
          writeLocalSettings(db, patch);
          ctx.audit({
            targetType: 'workstationSettings',
            targetId: 'local',
            before: Object.fromEntries(Object.keys(patch).map((k) => [k, before[k as keyof typeof before]])),
            after: patch,
          });
        })();
        return settingsView(db, uai);
      },
      'rollover.preview': ({ uai }) => planRollover(db, this.trail, uai, this.today()).preview,
      'rollover.run': ({ uai, planId }, ctx) => {
        const result = runRollover(db, this.trail, { uai, planId, operator: by(ctx) }, this.now(), this.today());
        ctx.audit({ uai, targetType: 'rollover', targetId: uai, after: result });
        return result;
      },
    };
  }
}
