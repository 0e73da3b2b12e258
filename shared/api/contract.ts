/**
 * The one contract between the renderer and the core. Each method is `namespace.verb` with a zod input and output
 * schema and the permission it needs; both transports (Electron IPC and the browser host's HTTP) call the same
 * dispatcher with these names. Scripts rely on the names: changing one is a breaking change (docs/api.md is generated
 * from the contract). Each capability declares its methods and events in shared/api/methods/<capability>.ts.
 */
import type { z } from 'zod';
import { accountsMethods } from './methods/accounts';
import { auditMethods } from './methods/audit';
import { authEvents, authMethods } from './methods/auth';
import { directoryEvents, directoryMethods } from './methods/directory';
import { governanceMethods } from './methods/governance';
import { importsMethods } from './methods/imports';
import { jobsEvents, jobsMethods } from './methods/jobs';
import { lettersMethods } from './methods/letters';
import { reviewEvents, reviewMethods } from './methods/review';
import { statsEvents, statsMethods } from './methods/stats';
import { systemEvents, systemMethods } from './methods/system';
import type { MethodSpec } from './spec';

export * from './spec';
export * from './methods/system';
export * from './methods/auth';
export * from './methods/audit';
export * from './methods/directory';
export * from './methods/accounts';
export * from './methods/governance';
export * from './methods/jobs';
export * from './methods/letters';
export * from './methods/review';
export * from './methods/stats';
export * from './methods/imports';

export const contract = {
  ...systemMethods,
  ...authMethods,
  ...directoryMethods,
  ...accountsMethods,
  ...auditMethods,
  ...governanceMethods,
  ...jobsMethods,
  ...reviewMethods,
  ...lettersMethods,
  ...statsMethods,
  ...importsMethods,
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
  ...systemEvents,
  ...authEvents,
  ...directoryEvents,
  ...jobsEvents,
  ...reviewEvents,
  ...statsEvents,
} satisfies Record<string, z.ZodType>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}
