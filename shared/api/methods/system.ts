/** system.*: the application's own state. */
import { z } from 'zod';
import { method, NoInput, type MethodSpec } from '../spec';

export const TableCount = z.object({ table: z.string(), rows: z.number().int().nonnegative() });

export const SystemStatus = z.object({
  appVersion: z.string(),
  host: z.enum(['electron', 'browser']),
  dataDir: z.string(),
  databaseFile: z.string(),
  schemaVersion: z.number().int().nonnegative(),
  latestSchemaVersion: z.number().int().nonnegative(),
  directory: z.string(),
  startedAt: z.iso.datetime(),
  nodeVersion: z.string(),
  sqliteVersion: z.string(),
  tables: z.array(TableCount),
});
export type SystemStatus = z.infer<typeof SystemStatus>;

export const systemMethods = {
  'system.status': method({
    permission: 'public',
    summary: 'Application state: version, data folder, schema version and row counts per table.',
    mutation: false,
    input: NoInput,
    output: SystemStatus,
  }),
} satisfies Record<string, MethodSpec>;

export const systemEvents = {
  'job.progress': z.object({
    jobId: z.string(),
    /** The establishment the job works on, when it works on one. */
    uai: z.string().nullable(),
    label: z.string(),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative().nullable(),
    finished: z.boolean(),
  }),
  'system.notice': z.object({
    level: z.enum(['info', 'warning', 'error']),
    message: z.string(),
  }),
} satisfies Record<string, z.ZodType>;
