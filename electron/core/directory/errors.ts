/**
 * What can go wrong when talking to the directory, sorted by what to do about it: retry later (network, timeout,
 * 5xx, 408, 429, malformed answer), refresh the session (401), or give up on this request (other 4xx, and an
 * answer that is well-formed but lacks what the request must get back).
 * Messages are French for the user; `logLine()` carries the technical detail (never a token or personal data).
 */
import { ApiError, type ErrorCode } from '../../../shared/api/errors';
import { DirectoryErrorBody } from '../../../shared/directory/wire';

/** `incomplete`: a valid answer to an applied mutation, without what it must carry (a reset's password). */
export type DirectoryErrorKind = 'network' | 'timeout' | 'http' | 'malformed' | 'incomplete' | 'signed_out';

/** HTTP statuses worth retrying with the same request (and the same Idempotency-Key). */
export function isTransientStatus(status: number | null): boolean {
  return status !== null && (status >= 500 || status === 429 || status === 408);
}

export class DirectoryError extends Error {
  constructor(
    readonly kind: DirectoryErrorKind,
    /** The directory's error code (`CURSOR_EXPIRED`…), or our own for local failures. */
    readonly code: string,
    message: string,
    readonly status: number | null = null,
    readonly details: unknown = undefined,
    /** Retry-After in milliseconds, when the directory sent one. */
    readonly retryAfterMs: number | null = null,
    readonly technical = '',
  ) {
    super(message);
    this.name = 'DirectoryError';
  }

  /** Worth trying again later with the same request. */
  get transient(): boolean {
    if (this.kind === 'network' || this.kind === 'timeout' || this.kind === 'malformed') return true;
    return this.kind === 'http' && isTransientStatus(this.status);
  }

  /** The directory could not be reached at all (as opposed to answering badly). */
  get unreachable(): boolean {
    return this.kind === 'network' || this.kind === 'timeout';
  }

  logLine(): string {
    return `${this.kind} ${this.code}${this.status ? ` (${this.status})` : ''}: ${this.technical || this.message}`;
  }

  static signedOut(): DirectoryError {
    return new DirectoryError('signed_out', 'SIGNED_OUT', 'Session fermée : connectez-vous à l’annuaire.', 401);
  }

  static malformed(what: string, technical: string): DirectoryError {
    return new DirectoryError(
      'malformed',
      'MALFORMED_RESPONSE',
      `Réponse illisible de l’annuaire pour ${what} : elle a été ignorée, rien n’a été enregistré.`,
      null,
      undefined,
      null,
      technical,
    );
  }

  /**
   * A password reset the directory applied without sending the password: refused (no letter can be printed) and not
   * retried, since a resend under the same key gets the same stored answer.
   */
  static missingTemporaryPassword(technical: string): DirectoryError {
    return new DirectoryError(
      'incomplete',
      'MISSING_TEMPORARY_PASSWORD',
      'L’annuaire n’a pas transmis le mot de passe provisoire : aucun courrier ne peut être imprimé. ' +
        'Générez un nouveau mot de passe pour ce compte après la prochaine synchronisation.',
      null,
      undefined,
      null,
      technical,
    );
  }

  static fromFetchFailure(error: unknown, what: string, timeoutMs: number): DirectoryError {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new DirectoryError(
        'timeout',
        'TIMEOUT',
        `L’annuaire n’a pas répondu à temps (${Math.round(timeoutMs / 1000)} s) pour ${what}.`,
        null,
        undefined,
        null,
        `timeout after ${timeoutMs} ms`,
      );
    }
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : null;
    const technical = `${error instanceof Error ? error.message : String(error)}${cause ? ` (${(cause as NodeJS.ErrnoException).code ?? cause.message})` : ''}`;
    return new DirectoryError(
      'network',
      'NETWORK',
      `Annuaire injoignable pour ${what} : vérifiez la connexion réseau.`,
      null,
      undefined,
      null,
      technical,
    );
  }

  static fromResponse(status: number, text: string, headers: Headers, what: string): DirectoryError {
    const body = readErrorBody(text);
    const retryAfterMs = parseRetryAfter(headers.get('Retry-After'));
    if (!body) {
      // Not the directory's error shape: a proxy or a crash page. Its status still says whether to retry.
      const snippet = JSON.stringify(text.slice(0, 60));
      const transient = isTransientStatus(status);
      return new DirectoryError(
        transient ? 'http' : 'malformed',
        status >= 500 ? 'UNAVAILABLE' : status === 429 ? 'RATE_LIMITED' : status === 408 ? 'REQUEST_TIMEOUT' : 'MALFORMED_RESPONSE',
        `L’annuaire a répondu par une erreur ${status} illisible pour ${what}.`,
        status,
        undefined,
        retryAfterMs,
        `HTTP ${status} without a directory error body: ${snippet}`,
      );
    }
    return new DirectoryError(
      'http',
      body.code,
      frenchMessage(body.code, status, body.message, what),
      status,
      body.details,
      retryAfterMs,
      `HTTP ${status} ${body.code}: ${body.message}`,
    );
  }

  /** The contract's error for the UI. */
  toApiError(): ApiError {
    let code: ErrorCode = 'UNAVAILABLE';
    if (this.kind === 'incomplete') code = 'INTERNAL';
    else if (this.kind === 'signed_out' || this.status === 401) code = 'UNAUTHORIZED';
    else if (this.status === 403) code = 'FORBIDDEN';
    else if (this.status === 404) code = 'NOT_FOUND';
    else if (this.status === 409 || this.status === 412) code = 'CONFLICT';
    else if (this.status !== null && this.status >= 400 && this.status < 500 && !isTransientStatus(this.status)) code = 'INVALID_INPUT';
    return new ApiError(code, this.message, { directoryCode: this.code, status: this.status });
  }
}

export function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/** French wording per directory code; the directory's own message is appended when it adds something. */
function frenchMessage(code: string, status: number, serverMessage: string, what: string): string {
  const known: Record<string, string> = {
    INVALID_CREDENTIALS: 'Identifiant ou mot de passe incorrect.',
    UNAUTHORIZED: 'Session expirée : reconnectez-vous.',
    TOKEN_EXPIRED: 'Session expirée : reconnectez-vous.',
    FORBIDDEN: `Accès refusé par l’annuaire pour ${what}.`,
    NOT_FOUND: `Introuvable dans l’annuaire (${what}).`,
    CURSOR_EXPIRED: 'Position de synchronisation expirée : une resynchronisation complète est nécessaire.',
    VERSION_MISMATCH: 'La fiche a été modifiée entre-temps dans l’annuaire : vérifiez le conflit.',
    PASSWORD_NOT_REPLAYABLE: 'Réinitialisation déjà faite : son mot de passe provisoire n’est remis qu’une fois. Lancez une nouvelle réinitialisation.',
    RATE_LIMITED: 'L’annuaire est surchargé : nouvel essai automatique.',
    REQUEST_TIMEOUT: 'L’annuaire a abandonné la requête faute de temps : nouvel essai automatique.',
    UNAVAILABLE: 'L’annuaire est momentanément indisponible : nouvel essai automatique.',
    INTERNAL: 'Erreur interne de l’annuaire : nouvel essai automatique.',
    PROTOCOL_VERSION: 'Version du protocole de l’annuaire non prise en charge : mettez l’application à jour.',
  };
  const base = known[code] ?? `Refus de l’annuaire (${status}) pour ${what}`;
  if (code in known && ['INVALID_CREDENTIALS', 'CURSOR_EXPIRED', 'REQUEST_TIMEOUT', 'RATE_LIMITED', 'UNAVAILABLE', 'INTERNAL', 'PASSWORD_NOT_REPLAYABLE'].includes(code)) {
    return base;
  }
  return serverMessage && !base.includes(serverMessage) ? `${base.replace(/\.$/, '')} : ${serverMessage}` : base;
}

/** Reads a directory error body when there is one; anything else (an HTML page from a proxy…) yields null. */
function readErrorBody(text: string): { code: string; message: string; details?: unknown } | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const body = DirectoryErrorBody.safeParse(value);
  return body.success ? body.data.error : null;
}
