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

/** Through which door a call came; the hosts give only this, the dispatcher works out the rest. */
export interface CallOrigin {
  transport: 'ipc' | 'http' | 'internal';
}

/** What a service adds to the audit entry the dispatcher writes for a mutation. */
export interface AuditDetail {
  uai?: string;
  targetType?: string;
  targetId?: string;
  /** Changed fields before and after (never a password). */
  before?: unknown;
  after?: unknown;
  reason?: string;
}

/** One audited call, handed to the audit trail once the mutation has run (or failed). */
export interface AuditEvent {
  method: MethodName;
  operator: Operator | null;
  at: Date;
  transport: CallOrigin['transport'];
  details: AuditDetail[];
  outcome: 'ok' | 'refused' | 'error';
  errorCode: string | null;
}

/** Who is calling and through which door; the same for every transport. */
export interface CallContext extends CallOrigin {
  operator: Operator | null;
  /** Adds what changed to this call's audit entry (mutations only are recorded). */
  audit(detail: AuditDetail): void;
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
  invoke(method: string, input: unknown, origin: CallOrigin): Promise<unknown>;
  call<M extends MethodName>(method: M, input: MethodInput<M>, origin: CallOrigin): Promise<MethodOutput<M>>;
}

export interface DispatcherOptions {
  authorize?: Authorizer;
  /** The signed-in operator, if any (the hosts are single-user: one session per core). */
  currentOperator?: () => Operator | null;
  /** Receives every mutation's audit event; the governance issue writes them to the hash-chained trail. */
  recordAudit?: (event: AuditEvent) => void;
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
export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}): Dispatcher {
  const authorize = options.authorize ?? allowEveryone;

  async function invoke(method: string, input: unknown, origin: CallOrigin): Promise<unknown> {
    if (!isMethodName(method)) {
      throw new ApiError('UNKNOWN_METHOD', `Méthode inconnue : « ${method} ».`, { method });
    }
    const spec: MethodSpec = contract[method];
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) throw invalidInput(parsed.error);

    const details: AuditDetail[] = [];
    const ctx: CallContext = {
      transport: origin.transport,
      operator: options.currentOperator?.() ?? null,
      audit: (detail) => details.push(detail),
    };
    const record = (outcome: AuditEvent['outcome'], errorCode: string | null): void => {
      if (!spec.mutation || !options.recordAudit) return;
      options.recordAudit({ method, operator: ctx.operator, at: new Date(), transport: ctx.transport, details, outcome, errorCode });
    };

    try {
      authorize(method, spec, ctx);
    } catch (error) {
      record('refused', error instanceof ApiError ? error.code : 'INTERNAL');
      throw error;
    }
    let result: unknown;
    try {
      const handler = handlers[method] as (input: unknown, ctx: CallContext) => unknown;
      result = await handler(parsed.data, ctx);
    } catch (error) {
      record('error', error instanceof ApiError ? error.code : 'INTERNAL');
      throw error;
    }
    const checked = spec.output.safeParse(result);
    if (!checked.success) {
      console.error(`[dispatcher] ${method} returned an invalid result`, checked.error.issues);
      record('error', 'INTERNAL');
      throw new ApiError('INTERNAL', "Erreur interne : la réponse de l'application est invalide.", { method });
    }
    record('ok', null);
    return checked.data;
  }

  return {
    invoke,
    call: (method, input, origin) => invoke(method, input, origin) as Promise<never>,
  };
}

/** Normalises anything thrown by a handler into the contract's error shape, logging unexpected failures. */
export function toApiError(error: unknown, method?: string): ApiError {
  if (error instanceof ApiError) return error;
  console.error(`[dispatcher] ${method ?? 'call'} failed:`, error);
  return new ApiError('INTERNAL', "Une erreur inattendue s'est produite. Réessayez ; si elle persiste, consultez le journal.");
}
