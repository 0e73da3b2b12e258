/**
 * Reading a directory response's body: JSON, then the wire schema. Shared by the client (every response it returns)
 * and the write worker (the sync's pages, parsed and validated off the main thread): one rule for what a malformed
 * answer is.
 */
import type { z } from 'zod';

export type BodyReading<T> = { ok: true; value: T } | { ok: false; reason: string };

export function readBody<S extends z.ZodType>(schema: S, text: string): BodyReading<z.output<S>> {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `not JSON (${reason}; ${text.length} bytes, starts ${JSON.stringify(text.slice(0, 40))})` };
  }
  const checked = schema.safeParse(value);
  if (checked.success) return { ok: true, value: checked.data };
  const issues = checked.error.issues.slice(0, 3).map((i) => ({ path: i.path.join('.'), message: i.message }));
  return { ok: false, reason: `schema mismatch: ${JSON.stringify(issues)}` };
}
