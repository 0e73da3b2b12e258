/** audit.*: the hash-chained trail of every change, its verification and its export. */
import { z } from 'zod';
import { method, NoInput, IsoDate, Uai, type MethodSpec, byOperator, byUai } from '../spec';
import { ExportOverwrite, ExportPath } from '../export-file';

export const AuditOutcome = z.enum(['ok', 'refused', 'error']);

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  operator: z.string().nullable(),
  role: z.string().nullable(),
  method: z.string(),
  transport: z.string(),
  uai: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  reason: z.string().nullable(),
  outcome: AuditOutcome,
  errorCode: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditFilter = z
  .object({
    uai: Uai.optional(),
    operator: z.string().trim().max(100).optional(),
    method: z.string().trim().max(100).optional(),
    outcome: AuditOutcome.optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
  })
  .strict();
export type AuditFilter = z.infer<typeof AuditFilter>;

export const AuditVerifyResult = z.object({
  ok: z.boolean(),
  entries: z.number().int().nonnegative(),
  /** Id of the first entry whose hash or link to the previous entry does not match; null when the chain holds. */
  firstBadEntry: z.number().int().nullable(),
  /** Entries removed by end-of-year rollovers (re-anchored by a recorded checkpoint). */
  purged: z.number().int().nonnegative(),
  /** What does not match, one French sentence each (an altered entry, missing newest entries, a forged checkpoint…). */
  problems: z.array(z.string()),
});
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>;

export const auditMethods = {
  'audit.list': method({
    permission: 'administration',
    scope: byUai(),
    summary: 'Audit trail entries of the operator’s establishments, newest first, filtered and paged.',
    mutation: false,
    input: AuditFilter.extend({
      offset: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }).strict(),
    output: z.object({ total: z.number().int(), items: z.array(AuditEntry) }),
  }),
  'audit.verify': method({
    permission: 'administration',
    scope: byOperator,
    summary: 'Recomputes the hash chains of the audit trail and checks their heads; reports what does not match.',
    mutation: false,
    input: NoInput,
    output: AuditVerifyResult,
  }),
  'audit.export': method({
    permission: 'administration',
    scope: byUai(),
    summary: 'Writes the filtered audit trail to an .xlsx file at an absolute path in an existing folder; an existing file only with overwrite.',
    mutation: true,
    input: AuditFilter.extend({
      path: ExportPath,
      overwrite: ExportOverwrite,
    }).strict(),
    output: z.object({ path: z.string(), rows: z.number().int() }),
  }),
} satisfies Record<string, MethodSpec>;
