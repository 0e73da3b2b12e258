/**
 * Directory API v1 client. Everything the app asks the national directory goes through `DirectoryClient`, so a real
 * endpoint can replace the demo directory without touching the sync engine. Every response is validated against the
 * wire schemas: a malformed answer (wrong shape, truncated JSON, an HTML error page) is rejected whole.
 */
import { randomUUID } from 'node:crypto';
import { type z } from 'zod';
import {
  ActivationHistory,
  ChangesPage,
  DIRECTORY_API_PREFIX,
  DIRECTORY_HEADERS,
  DIRECTORY_PROTOCOL_VERSION,
  EstablishmentsResponse,
  MutationResponse,
  PasswordResetResponse,
  SnapshotPage,
  TokenResponse,
  EstablishmentTotals,
  type Establishment,
  type MutationRequest,
  type MutationResponseFor,
  type Operator,
} from '../../../shared/directory/wire';
import { ApiError } from '../../../shared/api/errors';
import { checkDirectoryUrl } from './endpoint';
import { readBody } from './response-body';
import { DirectoryError } from './errors';
import { DEFAULT_RETRY, interactiveRetry, withRetry, type RetryPolicy } from './retry';

/** The directory's own counts for one establishment (`GET /v1/establishments/{uai}/totals`). */
export type DirectoryTotals = EstablishmentTotals;

export interface MutationOptions {
  /** One key per intended change: every attempt at it, here or later, is sent under this same key. */
  idempotencyKey: string;
  ifMatch: number | null;
  /**
   * Retries transient failures (timeouts, lost answers, 408, 429, 5xx) within this call, Retry-After honoured, for an
   * operator waiting on the answer (a password reset). Without it the call is one attempt: the outbox retries across
   * flushes instead, with its row's key.
   */
  retry?: boolean;
  /** Internal: this reset replaces one whose password was lost with its answer (at most once). */
  replacing?: boolean;
}

/**
 * A page's body as received: bytes, not decoded nor parsed (the sync engine hands them over to the write worker,
 * which reads them off the main thread). `malformed(reason)` is the error to throw when they do not read, logged as
 * the client logs its own.
 */
export interface PageBody {
  bytes: ArrayBuffer;
  malformed(reason: string): DirectoryError;
}

export interface DirectoryClient {
  readonly baseUrl: string;
  /** POST /v1/auth/token: keeps the tokens in the client's token store and returns the operator. */
  signIn(login: string, password: string): Promise<Operator>;
  signOut(): void;
  readonly signedIn: boolean;
  establishments(): Promise<Establishment[]>;
  snapshotPage(uai: string, page: string | null, limit?: number): Promise<SnapshotPage>;
  changes(uai: string, cursor: string, limit?: number): Promise<ChangesPage>;
  /** `snapshotPage` and `changes` with their body left to read (as `SnapshotPage`, `ChangesPage`): same errors else. */
  snapshotPageBody(uai: string, page: string | null, limit?: number): Promise<PageBody>;
  changesBody(uai: string, cursor: string, limit?: number): Promise<PageBody>;
  /** A password reset's answer without a non-blank `temporaryPassword` is refused (MISSING_TEMPORARY_PASSWORD). */
  mutate<R extends MutationRequest>(uai: string, request: R, options: MutationOptions): Promise<MutationResponseFor<R['kind']>>;
  /** The directory's counts, or null when this directory offers no way to read them. */
  totals(uai: string): Promise<DirectoryTotals | null>;
  /** The establishment's activation day by day since Sept 1 and the directory's date; null when it offers none. */
  activationHistory(uai: string): Promise<ActivationHistory | null>;
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms after which the access token is known to be expired. */
  expiresAt: number;
  operator: Operator;
}

/**
 * Where the session's tokens live. In memory by default; the core plugs in safeStorage (Electron) or a
 * 0600 key file (browser host) behind this same interface.
 */
export interface TokenStore {
  load(): Tokens | null;
  save(tokens: Tokens | null): void;
}

export function memoryTokenStore(): TokenStore {
  let tokens: Tokens | null = null;
  return { load: () => tokens, save: (next) => void (tokens = next) };
}

export interface HttpClientOptions {
  baseUrl: string;
  tokens?: TokenStore;
  /** Per request; a snapshot page of 5000 records on a slow link needs more than a mutation. */
  timeoutMs?: number;
  /** Policy of the mutations sent with `retry: true`, bounded by interactiveRetry (an operator is waiting). */
  retry?: RetryPolicy;
  log?: (message: string) => void;
}

const DEFAULT_TIMEOUT_MS = 20_000;

interface RequestSpec<S extends z.ZodType> {
  method: 'GET' | 'POST';
  path: string;
  schema: S;
  body?: unknown;
  headers?: Record<string, string>;
  auth?: boolean;
  /** What the request was, for logs and messages ("la page de changements de 0750654D"). */
  what: string;
}

export class HttpDirectoryClient implements DirectoryClient {
  readonly baseUrl: string;
  private readonly tokenStore: TokenStore;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly log: (message: string) => void;
  /** One refresh at a time: refresh tokens are single-use, so concurrent refreshes would log the operator out. */
  private refreshing: Promise<void> | null = null;

  constructor(options: HttpClientOptions) {
    const address = checkDirectoryUrl(options.baseUrl);
    if (!address.ok) throw new ApiError('INVALID_INPUT', address.message, { directory: options.baseUrl });
    this.baseUrl = address.url;
    this.tokenStore = options.tokens ?? memoryTokenStore();
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retry = interactiveRetry(options.retry ?? DEFAULT_RETRY);
    this.log = options.log ?? ((message) => console.warn(`[directory] ${message}`));
  }

  get signedIn(): boolean {
    return this.tokenStore.load() !== null;
  }

  async signIn(login: string, password: string): Promise<Operator> {
    const response = await this.request({
      method: 'POST',
      path: '/auth/token',
      schema: TokenResponse,
      body: { login, password },
      auth: false,
      what: 'la connexion',
    });
    this.keep(response);
    return response.operator;
  }

  signOut(): void {
    this.tokenStore.save(null);
  }

  async establishments(): Promise<Establishment[]> {
    const response = await this.request({
      method: 'GET',
      path: '/establishments',
      schema: EstablishmentsResponse,
      what: 'la liste des établissements',
    });
    return response.items;
  }

  snapshotPage(uai: string, page: string | null, limit?: number): Promise<SnapshotPage> {
    return this.request({ ...snapshotRequest(uai, page, limit), schema: SnapshotPage });
  }

  changes(uai: string, cursor: string, limit?: number): Promise<ChangesPage> {
    return this.request({ ...changesRequest(uai, cursor, limit), schema: ChangesPage });
  }

  snapshotPageBody(uai: string, page: string | null, limit?: number): Promise<PageBody> {
    return this.body(snapshotRequest(uai, page, limit));
  }

  changesBody(uai: string, cursor: string, limit?: number): Promise<PageBody> {
    return this.body(changesRequest(uai, cursor, limit));
  }

  async mutate<R extends MutationRequest>(uai: string, request: R, options: MutationOptions): Promise<MutationResponseFor<R['kind']>> {
    const headers: Record<string, string> = { [DIRECTORY_HEADERS.idempotencyKey]: options.idempotencyKey };
    if (options.ifMatch !== null) headers[DIRECTORY_HEADERS.ifMatch] = `"${options.ifMatch}"`;
    // One spec, so one key, for every attempt: a retry after a lost answer gets the stored answer, not a second change.
    const spec = {
      method: 'POST' as const,
      path: `/establishments/${encodeURIComponent(uai)}/mutations`,
      schema: MutationResponse,
      body: request,
      headers,
      what: `la modification « ${request.kind} »`,
    };
    let response;
    try {
      response = options.retry
        ? await withRetry(() => this.request(spec), this.retry, {
            onRetry: (error, attempt, delayMs) =>
              this.log(`${request.kind}: ${error.logLine()}; retry ${attempt} in ${Math.round(delayMs)} ms under the same Idempotency-Key`),
          })
        : await this.request(spec);
    } catch (error) {
      // A reset whose answer was lost was applied, but its password existed only in that answer (the directory never
      // replays it): one new reset, under a new key, replaces the lost password with one the operator receives.
      const lost = error instanceof DirectoryError && error.code === 'PASSWORD_NOT_REPLAYABLE';
      if (!lost || request.kind !== 'account.resetPassword' || !options.retry || options.replacing) throw error;
      const version = (error.details as { record?: { version?: unknown } } | undefined)?.record?.version;
      this.log(`${request.kind} of ${request.targetId}: the answer carrying the password was lost; resetting again under a new key`);
      return this.mutate(uai, request, { ...options, idempotencyKey: randomUUID(), ifMatch: typeof version === 'number' ? version : null, replacing: true });
    }
    if (request.kind === 'account.resetPassword' && !PasswordResetResponse.safeParse(response).success) {
      const failure = DirectoryError.missingTemporaryPassword(
        `account.resetPassword of ${request.targetId} answered without a temporaryPassword (record version ${response.record.version})`,
      );
      this.log(failure.logLine());
      throw failure;
    }
    return response as MutationResponseFor<R['kind']>;
  }

  async totals(uai: string): Promise<DirectoryTotals | null> {
    try {
      return await this.request({
        method: 'GET',
        path: `/establishments/${encodeURIComponent(uai)}/totals`,
        schema: EstablishmentTotals,
        what: `les totaux de ${uai}`,
      });
    } catch (error) {
      if (error instanceof DirectoryError && error.status === 404) return null;
      throw error;
    }
  }

  async activationHistory(uai: string): Promise<ActivationHistory | null> {
    try {
      return await this.request({
        method: 'GET',
        path: `/establishments/${encodeURIComponent(uai)}/activation-history`,
        schema: ActivationHistory,
        what: `l’historique d’activation de ${uai}`,
      });
    } catch (error) {
      if (error instanceof DirectoryError && error.status === 404) return null;
      throw error;
    }
  }

  private keep(response: TokenResponse): void {
    this.tokenStore.save({
      accessToken: response.accessToken,
      refreshToken: response.refreshToken,
      expiresAt: Date.now() + response.expiresIn * 1000,
      operator: response.operator,
    });
  }

  private async refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      const tokens = this.tokenStore.load();
      if (!tokens) throw DirectoryError.signedOut();
      try {
        const response = await this.request({
          method: 'POST',
          path: '/auth/refresh',
          schema: TokenResponse,
          body: { refreshToken: tokens.refreshToken },
          auth: false,
          what: 'le renouvellement de la session',
        });
        this.keep(response);
      } catch (error) {
        // A refused refresh ends the session; a network failure keeps it for the next attempt.
        if (error instanceof DirectoryError && error.status === 401) this.tokenStore.save(null);
        throw error;
      }
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Sends the request and reads the answer against its schema: a malformed answer is rejected whole. */
  private async request<S extends z.ZodType>(spec: RequestSpec<S>): Promise<z.output<S>> {
    const { status, body } = await this.exchange(spec, (response) => response.text());
    const read = readBody(spec.schema, body);
    if (!read.ok) throw this.malformed(spec, status, read.reason);
    return read.value;
  }

  /** Sends the request; the bytes of the successful answer are the caller's to read. */
  private async body(spec: Omit<RequestSpec<z.ZodType>, 'schema'>): Promise<PageBody> {
    const { status, body } = await this.exchange(spec, (response) => response.arrayBuffer());
    return { bytes: body, malformed: (reason) => this.malformed(spec, status, reason) };
  }

  private malformed(spec: Omit<RequestSpec<z.ZodType>, 'schema'>, status: number, reason: string): DirectoryError {
    const failure = DirectoryError.malformed(spec.what, `${spec.method} ${spec.path} → ${status}: ${reason}`);
    this.log(failure.logLine());
    return failure;
  }

  /**
   * HTTP and its errors: a non-2xx answer becomes a DirectoryError; a 401 refreshes the session and tries once more.
   * `read` takes the body of a successful answer (a connection dropped while it arrives is a failure like any other).
   */
  private async exchange<T>(
    spec: Omit<RequestSpec<z.ZodType>, 'schema'>,
    read: (response: Response) => Promise<T>,
    retried = false,
  ): Promise<{ status: number; body: T }> {
    const auth = spec.auth ?? true;
    const headers: Record<string, string> = {
      Accept: 'application/json',
      [DIRECTORY_HEADERS.protocol]: String(DIRECTORY_PROTOCOL_VERSION),
      ...spec.headers,
    };
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth) {
      if (this.refreshing) await this.refreshing;
      const tokens = this.tokenStore.load();
      if (!tokens) throw DirectoryError.signedOut();
      headers[DIRECTORY_HEADERS.authorization] = `Bearer ${tokens.accessToken}`;
    }
    const url = `${this.baseUrl}${DIRECTORY_API_PREFIX}${spec.path}`;

    let response: Response;
    let body: { ok: true; value: T } | { ok: false; text: string };
    try {
      response = await fetch(url, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      body = response.ok ? { ok: true, value: await read(response) } : { ok: false, text: await response.text() };
    } catch (error) {
      throw DirectoryError.fromFetchFailure(error, spec.what, this.timeoutMs);
    }

    if (!body.ok) {
      const failure = DirectoryError.fromResponse(response.status, body.text, response.headers, spec.what);
      // TOKEN_EXPIRED is the documented case; a plain 401 (a directory restarted without its sessions) gets the same
      // single refresh attempt, which ends the session if the refresh token is refused too.
      if (auth && !retried && failure.status === 401) {
        await this.refresh();
        return this.exchange(spec, read, true);
      }
      if ((failure.status ?? 0) >= 500 || failure.kind === 'malformed') this.log(failure.logLine());
      throw failure;
    }
    return { status: response.status, body: body.value };
  }
}

const snapshotRequest = (uai: string, page: string | null, limit: number | undefined) => ({
  method: 'GET' as const,
  path: `/establishments/${encodeURIComponent(uai)}/snapshot${query({ page, limit })}`,
  what: `une page d’instantané de ${uai}`,
});

const changesRequest = (uai: string, cursor: string, limit: number | undefined) => ({
  method: 'GET' as const,
  path: `/establishments/${encodeURIComponent(uai)}/changes${query({ cursor, limit })}`,
  what: `une page de changements de ${uai}`,
});

function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
