import type { z } from 'zod';
import {
  contract,
  isMethodName,
  type MethodInput,
  type MethodName,
  type MethodOutput,
  type MethodSpec,
  type Permission,
  type Role,
  type ScopeRecord,
} from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import { authStrings } from './auth/strings';

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
  /**
   * The establishments this call may act on, as the dispatcher checked them against the method's declared scope:
   * the one the input names, those of the records it names, or, for an operator-wide call, every establishment of
   * the operator on which the method's permission is held. Services restrict operator-wide lists to these and never
   * check rights themselves.
   */
  uais: readonly string[];
  /**
   * Records what a mutation changed in the audit trail, at once: called inside the service's transaction, the
   * entry commits (or rolls back) with the change itself.
   */
  audit(detail: AuditDetail): void;
}

export type Handler<M extends MethodName> = (
  input: z.output<(typeof contract)[M]['input']>,
  ctx: CallContext,
) => MethodOutput<M> | Promise<MethodOutput<M>>;

export type Handlers = { [M in MethodName]: Handler<M> };

/** Who holds what: the governance rules the dispatcher applies to every method's declared permission and scope. */
export interface Access {
  /** A locked session: every method but the public ones is refused until it is unlocked. */
  isLocked(): boolean;
  /** The permissions an operator holds on one establishment (none outside their perimeter). */
  permissionsOn(operator: Operator, uai: string): ReadonlySet<Permission>;
  /** An allowed non-public call: the operator is at work (the core's own inactivity lock counts from here). */
  noteActivity?(): void;
}

/** Finds the establishment of each record id that exists (unknown ids are left out: the service reports them). */
export type ScopeResolver = (ids: readonly (string | number)[]) => ReadonlyMap<string | number, string>;

export interface Dispatcher {
  invoke(method: string, input: unknown, origin: CallOrigin): Promise<unknown>;
  call<M extends MethodName>(method: M, input: MethodInput<M>, origin: CallOrigin): Promise<MethodOutput<M>>;
}

export interface DispatcherOptions {
  /** The rights to enforce; without them every call is let through (tests of a capability on its own). */
  access?: Access;
  /** How each kind of record named by an input finds its establishment. */
  resolvers?: Partial<Record<ScopeRecord, ScopeResolver>>;
  /** The signed-in operator, if any (the hosts are single-user: one session per core). */
  currentOperator?: () => Operator | null;
  /** Receives every audited call's events (mutations and exports): written to the hash-chained trail. */
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
 * The permissions a call needs, all on each establishment it acts on: the method's own (an account action: the right
 * on the kind of account it targets), and the one its scope derives from the input (`also`), if any.
 */
export function neededPermissions(spec: MethodSpec, input: unknown): Permission[] {
  const { scope } = spec;
  const own =
    scope.by === 'input' && scope.kind && spec.permission === 'accountActions'
      ? scope.kind(input) === 'pupil'
        ? 'pupilAccounts'
        : 'guardianAccounts'
      : spec.permission;
  const also = scope.by === 'input' ? scope.also?.(input) : undefined;
  return also === undefined || also === own ? [own] : [own, also];
}

/**
 * Checks the caller's right on every establishment the call acts on, as the method declares it (`spec.scope`), and
 * returns those establishments. One place, one set of French messages, for every method.
 */
function checkScope(spec: MethodSpec, input: unknown, operator: Operator | null, options: DispatcherOptions): string[] {
  const { access } = options;
  const records = (): string[] => {
    if (spec.scope.by !== 'record') return [];
    const resolver = options.resolvers?.[spec.scope.record];
    if (!resolver) throw new Error(`no scope resolver for ${spec.scope.record}`);
    return [...new Set(resolver(spec.scope.ids(input)).values())];
  };
  const named = spec.scope.by === 'input' ? spec.scope.uai(input) : undefined;
  if (!access) return named !== undefined ? [named] : spec.scope.by === 'record' ? records() : [...(operator?.uais ?? [])];
  if (spec.permission === 'public') return [...(operator?.uais ?? [])];
  if (access.isLocked()) throw new ApiError('UNAUTHORIZED', authStrings.locked, { locked: true });
  if (!operator) throw new ApiError('UNAUTHORIZED', authStrings.notSignedIn);

  const permissions = neededPermissions(spec, input);
  const missingOn = (uai: string): Permission | undefined => {
    const held = access.permissionsOn(operator, uai);
    return permissions.find((p) => !held.has(p));
  };
  const requireOn = (uai: string): void => {
    if (!operator.uais.includes(uai)) throw new ApiError('FORBIDDEN', authStrings.forbiddenUai(uai), { uai });
    const missing = missingOn(uai);
    if (missing) throw new ApiError('FORBIDDEN', authStrings.forbidden(missing, uai), { permission: missing, uai });
  };
  const anywhere = (): string[] => {
    const held = operator.uais.filter((uai) => missingOn(uai) === undefined);
    if (held.length === 0) throw new ApiError('FORBIDDEN', authStrings.forbidden(permissions[0]!), { permission: permissions[0] });
    return held;
  };
  const allowed = ((): string[] => {
    if (named !== undefined) {
      requireOn(named);
      return [named];
    }
    if (spec.scope.by === 'record') {
      const uais = records();
      if (uais.length === 0) return anywhere(); // unknown records: the service says so, to whoever may ask
      uais.forEach(requireOn);
      return uais;
    }
    return anywhere();
  })();
  access.noteActivity?.();
  return allowed;
}

/**
 * The single entry point of both transports: validates input, checks the permission on the establishments the call
 * acts on, runs the handler and validates what it returns, so neither host can bypass a rule.
 */
export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}): Dispatcher {
  async function invoke(method: string, input: unknown, origin: CallOrigin): Promise<unknown> {
    if (!isMethodName(method)) {
      throw new ApiError('UNKNOWN_METHOD', `Méthode inconnue : « ${method} ».`, { method });
    }
    const spec: MethodSpec = contract[method];
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) throw invalidInput(parsed.error);

    const operator = options.currentOperator?.() ?? null;
    const audited = (spec.mutation || spec.audited === true) && options.recordAudit !== undefined;
    let recorded = 0;
    /** The entry of a change must exist or the change must not (`strict`); a refusal's or failure's trace is best effort. */
    const record = (outcome: AuditEvent['outcome'], errorCode: string | null, details: AuditDetail[] = [], strict = false): void => {
      if (!audited) return;
      try {
        options.recordAudit!({ method, operator, at: new Date(), transport: origin.transport, details, outcome, errorCode });
      } catch (error) {
        if (strict) throw error;
        console.error(`[audit] could not record ${method} (${outcome}):`, error);
      }
    };

    // A refusal or a failure is recorded against the establishment the input names, when it names one.
    const named = spec.scope.by === 'input' ? spec.scope.uai(parsed.data) : undefined;
    const where: AuditDetail[] = named === undefined ? [] : [{ uai: named }];
    let uais: string[];
    try {
      uais = checkScope(spec, parsed.data, operator, options);
    } catch (error) {
      record('refused', error instanceof ApiError ? error.code : 'INTERNAL', where);
      throw error;
    }
    const ctx: CallContext = {
      transport: origin.transport,
      operator,
      uais,
      audit: (detail) => {
        record('ok', null, [detail], true);
        recorded += 1;
      },
    };
    let result: unknown;
    try {
      const handler = handlers[method] as (input: unknown, ctx: CallContext) => unknown;
      result = await handler(parsed.data, ctx);
    } catch (error) {
      record('error', error instanceof ApiError ? error.code : 'INTERNAL', where);
      throw error;
    }
    const checked = spec.output.safeParse(result);
    if (!checked.success) {
      console.error(`[dispatcher] ${method} returned an invalid result`, checked.error.issues);
      record('error', 'INTERNAL', where);
      throw new ApiError('INTERNAL', "Erreur interne : la réponse de l'application est invalide.", { method });
    }
    // A call that changed nothing worth a detail still leaves its trace.
    if (recorded === 0) record('ok', null);
    return checked.data;
  }

  return {
    invoke,
    call: (method, input, origin) => invoke(method, input, origin) as Promise<never>,
  };
}

/**
 * One handler map out of the capabilities' maps. Each method has exactly one handler: a name defined twice (a spread
 * would silently keep the last) or a contract method without a handler stops the core at start.
 */
export function mergeHandlers(...maps: Partial<Handlers>[]): Handlers {
  const merged: Record<string, unknown> = {};
  for (const map of maps) {
    for (const [name, handler] of Object.entries(map)) {
      if (Object.hasOwn(merged, name)) throw new Error(`two handlers for ${name}`);
      merged[name] = handler;
    }
  }
  const missing = Object.keys(contract).filter((name) => !Object.hasOwn(merged, name));
  if (missing.length > 0) throw new Error(`no handler for ${missing.join(', ')}`);
  const unknown = Object.keys(merged).filter((name) => !isMethodName(name));
  if (unknown.length > 0) throw new Error(`handlers for methods the contract does not have: ${unknown.join(', ')}`);
  return merged as Handlers;
}

/** Normalises anything thrown by a handler into the contract's error shape, logging unexpected failures. */
export function toApiError(error: unknown, method?: string): ApiError {
  if (error instanceof ApiError) return error;
  console.error(`[dispatcher] ${method ?? 'call'} failed:`, error);
  return new ApiError('INTERNAL', "Une erreur inattendue s'est produite. Réessayez ; si elle persiste, consultez le journal.");
}
