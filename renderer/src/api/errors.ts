import { ApiError, type ApiErrorBody, type ErrorCode, isErrorCode } from '../../../shared/api/errors';

/** An error from the API as the UI sees it: the contract's error (stable code, French message, details). */
export class ClientError extends ApiError {
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(code, message, details);
    this.name = 'ClientError';
  }

  static fromBody(body: unknown): ClientError {
    if (typeof body === 'object' && body !== null) {
      const { code, message, details } = body as Partial<ApiErrorBody>;
      if (typeof message === 'string') {
        return new ClientError(isErrorCode(code) ? code : 'INTERNAL', message, details);
      }
    }
    return new ClientError('INTERNAL', 'Le service local a renvoyé une erreur illisible.', body);
  }
}

export function unavailable(cause?: unknown): ClientError {
  return new ClientError(
    'UNAVAILABLE',
    "Le service local ne répond pas. Vérifiez que l'application est toujours ouverte, puis réessayez.",
    cause instanceof Error ? { cause: cause.message } : undefined,
  );
}

/** A French message for any thrown value, for error states that may receive non-API errors. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message !== '') return error.message;
  return 'Erreur inconnue.';
}
