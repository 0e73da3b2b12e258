/**
 * The operator's session on this workstation, on top of the directory sign-in:
 * - a refused sign-in gets the same message after the same minimum delay whether the login exists or not;
 * - five failures lock that login for 15 minutes (known or not, so the lock reveals nothing either). Attempts on one
 *   login run one at a time and are counted before their slow check, so parallel guesses cannot outrun the count;
 * - each online sign-in leaves a salted scrypt verifier of the password (never the password) and the operator's last
 *   known identity, so the same operator can sign in offline later on this workstation (for a set number of days after
 *   the last online sign-in), and unlock a locked session; verifiers of older parameters are re-hashed on success;
 * - the session locks on demand, after the inactivity delay (the core's own timer, as well as the window's), when the
 *   directory refuses to renew it, and at start when a session was kept from the last run; the core then answers
 *   public methods only until `unlock`.
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
  /** How often the core looks for an idle session to lock (default 5 s; tests shorten it). */
  idleCheckMs?: number;
  now?: () => Date;
}

/** The cost of the offline verifier: N=2^17 (128 MiB, about 0.3 s), r=8, p=1. */
const SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

function scrypt(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // Node refuses to run unless maxmem exceeds the 128·N·r bytes scrypt needs (plus its small p-sized buffers).
  const options: ScryptOptions = { ...params, maxmem: 2 * 128 * params.N * params.r };
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * The parameters of a stored verifier, or null when it is not one we can check. Bounded so that a tampered row cannot
 * make a check allocate gigabytes.
 */
function verifierParams(verifier: string): (ScryptParams & { salt: Buffer; hash: Buffer }) | null {
  const [kind, n, r, p, salt, hash] = verifier.split('$');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (kind !== 'scrypt' || !salt || !hash) return null;
  const powerOfTwo = Number.isInteger(params.N) && params.N >= 2 ** 10 && params.N <= 2 ** 20 && (params.N & (params.N - 1)) === 0;
  if (!powerOfTwo || !Number.isInteger(params.r) || params.r < 1 || params.r > 32 || !Number.isInteger(params.p) || params.p < 1 || params.p > 16) {
    return null;
  }
  return { ...params, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

/** `scrypt$N$r$p$salt$hash` (base64): the parameters travel with the verifier so they can be raised later. */
export async function makeVerifier(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function checkVerifier(verifier: string, password: string): Promise<boolean> {
  const parsed = verifierParams(verifier);
  if (!parsed) return false;
  const actual = await scrypt(password, parsed.salt, parsed);
  return actual.length === parsed.hash.length && timingSafeEqual(actual, parsed.hash);
}

/** True when a verifier was written with other parameters than today's: re-hashed at the next successful check. */
function verifierIsOutdated(verifier: string): boolean {
  const parsed = verifierParams(verifier);
  return !parsed || parsed.N !== SCRYPT.N || parsed.r !== SCRYPT.r || parsed.p !== SCRYPT.p;
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
  last_online_at: string;
}

interface FailureRow {
  login: string;
  failures: number;
  last_failure_at: string;
  locked_until: string | null;
}

/**
 * What a password check found: the password was right (`ok`), wrong (`wrong`, counts toward the lockout), or right but
 * the session is still refused (`refused`, e.g. offline sign-in expired): that clears the count like a success.
 */
type Checked<T> = { kind: 'ok'; value: T } | { kind: 'wrong'; error: ApiError } | { kind: 'refused'; error: ApiError };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isBadCredentials(error: unknown): boolean {
  if (!(error instanceof ApiError) || error.code !== 'UNAUTHORIZED') return false;
  const code = (error.details as { directoryCode?: string } | undefined)?.directoryCode;
  return code === undefined || code === 'INVALID_CREDENTIALS' || code === 'UNAUTHORIZED';
}

function isUnreachable(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'UNAVAILABLE';
}

/** Why a signed-in session is locked: inactivity (or an explicit lock), a restart of the app, an expired directory session. */
type LockReason = 'inactivity' | 'restart' | 'expired';

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
  /** Locked by inactivity (or on demand) or because the app restarted; null when open (or expired, see lockReason). */
  private lockState: 'inactivity' | 'restart' | null;
  /** The operator's last non-public call (or sign-in, unlock), on this service's clock. */
  private lastActivity: number;
  /** The tail of each login's queue of password attempts (see `serialised`). */
  private readonly attempts = new Map<string, Promise<unknown>>();
  private readonly lockListeners = new Set<() => void>();
  private readonly idleTimer: NodeJS.Timeout;

  constructor(private readonly options: AuthServiceOptions) {
    this.db = options.db;
    this.now = options.now ?? (() => new Date());
    this.failureDelayMs = options.failureDelayMs ?? 1000;
    this.maxFailures = options.maxFailures ?? 5;
    this.lockoutMs = options.lockoutMs ?? 15 * MINUTE;
    this.lastActivity = this.now().getTime();
    // A session kept from the last run comes back locked: whoever sits at the workstation now must type the password.
    // Tokens past their expiry are dropped instead: nothing valid is kept, nobody is signed in.
    let stored = options.tokens.load();
    if (stored && !(stored.expiresAt > this.now().getTime())) {
      options.tokens.save(null);
      stored = null;
    }
    this.sessionLogin = stored?.operator.login ?? null;
    this.lockState = stored ? 'restart' : null;
    this.idleTimer = setInterval(() => this.lockIfIdle(), options.idleCheckMs ?? 5000);
    this.idleTimer.unref();
  }

  /** Stops the inactivity timer (the core's shutdown). */
  close(): void {
    clearInterval(this.idleTimer);
  }

  /** Called when the core locks an idle session by itself (the core tells the windows); returns the unsubscribe. */
  onIdleLock(listener: () => void): () => void {
    this.lockListeners.add(listener);
    return () => this.lockListeners.delete(listener);
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

  lockReason(): LockReason | null {
    if (this.sessionLogin === null) return null;
    if (!this.identity()) return 'expired';
    this.lockIfIdle();
    return this.lockState;
  }

  isLocked(): boolean {
    return this.lockReason() !== null;
  }

  /** A non-public call by the operator of an open session: the inactivity delay starts again. */
  noteActivity(): void {
    if (!this.isLocked()) this.lastActivity = this.now().getTime();
  }

  /**
   * Locks an open session once the inactivity delay has passed without activity. Run by a timer (so the windows hear
   * of it) and before answering any call (so a late timer never lets a call through).
   */
  private lockIfIdle(): void {
    if (!this.db.open || this.sessionLogin === null || this.lockState !== null || !this.identity()) return;
    const delay = readLocalSettings(this.db).inactivityMinutes * MINUTE;
    if (this.now().getTime() - this.lastActivity < delay) return;
    this.lockState = 'inactivity';
    for (const listener of this.lockListeners) listener();
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
    return this.padRefusal(started, this.attempt(login.toLowerCase(), () => this.checkSignIn(login, password)));
  }

  private async checkSignIn(login: string, password: string): Promise<Checked<SessionOperator>> {
    try {
      await this.options.directory.signIn(login, password);
    } catch (error) {
      if (isBadCredentials(error)) return { kind: 'wrong', error: new ApiError('UNAUTHORIZED', authStrings.badCredentials) };
      if (isUnreachable(error)) return this.checkOffline(login, password);
      throw error;
    }
    const operator = this.options.directory.operator;
    if (!operator) throw new ApiError('UNAUTHORIZED', authStrings.badCredentials);
    await this.remember(operator, password);
    this.opened(operator, 'online');
    return { kind: 'ok', value: operator };
  }

  private async checkOffline(login: string, password: string): Promise<Checked<SessionOperator>> {
    const row = this.known(login);
    const ok = row ? await checkVerifier(row.verifier, password) : await dummyCheck(password);
    if (!row || !ok) return { kind: 'wrong', error: new ApiError('UNAUTHORIZED', authStrings.badCredentialsOffline) };
    // Told only to who knows the password, so it reveals nothing about which logins exist.
    const days = readLocalSettings(this.db).offlineSignInDays;
    const sinceOnline = this.now().getTime() - new Date(row.last_online_at).getTime();
    if (!(sinceOnline <= days * DAY)) {
      return { kind: 'refused', error: new ApiError('UNAUTHORIZED', authStrings.offlineExpired(days)) };
    }
    await this.upgradeVerifier(row, password);
    const operator = this.toOperator(row);
    this.offline = operator;
    this.opened(operator, 'offline');
    return { kind: 'ok', value: operator };
  }

  private opened(operator: SessionOperator, mode: 'online' | 'offline'): void {
    this.sessionLogin = operator.login;
    this.lockState = null;
    this.lastActivity = this.now().getTime();
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
    this.lockState = null;
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
    // A restart lock stays one: unlocking it also restarts the background sync.
    if (this.lockState === null) this.lockState = 'inactivity';
  }

  /**
   * Inactivity or restart: the password is checked against this workstation's verifier (works offline). Expired
   * directory session (or no verifier here): a full sign-in of the same operator (online, or offline when the
   * directory is unreachable).
   */
  async unlock(password: string): Promise<void> {
    const login = this.sessionLogin;
    if (login === null) throw new ApiError('UNAUTHORIZED', authStrings.noSession);
    const reason = this.lockReason();
    if (reason === null) return;
    if (reason === 'expired' || !this.known(login)) {
      await this.signIn(login, password);
      return;
    }
    const started = Date.now();
    await this.padRefusal(
      started,
      this.attempt(login.toLowerCase(), async (): Promise<Checked<void>> => {
        const row = this.known(login);
        if (!row || !(await checkVerifier(row.verifier, password))) {
          return { kind: 'wrong', error: new ApiError('UNAUTHORIZED', authStrings.badCredentials) };
        }
        await this.upgradeVerifier(row, password);
        if (this.sessionLogin !== login) return { kind: 'refused', error: new ApiError('UNAUTHORIZED', authStrings.noSession) };
        const restarted = this.lockState === 'restart';
        this.lockState = null;
        this.lastActivity = this.now().getTime();
        // After a restart the schedule was never started; a fresh sign-in starts it, so does this first unlock.
        if (restarted && this.mode === 'online') this.options.directory.scheduler.start();
        return { kind: 'ok', value: undefined };
      }),
    );
  }

  /**
   * One password attempt on a login, after the previous ones on that login have finished (attempts run one at a time,
   * so none is checked before the failures of the earlier ones are recorded). Refused at once while the login is
   * locked out, whatever the password. Otherwise counted as a failure *before* the slow check (scrypt or the
   * directory), then uncounted if it turns out right, or if the check could not say (directory error).
   */
  private attempt<T>(key: string, check: () => Promise<Checked<T>>): Promise<T> {
    return this.serialised(key, async () => {
      const lockedUntil = this.lockedUntil(key);
      if (lockedUntil) throw new ApiError('UNAUTHORIZED', authStrings.lockedOut(lockedUntil), { lockedUntil: lockedUntil.toISOString() });
      const before = this.countAttempt(key);
      let checked: Checked<T>;
      try {
        checked = await check();
      } catch (error) {
        this.restoreFailures(key, before);
        throw error;
      }
      if (checked.kind === 'wrong') {
        this.confirmFailure(key);
        throw checked.error;
      }
      this.db.prepare('DELETE FROM sign_in_failures WHERE login = ?').run(key);
      if (checked.kind === 'refused') throw checked.error;
      return checked.value;
    });
  }

  /** Runs `task` after every task queued before it for the same key, whatever their outcome. */
  private serialised<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.attempts.get(key) ?? Promise.resolve();
    const run = previous.then(task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.attempts.set(key, tail);
    void tail.then(() => {
      if (this.attempts.get(key) === tail) this.attempts.delete(key);
    });
    return run;
  }

  /** A refusal (wrong password, lockout) answers no sooner than the minimum delay, counted from the call. */
  private async padRefusal<T>(started: number, work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHORIZED') {
        const left = this.failureDelayMs - (Date.now() - started);
        if (left > 0) await sleep(left);
      }
      throw error;
    }
  }

  private failureRow(key: string): FailureRow | undefined {
    return this.db.prepare('SELECT * FROM sign_in_failures WHERE login = ?').get(key) as FailureRow | undefined;
  }

  private lockedUntil(key: string): Date | null {
    const until = this.failureRow(key)?.locked_until;
    if (!until) return null;
    const date = new Date(until);
    return date.getTime() > this.now().getTime() ? date : null;
  }

  /** Adds one failure ahead of the check; returns the row as it was, to put back if the check cannot conclude. */
  private countAttempt(key: string): FailureRow | undefined {
    const now = this.now();
    const row = this.failureRow(key);
    // A lock that has run out starts a fresh count.
    const expired = row?.locked_until && new Date(row.locked_until).getTime() <= now.getTime();
    const failures = (expired ? 0 : (row?.failures ?? 0)) + 1;
    this.db
      .prepare(
        `INSERT INTO sign_in_failures (login, failures, last_failure_at, locked_until) VALUES (?, ?, ?, NULL)
         ON CONFLICT (login) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at,
           locked_until = excluded.locked_until`,
      )
      .run(key, failures, now.toISOString());
    return row;
  }

  private restoreFailures(key: string, row: FailureRow | undefined): void {
    if (!row) {
      this.db.prepare('DELETE FROM sign_in_failures WHERE login = ?').run(key);
      return;
    }
    this.db
      .prepare('UPDATE sign_in_failures SET failures = ?, last_failure_at = ?, locked_until = ? WHERE login = ?')
      .run(row.failures, row.last_failure_at, row.locked_until, key);
  }

  /** The counted attempt was wrong: at the limit, the login is locked out for the whole window (and that is audited). */
  private confirmFailure(key: string): void {
    const row = this.failureRow(key);
    if (!row || row.failures < this.maxFailures) return;
    const now = this.now();
    const lockedUntil = new Date(now.getTime() + this.lockoutMs).toISOString();
    this.db.transaction(() => {
      this.db.prepare('UPDATE sign_in_failures SET locked_until = ? WHERE login = ?').run(lockedUntil, key);
      this.options.trail.record({
        method: 'auth.signIn',
        operator: null,
        at: now,
        transport: 'internal',
        details: [{ targetType: 'operator', targetId: key, after: { lockedUntil } }],
        outcome: 'refused',
        errorCode: 'LOCKED_OUT',
      });
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

  /** After a successful check against a verifier of older parameters: the same password, hashed at today's cost. */
  private async upgradeVerifier(row: KnownOperatorRow, password: string): Promise<void> {
    if (!verifierIsOutdated(row.verifier)) return;
    const verifier = await makeVerifier(password);
    this.db.prepare('UPDATE known_operators SET verifier = ? WHERE login = ? AND verifier = ?').run(verifier, row.login, row.verifier);
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
