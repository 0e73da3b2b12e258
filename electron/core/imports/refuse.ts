/** A file refused as a whole: `INVALID_FILE` (422) with a stable `details.reason` and the French sentence why. */
import type { ImportRefusal } from '../../../shared/api/methods/imports';
import { ApiError } from '../../../shared/api/errors';

export function refuse(reason: ImportRefusal, message: string, details: Record<string, unknown> = {}): ApiError {
  return new ApiError('INVALID_FILE', message, { reason, ...details });
}

/** The reason of an import refusal, or null for any other error. */
export function refusalReason(error: unknown): ImportRefusal | null {
  if (!(error instanceof ApiError) || error.code !== 'INVALID_FILE') return null;
  return (error.details as { reason?: ImportRefusal } | undefined)?.reason ?? null;
}
