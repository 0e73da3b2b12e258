/**
 * The one contract between the renderer and the core. Each method is `namespace.verb` with a zod input and output
 * schema; both transports (Electron IPC and the browser host's HTTP) call the same dispatcher with these names.
 * Scripts rely on the names: changing one is a breaking change (docs/api.md is generated from this file).
 */
import { z } from 'zod';
import './zod-locale';

export type Role = 'chef' | 'delegue' | 'secretariat';

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** One line for docs/api.md. */
  summary: string;
  /** Mutations are audited and go through the outbox once the governance and sync issues land. */
  mutation: boolean;
  input: I;
  output: O;
}

const method = <I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodSpec<I, O> => spec;

const NoInput = z.object({}).strict();

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

export const contract = {
  'system.status': method({
    summary: 'Application state: version, data folder, schema version and row counts per table.',
    mutation: false,
    input: NoInput,
    output: SystemStatus,
  }),
} satisfies Record<string, MethodSpec>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(contract, name);
}

/** Events pushed from the core to every open window (SSE in the browser host, IPC in Electron). */
export const events = {
  'job.progress': z.object({
    jobId: z.string(),
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

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}
