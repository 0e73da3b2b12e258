/**
 * `POST /v1/establishments/{uai}/mutations`: idempotent (Idempotency-Key), optimistic (If-Match), each applied
 * mutation appended to the change feed. Successful responses are stored under their key and replayed verbatim, except
 * a password reset's: its temporary password is handed out once and never written down, so what is stored (and
 * replayed) for it is a 409 PASSWORD_NOT_REPLAYABLE carrying the record.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  MUTATION_TARGET_TYPE,
  MutationRequest,
  type AccountData,
  type DirectoryRecord,
  type MutationResponse,
  type Operator,
  type ParsedMutationRequest,
  type RecordType,
} from '../../shared/directory/wire';
import { isValidEmail, normalizeFrenchMobile } from '../../shared/domain/identifiers';
import { addMonths } from './dates';
import { DirectoryHttpError, type JsonResponse } from './http';
import type { DirectoryStore } from './store';
import { temporaryPassword } from './temporary-password';

export interface MutationInput {
  uai: string;
  operator: Operator;
  idempotencyKey: string | undefined;
  ifMatch: string | undefined;
  body: unknown;
  /** Current simulated time (ISO). */
  now: string;
}

const CHEF_ONLY = new Set(['settings.update', 'identityChange.decide']);

const unprocessable = (message: string, details?: unknown) => new DirectoryHttpError('UNPROCESSABLE', message, details);

function parseIfMatch(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(raw.trim());
  if (!match) throw new DirectoryHttpError('INVALID_REQUEST', 'En-tête If-Match invalide : une version entière est attendue.');
  return Number(match[1]);
}

export function handleMutation(store: DirectoryStore, input: MutationInput): JsonResponse {
  const key = input.idempotencyKey?.trim();
  if (!key || key.length > 200) throw new DirectoryHttpError('INVALID_REQUEST', 'En-tête Idempotency-Key obligatoire (un UUID).');
  const fingerprint = createHash('sha256').update(`${input.uai}\n${JSON.stringify(input.body)}`).digest('hex');

  return store.transaction(() => {
    const stored = store.storedResponse(key);
    if (stored) {
      if (stored.fingerprint !== fingerprint) {
        throw new DirectoryHttpError('IDEMPOTENCY_KEY_REUSED', 'Cette clé d’idempotence a déjà servi pour une autre modification.');
      }
      return { status: stored.status, body: JSON.parse(stored.body) as unknown, headers: { 'Idempotent-Replayed': 'true' } };
    }
    const parsed = MutationRequest.safeParse(input.body);
    if (!parsed.success) {
      throw unprocessable('Modification invalide : ' + parsed.error.issues.map((i) => i.message).join(' ; '), z.treeifyError(parsed.error));
    }
    const request = parsed.data;
    if (CHEF_ONLY.has(request.kind) && input.operator.role !== 'chef') {
      throw new DirectoryHttpError('FORBIDDEN', 'Seul le chef d’établissement peut faire cette modification.');
    }
    const response = apply(store, input, request);
    store.storeResponse(key, { fingerprint, ...replayOf(response) });
    return { status: 200, body: response };
  });
}

/** What a replay under the same key will answer, as stored: never a temporary password (docs/directory-api.md). */
function replayOf(response: MutationResponse): { status: number; body: string } {
  const { temporaryPassword, ...kept } = response;
  if (temporaryPassword === undefined) return { status: 200, body: JSON.stringify(response) };
  const refusal = new DirectoryHttpError(
    'PASSWORD_NOT_REPLAYABLE',
    'Cette réinitialisation a déjà été faite et son mot de passe provisoire remis une fois : l’annuaire ne le conserve pas. ' +
      'Lancez une nouvelle réinitialisation pour en obtenir un autre.',
    kept,
  );
  return { status: refusal.status, body: JSON.stringify(refusal.toBody()) };
}

function loadTarget<T extends RecordType>(store: DirectoryStore, uai: string, type: T, id: string, ifMatch: number | undefined) {
  const current = store.getLive(uai, type, id);
  if (!current) throw new DirectoryHttpError('NOT_FOUND', 'Enregistrement introuvable dans cet établissement.');
  if (ifMatch === undefined) throw new DirectoryHttpError('PRECONDITION_REQUIRED', 'En-tête If-Match obligatoire (version de l’enregistrement).');
  if (ifMatch !== current.version) {
    throw new DirectoryHttpError('VERSION_MISMATCH', 'L’enregistrement a été modifié entre-temps : rechargez-le.', {
      current: { type, id, version: current.version, data: current.data },
    });
  }
  return current.data;
}

function apply(store: DirectoryStore, input: MutationInput, request: ParsedMutationRequest): MutationResponse {
  const { uai, now } = input;
  const ifMatch = parseIfMatch(input.ifMatch);
  const type = MUTATION_TARGET_TYPE[request.kind];
  if (request.kind === 'link.create') return createLink(store, uai, request);
  const id = request.targetId;

  switch (request.kind) {
    case 'account.resetPassword': {
      const account = loadTarget(store, uai, 'account', id, ifMatch);
      if (account.state === 'desactive' || account.state === 'supprime') {
        throw unprocessable('Ce compte est désactivé ou supprimé : réactivez-le avant de le notifier.');
      }
      const record = store.put(uai, 'account', id, {
        ...account,
        state: 'notifie',
        notifiedAt: now,
        letterExpiresAt: addMonths(now, 3),
        lockedUntil: null,
      });
      return { record, temporaryPassword: temporaryPassword() };
    }
    case 'account.unlock': {
      const account = loadTarget(store, uai, 'account', id, ifMatch);
      if (account.state !== 'bloque') throw unprocessable('Ce compte n’est pas bloqué.');
      return { record: store.put(uai, 'account', id, { ...account, state: account.activatedAt ? 'active' : 'notifie', lockedUntil: null }) };
    }
    case 'account.deactivate': {
      const account = loadTarget(store, uai, 'account', id, ifMatch);
      if (account.state === 'desactive' || account.state === 'supprime') throw unprocessable('Ce compte est déjà désactivé.');
      return { record: store.put(uai, 'account', id, { ...account, state: 'desactive', lockedUntil: null, stateReason: request.payload.reason }) };
    }
    case 'account.reactivate': {
      const account = loadTarget(store, uai, 'account', id, ifMatch);
      if (account.state !== 'desactive') throw unprocessable('Seul un compte désactivé peut être réactivé.');
      const state: AccountData['state'] = account.activatedAt ? 'active' : 'non_notifie';
      return { record: store.put(uai, 'account', id, { ...account, state, stateReason: request.payload.reason }) };
    }
    case 'link.delete': {
      const link = loadTarget(store, uai, 'link', id, ifMatch);
      if (link.level === 1) {
        const others = store
          .liveRows(uai, 'link')
          .filter((l) => l.id !== id && l.data.pupilId === link.pupilId && l.data.level === 1);
        if (others.length === 0) throw unprocessable('Impossible de retirer le dernier représentant légal de l’élève.');
      }
      const tombstone = store.remove(uai, 'link', id)!;
      return { record: { type: 'link', id, version: tombstone.version, data: link }, deleted: true };
    }
    case 'contact.update': {
      const account = loadTarget(store, uai, 'account', id, ifMatch);
      const next: AccountData = { ...account };
      const { email, mobile } = request.payload;
      if (email !== undefined) {
        if (email !== null && !isValidEmail(email)) throw unprocessable('Adresse de courriel invalide.');
        if (email !== account.email) Object.assign(next, { email, emailConfirmed: false });
      }
      if (mobile !== undefined) {
        const normalized = mobile === null ? null : normalizeFrenchMobile(mobile)?.e164;
        if (normalized === undefined) throw unprocessable('Numéro de portable invalide (06 ou 07 suivi de 8 chiffres).');
        if (normalized !== account.mobile) Object.assign(next, { mobile: normalized, mobileConfirmed: false });
      }
      return { record: store.put(uai, 'account', id, next) };
    }
    case 'identityChange.decide': {
      const change = loadTarget(store, uai, 'identityChange', id, ifMatch);
      if (change.status !== 'open') throw unprocessable('Cette modification d’identité a déjà été traitée.');
      return {
        record: store.put(uai, 'identityChange', id, { ...change, status: request.payload.decision, decidedAt: now, decidedBy: input.operator.login }),
      };
    }
    case 'settings.update': {
      const settings = loadTarget(store, uai, 'settings', id, ifMatch);
      return { record: store.put(uai, 'settings', id, { ...settings, ...request.payload }) };
    }
    default:
      throw unprocessable(`Type de modification non géré pour ${type}.`);
  }
}

function createLink(store: DirectoryStore, uai: string, request: Extract<ParsedMutationRequest, { kind: 'link.create' }>): MutationResponse {
  const { targetId, payload } = request;
  if (store.get(uai, 'link', targetId)) throw new DirectoryHttpError('ALREADY_EXISTS', 'Un lien porte déjà cet identifiant.');
  if (!store.getLive(uai, 'guardian', payload.guardianId)) throw unprocessable('Responsable introuvable dans cet établissement.');
  if (!store.getLive(uai, 'pupil', payload.pupilId)) throw unprocessable('Élève introuvable dans cet établissement.');
  const existing = store.liveRows(uai, 'link').some((l) => l.data.guardianId === payload.guardianId && l.data.pupilId === payload.pupilId);
  if (existing) throw unprocessable('Ce responsable est déjà rattaché à cet élève.');
  const record: DirectoryRecord = store.put(uai, 'link', targetId, {
    uai,
    guardianId: payload.guardianId,
    pupilId: payload.pupilId,
    level: payload.level,
    relationship: payload.relationship,
    financial: payload.financial ?? payload.level === 1,
    contact: payload.contact ?? true,
  });
  return { record };
}
