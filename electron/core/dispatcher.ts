import type { z } from 'zod';
import {
  contract,
  isMethodName,
  type MethodInput,
  type MethodName,
  type MethodOutput,
  type MethodSpec,
  type Role,
} from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';

export interface Operator {
  login: string;
  role: Role;
  uais: string[];
}

/** Who is calling and through which door; the same for every transport. */
export interface CallContext {
  transport: 'ipc' | 'http' | 'internal';
  operator: Operator | null;
}

export type Handler<M extends MethodName> = (
  input: z.output<(typeof contract)[M]['input']>,
  ctx: CallContext,
) => MethodOutput<M> | Promise<MethodOutput<M>>;

export type Handlers = { [M in MethodName]: Handler<M> };

/**
 * Decides whether the caller may run a method. Throws ApiError('UNAUTHORIZED' | 'FORBIDDEN') to refuse.
 * The governance issue replaces the default with role and delegation checks.
 */
export type Authorizer = (method: MethodName, spec: MethodSpec, ctx: CallContext) => void;

export const allowEveryone: Authorizer = () => undefined;

export interface Dispatcher {
  invoke(method: string, input: unknown, ctx: CallContext): Promise<unknown>;
  call<M extends MethodName>(method: M, input: MethodInput<M>, ctx: CallContext): Promise<MethodOutput<M>>;
}

export function invalidInput(error: z.ZodError, where = 'input'): ApiError {
  const issues = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(racine)',
    message: issue.message,
  }));
  const first = issues[0];
  const message = first
    ? `Données invalides — champ « ${first.path} » : ${first.message}`
    : 'Données invalides.';
  return new ApiError('INVALID_INPUT', message, { where, issues });
}

/**
 * The single entry point of both transports: validates input, checks permission, runs the handler and validates
 * what it returns, so neither host can bypass a rule.
 */
export function createDispatcher(handlers: Handlers, authorize: Authorizer = allowEveryone): Dispatcher {
  async function invoke(method: string, input: unknown, ctx: CallContext): Promise<unknown> {
    if (!isMethodName(method)) {
      throw new ApiError('UNKNOWN_METHOD', `Méthode inconnue : « ${method} ».`, { method });
    }
    const spec: MethodSpec = contract[method];
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) throw invalidInput(parsed.error);
    authorize(method, spec, ctx);
    const handler = handlers[method] as (input: unknown, ctx: CallContext) => unknown;
    const result = await handler(parsed.data, ctx);
    const checked = spec.output.safeParse(result);
    if (!checked.success) {
      console.error(`[dispatcher] ${method} returned an invalid result`, checked.error.issues);
      throw new ApiError('INTERNAL', "Erreur interne : la réponse de l'application est invalide.", { method });
    }
    return checked.data;
  }

  return {
    invoke,
    call: (method, input, ctx) => invoke(method, input, ctx) as Promise<never>,
  };
}

/** Normalises anything thrown by a handler into the contract's error shape, logging unexpected failures. */
export function toApiError(error: unknown, method?: string): ApiError {
  if (error instanceof ApiError) return error;
  console.error(`[dispatcher] ${method ?? 'call'} failed:`, error);
  return new ApiError('INTERNAL', "Une erreur inattendue s'est produite. Réessayez ; si elle persiste, consultez le journal.");
}
