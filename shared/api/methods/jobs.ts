/** jobs.*: every long task (bulk actions, password resets, exports, sync, letters, statistics, imports) reports its
 * progress with one event and stops with one method. */
import { z } from 'zod';
import { method, NoInput, type MethodSpec, byOperator } from '../spec';

export const JobKind = z.enum([
  'accountsBulk',
  'passwordReset',
  'accountsExport',
  'reviewBulkAccept',
  'handoffExport',
  'auditExport',
  'sync',
  'letters',
  'statisticsExport',
  'import',
]);
export type JobKind = z.infer<typeof JobKind>;

export const JobState = z.enum(['running', 'done', 'cancelled', 'failed']);
export type JobState = z.infer<typeof JobState>;

export const JobId = z.string().trim().min(1, 'Identifiant de tâche obligatoire.').max(100, 'Identifiant de tâche trop long.');

export const JobInfo = z.object({
  jobId: z.string(),
  kind: JobKind,
  uai: z.string(),
  /** What the job does, in French, for a progress bar (e.g. « Synchronisation de Collège Jean Moulin : changements »). */
  label: z.string(),
  state: JobState,
  done: z.number().int().nonnegative(),
  /** Null while the size of the work is not known yet. */
  total: z.number().int().nonnegative().nullable(),
  startedAt: z.string(),
  /** A cancel was asked for: the job stops after its current step. */
  cancelRequested: z.boolean(),
});
export type JobInfo = z.infer<typeof JobInfo>;

export const jobsMethods = {
  'jobs.list': method({
    permission: 'read',
    scope: byOperator,
    summary: 'The long tasks running now on the establishments the caller may read (to show their progress again).',
    mutation: false,
    input: NoInput,
    output: z.array(JobInfo),
  }),
  'jobs.cancel': method({
    permission: 'read',
    scope: { by: 'record', record: 'job', ids: (input) => [input.jobId] },
    summary: 'Asks a running job to stop after its current step; what it already did stays done and is reported.',
    mutation: false,
    input: z.object({ jobId: JobId }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  }),
} satisfies Record<string, MethodSpec>;

export const jobsEvents = {
  /** A job started, moved on, or ended (then `state` says how). */
  'job.progress': JobInfo,
} satisfies Record<string, z.ZodType>;
