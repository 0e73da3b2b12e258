/**
 * The operator's session on this workstation, on top of the directory sign-in:
 * - a refused sign-in gets the same message after the same minimum delay whether the login exists or not;
 * - five failures lock that login for 15 minutes (known or not, so the lock reveals nothing either);
 * - each online sign-in leaves a salted scrypt verifier of the password (never the password) and the operator's last
 *   known identity, so the same operator can sign in offline later on this workstation, and unlock a locked session;
 * - the session locks on demand (inactivity, from the window) and when the directory refuses to renew it; the core
 *   then answers public methods only until `unlock`.
 */
import type { Database } from 'better-sqlite3';
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { AuthStatus, SessionOperator } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import type { AuditTrail } from '../audit/trail';
import type { TokenStore } from '../directory/client';
import type { DirectoryService } from '../directory/service';
import { localDate } from '../governance/dates';
import { activeRights, grantDelegation } from '../governance/delegations';
import { readLocalSettings } from '../governance/settings';
import { governanceStrings } from '../governance/strings';
import type { GovernedOperator } from './authorize';
import { authStrings } from './strings';

export interface AuthServiceOptions {
  db: Database;
  directory: DirectoryService;
  tokens: TokenStore;
  trail: AuditTrail;
  /** The embedded demo directory: delegue.demo gets a demo delegation (docs/governance.md). */
  demo: boolean;
  /** Minimum time a refused sign-in takes (default 1 s). */
  failureDelayMs?: number;
  maxFailures?: number;
  lockoutMs?: number;
  now?: () => Date;
}

const SCRYPT = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, params: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFC'), salt, KEY_LENGTH, { ...params, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash` (base64): the parameters travel with the verifier so they can be raised later. */
export async function makeVerifier(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function checkVerifier(verifier: string, password: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = verifier.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Spends the time of a verification when there is no verifier, so an unknown login answers as slowly as a known one. */
async function dummyCheck(password: string): Promise<false> {
  await scrypt(password, Buffer.alloc(16), SCRYPT);
  return false;
}

interface KnownOperatorRow {
  login: string;
  display_name: string;
  role: SessionOperator['role'];
  uais: string;
  verifier: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isBadCredentials(error: unknown): boolean {
  if (!(error instanceof ApiError) || error.code !== 'UNAUTHORIZED') return false;
  const code = (error.details as { directoryCode?: string } | undefined)?.directoryCode;
  return code === undefined || code === 'INVALID_CREDENTIALS' || code === 'UNAUTHORIZED';
}

function isUnreachable(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'UNAVAILABLE';
}

export class AuthService {
  private readonly db: Database;
  private readonly now: () => Date;
  private readonly failureDelayMs: number;
  private readonly maxFailures: number;
  private readonly lockoutMs: number;
  /** The operator signed in offline (no directory tokens); null online. */
  private offline: SessionOperator | null = null;
  /** Who opened the session, until sign-out: lets the lock screen reopen it when the directory session expires. */
  private sessionLogin: string | null;
  private lockedByInactivity = false;

  constructor(private readonly options: AuthServiceOptions) {
    this.db = options.db;
    this.now = options.now ?? (() => new Date());
    this.failureDelayMs = options.failureDelayMs ?? 1000;
    this.maxFailures = options.maxFailures ?? 5;
    this.lockoutMs = options.lockoutMs ?? 15 * 60_000;
    this.sessionLogin = options.tokens.load()?.operator.login ?? null;
  }

  /** The identity of the open session (locked or not): the directory's tokens online, the verifier's snapshot offline. */
  private identity(): SessionOperator | null {
    const online = this.options.tokens.load()?.operator;
    if (online) return { login: online.login, displayName: online.displayName, role: online.role, uais: [...online.uais] };
    return this.offline;
  }

  /** For the directory service: the operator of an offline session (online ones come from its own tokens). */
  offlineOperator(): SessionOperator | null {
    return this.offline;
  }

  get mode(): 'online' | 'offline' | null {
    if (this.options.tokens.load()) return 'online';
    return this.offline ? 'offline' : null;
  }

  lockReason(): 'inactivity' | 'expired' | null {
    if (this.sessionLogin === null) return null;
    if (!this.identity()) return 'expired';
    return this.lockedByInactivity ? 'inactivity' : null;
  }

  isLocked(): boolean {
    return this.lockReason() !== null;
  }

  /** The operator handed to handlers (ctx.operator): null when nobody is signed in or the session is locked. */
  contextOperator(): GovernedOperator | null {
    const identity = this.identity();
    if (!identity || this.isLocked()) return null;
    const delegated = identity.role === 'delegue' ? activeRights(this.db, identity.login, localDate(this.now())) : {};
    return { ...identity, delegated };
  }

  status(directory: string, online: boolean | null): AuthStatus {
    const reason = this.lockReason();
    const identity = this.identity() ?? (this.sessionLogin ? this.lastKnown(this.sessionLogin) : null);
    return {
      signedIn: identity !== null,
      operator: identity,
      directory,
      online,
      locked: reason !== null,
      lockReason: reason,
      mode: this.mode,
      inactivityMinutes: readLocalSettings(this.db).inactivityMinutes,
    };
  }

  async signIn(rawLogin: string, password: string): Promise<SessionOperator> {
    const started = Date.now();
    const login = rawLogin.trim();
    const key = login.toLowerCase();
    const lockedUntil = this.lockedUntil(key);
    if (lockedUntil) {
      await this.pad(started);
      throw new ApiError('UNAUTHORIZED', authStrings.lockedOut(lockedUntil), { lockedUntil: lockedUntil.toISOString() });
    }
    try {
      await this.options.directory.signIn(login, password);
    } catch (error) {
      if (isBadCredentials(error)) {
        this.recordFailure(key);
        await this.pad(started);
        throw new ApiError('UNAUTHORIZED', authStrings.badCredentials);
      }
      if (isUnreachable(error)) return this.signInOffline(login, key, password, started);
      throw error;
    }
    const operator = this.options.directory.operator;
    if (!operator) throw new ApiError('UNAUTHORIZED', authStrings.badCredentials);
    await this.remember(operator, password);
    this.opened(operator, key, 'online');
    return operator;
  }

  private async signInOffline(login: string, key: string, password: string, started: number): Promise<SessionOperator> {
    const row = this.known(login);
    const ok = row ? await checkVerifier(row.verifier, password) : await dummyCheck(password);
    if (!row || !ok) {
      this.recordFailure(key);
      await this.pad(started);
      throw new ApiError('UNAUTHORIZED', authStrings.badCredentialsOffline);
    }
    const operator = this.toOperator(row);
    this.offline = operator;
    this.opened(operator, key, 'offline');
    return operator;
  }

  private opened(operator: SessionOperator, key: string, mode: 'online' | 'offline'): void {
    this.db.prepare('DELETE FROM sign_in_failures WHERE login = ?').run(key);
    this.sessionLogin = operator.login;
    this.lockedByInactivity = false;
    if (mode === 'online') this.offline = null;
    if (this.options.demo) this.grantDemoDelegation(operator);
    this.options.trail.record({
      method: 'auth.signIn',
      operator,
      at: this.now(),
      transport: 'internal',
      details: [{ targetType: 'operator', targetId: operator.login, after: { mode, role: operator.role, uais: operator.uais } }],
      outcome: 'ok',
      errorCode: null,
    });
  }

  signOut(): void {
    const operator = this.identity();
    this.options.directory.signOut();
    this.offline = null;
    this.sessionLogin = null;
    this.lockedByInactivity = false;
    if (operator) {
      this.options.trail.record({
        method: 'auth.signOut',
        operator,
        at: this.now(),
        transport: 'internal',
        details: [{ targetType: 'operator', targetId: operator.login }],
        outcome: 'ok',
        errorCode: null,
      });
    }
  }

  lock(): void {
    if (this.sessionLogin === null) throw new ApiError('UNAUTHORIZED', authStrings.noSession);
    this.lockedByInactivity = true;
  }

  /**
   * Inactivity: the password is checked against this workstation's verifier (works offline). Expired directory
   * session: a full sign-in of the same operator (online, or offline when the directory is unreachable).
   */
  async unlock(password: string): Promise<void> {
    const login = this.sessionLogin;
    const reason = this.lockReason();
    if (login === null) throw new ApiError('UNAUTHORIZED', authStrings.noSession);
    if (reason === null) return;
    if (reason === 'expired') {
      await this.signIn(login, password);
      return;
    }
    const started = Date.now();
    const key = login.toLowerCase();
    const lockedUntil = this.lockedUntil(key);
    if (lockedUntil) {
      await this.pad(started);
      throw new ApiError('UNAUTHORIZED', authStrings.lockedOut(lockedUntil));
    }
    const row = this.known(login);
    if (!row || !(await checkVerifier(row.verifier, password))) {
      this.recordFailure(key);
      await this.pad(started);
      throw new ApiError('UNAUTHORIZED', authStrings.badCredentials);
    }
    this.db.prepare('DELETE FROM sign_in_failures WHERE login = ?').run(key);
    this.lockedByInactivity = false;
  }

  private async pad(started: number): Promise<void> {
    const left = this.failureDelayMs - (Date.now() - started);
    if (left > 0) await sleep(left);
  }

  private lockedUntil(key: string): Date | null {
    const until = this.db.prepare('SELECT locked_until FROM sign_in_failures WHERE login = ?').pluck().get(key) as string | null | undefined;
    if (!until) return null;
    const date = new Date(until);
    return date.getTime() > this.now().getTime() ? date : null;
  }

  private recordFailure(key: string): void {
    const now = this.now();
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT failures, locked_until FROM sign_in_failures WHERE login = ?').get(key) as
        | { failures: number; locked_until: string | null }
        | undefined;
      // A lock that has run out starts a fresh count.
      const expired = row?.locked_until && new Date(row.locked_until).getTime() <= now.getTime();
      const failures = (expired ? 0 : (row?.failures ?? 0)) + 1;
      const lockedUntil = failures >= this.maxFailures ? new Date(now.getTime() + this.lockoutMs).toISOString() : null;
      this.db
        .prepare(
          `INSERT INTO sign_in_failures (login, failures, last_failure_at, locked_until) VALUES (?, ?, ?, ?)
           ON CONFLICT (login) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at,
             locked_until = excluded.locked_until`,
        )
        .run(key, failures, now.toISOString(), lockedUntil);
      if (lockedUntil) {
        this.options.trail.record({
          method: 'auth.signIn',
          operator: null,
          at: now,
          transport: 'internal',
          details: [{ targetType: 'operator', targetId: key, after: { lockedUntil } }],
          outcome: 'refused',
          errorCode: 'LOCKED_OUT',
        });
      }
    })();
  }

  private async remember(operator: SessionOperator, password: string): Promise<void> {
    const verifier = await makeVerifier(password);
    this.db
      .prepare(
        `INSERT INTO known_operators (login, display_name, role, uais, verifier, last_online_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (login) DO UPDATE SET display_name = excluded.display_name, role = excluded.role, uais = excluded.uais,
           verifier = excluded.verifier, last_online_at = excluded.last_online_at`,
      )
      .run(operator.login, operator.displayName, operator.role, JSON.stringify(operator.uais), verifier, this.now().toISOString());
  }

  private known(login: string): KnownOperatorRow | undefined {
    return this.db.prepare('SELECT * FROM known_operators WHERE login = ? COLLATE NOCASE').get(login) as KnownOperatorRow | undefined;
  }

  private lastKnown(login: string): SessionOperator | null {
    const row = this.known(login);
    return row ? this.toOperator(row) : null;
  }

  private toOperator(row: KnownOperatorRow): SessionOperator {
    return { login: row.login, displayName: row.display_name, role: row.role, uais: JSON.parse(row.uais) as string[] };
  }

  /**
   * Demo only: delegue.demo (the RUPN of the demo academy) holds a delegation for guardian accounts and letters until
   * the end of the school year, granted once per establishment; once revoked or ended it is not granted again.
   */
  private grantDemoDelegation(operator: SessionOperator): void {
    if (operator.role !== 'delegue' || operator.login !== 'delegue.demo') return;
    const today = localDate(this.now());
    for (const uai of operator.uais) {
      const any = this.db.prepare('SELECT 1 FROM delegations WHERE login = ? AND uai = ?').get(operator.login, uai);
      if (any) continue;
      const { granted } = grantDelegation(
        this.db,
        { uai, login: operator.login, rights: ['guardianAccounts', 'letters'], grantedBy: 'chef.demo', note: governanceStrings.demoDelegationNote },
        this.now(),
        today,
      );
      this.options.trail.record({
        method: 'delegations.grant',
        operator: null,
        at: this.now(),
        transport: 'internal',
        details: [{ uai, targetType: 'delegation', targetId: String(granted.id), after: granted, reason: governanceStrings.demoDelegationNote }],
        outcome: 'ok',
        errorCode: null,
      });
    }
  }
}
