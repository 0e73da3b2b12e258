/**
 * Governance as the core sees it: the session (AuthService), the authorizer, the audit trail, delegations,
 * establishment and workstation settings, and the end-of-year rollover, with their contract handlers.
 */
import type { Database } from 'better-sqlite3';
import { ApiError } from '../../../shared/api/errors';
import { writeAuditWorkbook, checkExportPath } from '../audit/export';
import { AuditTrail } from '../audit/trail';
import { assertPermission, createAuthorizer } from '../auth/authorize';
import { AuthService } from '../auth/session';
import { authStrings } from '../auth/strings';
import type { TokenStore } from '../directory/client';
import type { DirectoryService } from '../directory/service';
import type { Authorizer, AuditEvent, CallContext, Handlers } from '../dispatcher';
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
  | 'auth.signIn'
  | 'auth.signOut'
  | 'auth.status'
  | 'auth.lock'
  | 'auth.unlock'
  | 'auth.keepAlive'
  | 'audit.list'
  | 'audit.verify'
  | 'audit.export'
  | 'delegations.list'
  | 'delegations.grant'
  | 'delegations.revoke'
  | 'settings.get'
  | 'settings.update'
  | 'settings.updateLocal'
  | 'rollover.preview'
  | 'rollover.run';

function signedIn(ctx: CallContext): NonNullable<CallContext['operator']> {
  if (!ctx.operator) throw new ApiError('UNAUTHORIZED', authStrings.notSignedIn);
  return ctx.operator;
}

export class GovernanceService {
  readonly auth: AuthService;
  readonly trail: AuditTrail;
  readonly authorize: Authorizer;
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
    const authorize = createAuthorizer(() => this.auth.isLocked());
    // Any non-public call the operator is allowed to make is activity for the core's inactivity lock.
    this.authorize = (method, spec, ctx) => {
      authorize(method, spec, ctx);
      if (spec.permission !== 'public') this.auth.noteActivity();
    };
  }

  /** The dispatcher's recordAudit: every mutation, allowed or refused, ends up in the chain. */
  readonly recordAudit = (event: AuditEvent): void => {
    try {
      this.trail.record(event);
    } catch (error) {
      // The change itself is already committed; losing its trace must at least be loud.
      console.error(`[audit] could not record ${event.method}:`, error);
    }
  };

  private today(): string {
    return localDate(this.now());
  }

  handlers(): Pick<Handlers, GovernanceMethod> {
    const { db, directory } = this.options;
    return {
      'auth.signIn': ({ login, password }) => this.auth.signIn(login, password),
      'auth.signOut': () => {
        this.auth.signOut();
        return { signedIn: false as const };
      },
      'auth.status': () => this.auth.status(this.options.directoryName, directory.scheduler.online),
      'auth.lock': () => {
        this.auth.lock();
        return { locked: true as const };
      },
      'auth.unlock': async ({ password }) => {
        await this.auth.unlock(password);
        return { locked: false as const };
      },
      // The activity itself is noted by the authorizer, like any other non-public call.
      'auth.keepAlive': () => ({ ok: true as const }),
      'audit.list': (input, ctx) => {
        const operator = signedIn(ctx);
        if (input.uai) assertPermission(ctx, 'administration', input.uai);
        return this.trail.list(input, operator.uais);
      },
      'audit.verify': () => this.trail.verify(),
      'audit.export': async ({ path, ...filter }, ctx) => {
        const operator = signedIn(ctx);
        if (filter.uai) assertPermission(ctx, 'administration', filter.uai);
        checkExportPath(path);
        const rows = await writeAuditWorkbook(path, this.trail.iterate(filter, operator.uais));
        ctx.audit({ uai: filter.uai, targetType: 'file', targetId: path, after: { rows, filter } });
        return { path, rows };
      },
      'delegations.list': ({ uai }, ctx) => {
        assertPermission(ctx, 'administration', uai);
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
      'delegations.grant': (input, ctx) => {
        const operator = signedIn(ctx);
        assertPermission(ctx, 'administration', input.uai);
        const { granted, replaced } = grantDelegation(db, { ...input, grantedBy: operator.login }, this.now(), this.today());
        for (const old of replaced) ctx.audit({ uai: input.uai, targetType: 'delegation', targetId: String(old.id), before: { status: old.status }, after: { status: 'revoked' } });
        ctx.audit({ uai: input.uai, targetType: 'delegation', targetId: String(granted.id), after: { login: granted.login, rights: granted.rights, endsOn: granted.endsOn } });
        return granted;
      },
      'delegations.revoke': ({ id, reason }, ctx) => {
        const operator = signedIn(ctx);
        const current = getDelegation(db, id, this.today());
        assertPermission(ctx, 'administration', current.uai);
        const revoked = revokeDelegation(db, id, operator.login, reason ?? null, this.now(), this.today());
        ctx.audit({ uai: current.uai, targetType: 'delegation', targetId: String(id), before: { status: current.status }, after: { status: revoked.status }, reason });
        return revoked;
      },
      'settings.get': ({ uai }, ctx) => {
        assertPermission(ctx, 'read', uai);
        return settingsView(db, uai);
      },
      'settings.update': ({ uai, patch }, ctx) => {
        assertPermission(ctx, 'administration', uai);
        const change = updateEstablishmentSettings(db, uai, patch);
        ctx.audit({ uai, targetType: 'settings', targetId: change.targetId, before: change.before, after: change.after });
        directory.kick();
        return settingsView(db, uai);
      },
      'settings.updateLocal': ({ uai, patch }, ctx) => {
        assertPermission(ctx, 'administration', uai);
        const before = settingsView(db, uai).local;
        writeLocalSettings(db, patch);
        ctx.audit({
          targetType: 'workstationSettings',
          targetId: 'local',
          before: Object.fromEntries(Object.keys(patch).map((k) => [k, before[k as keyof typeof before]])),
          after: patch,
        });
        return settingsView(db, uai);
      },
      'rollover.preview': ({ uai }, ctx) => {
        assertPermission(ctx, 'administration', uai);
        return planRollover(db, this.trail, uai, this.today()).preview;
      },
      'rollover.run': ({ uai, planId }, ctx) => {
        const operator = signedIn(ctx);
        assertPermission(ctx, 'administration', uai);
        const result = runRollover(db, this.trail, { uai, planId, operator: operator.login }, this.now(), this.today());
        ctx.audit({ uai, targetType: 'rollover', targetId: uai, after: result });
        return result;
      },
    };
  }
}
