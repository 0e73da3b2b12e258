/**
 * The demo national directory: Directory API v1 over plain node:http on 127.0.0.1, backed by its own SQLite store,
 * with admin routes to advance the simulated clock, read totals, expire cursors and change faults.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import '../../shared/api/zod-locale';
import {
  AdminAdvanceRequest,
  AdminFaultsRequest,
  DIRECTORY_HEADERS,
  DIRECTORY_PROTOCOL_VERSION,
  RefreshRequest,
  TokenRequest,
  type AdminAdvanceResponse,
  type AdminTotals,
  type Establishment,
  type Operator,
} from '../../shared/directory/wire';
import { TokenService } from './auth';
import { atSecond, formatDay } from './dates';
import { FaultInjector, parseFaultSpec, type FaultSpec, type ScriptedFault } from './faults';
import { changesPage, parseLimit, snapshotPageJson } from './feed';
import { generateAcademy } from './generate';
import { activationHistory } from './history';
import { DirectoryHttpError, errorResponse, header, readJsonBody, sendBuffer, baseHeaders, type JsonResponse } from './http';
import { advanceLife, type AdvanceResult } from './life';
import { handleMutation } from './mutations';
import { DirectoryStore, type DemoOperator } from './store';

export interface DemoDirectoryOptions {
  /** SQLite file; reopened as is when it already holds a generated academy. Omit (or `memory: true`) for memory. */
  dataFile?: string;
  memory?: boolean;
  seed?: number;
  establishments?: number;
  /** Pupils per establishment. */
  pupils?: number;
  /** Fault spec string (see faults.ts) or parsed spec. */
  faults?: string | FaultSpec;
  /** Access-token lifetime in seconds (default 900). */
  tokenTtl?: number;
  /** Days a tombstone stays in the feed; cursors older than a purged tombstone expire (default 30). */
  retentionDays?: number;
  /** Simulated "today" for a new academy (default: the real date). */
  today?: string;
  port?: number;
  host?: '127.0.0.1';
  adminToken?: string;
}

/** One mutation request as the directory received it (for tests: which keys came, what each attempt got). */
export interface MutationRequestLog {
  idempotencyKey: string | null;
  status: number;
  /** The injected fault (`429`, `drop`, `nopassword`…), or null. */
  fault: string | null;
  /** Answered from the stored response of an earlier request with the same key. */
  replayed: boolean;
}

export interface DemoDirectory {
  url: string;
  adminToken: string;
  establishments: Establishment[];
  operators: DemoOperator[];
  store: DirectoryStore;
  advance(days: number): AdvanceResult;
  setFaults(spec: string | FaultSpec): void;
  /** The mutation requests received so far, oldest first (the latest 10 000). */
  mutationRequests(): readonly MutationRequestLog[];
  close(): Promise<void>;
}

const MUTATION_LOG_SIZE = 10_000;
const MUTATION_PATH = /^\/v1\/establishments\/[^/]+\/mutations$/;

export const DEFAULTS = { seed: 42, establishments: 3, pupils: 800, tokenTtl: 900, retentionDays: 30 } as const;

export function toFaultSpec(faults: string | FaultSpec | undefined): FaultSpec {
  return typeof faults === 'object' ? faults : parseFaultSpec(faults);
}

const ok = (body: unknown): JsonResponse => ({ status: 200, body });

/** A password reset's answer as the `nopassword` / `blankpassword` faults send it (the stored answer is untouched). */
function withoutPassword(response: JsonResponse, fault: Extract<ScriptedFault, 'nopassword' | 'blankpassword'>): JsonResponse {
  if (response.status !== 200 || typeof response.body !== 'object' || response.body === null) return response;
  const { temporaryPassword: _password, ...rest } = response.body as { temporaryPassword?: unknown };
  return { ...response, body: fault === 'blankpassword' ? { ...rest, temporaryPassword: '' } : rest };
}

export async function createDemoDirectory(options: DemoDirectoryOptions = {}): Promise<DemoDirectory> {
  const seed = options.seed ?? DEFAULTS.seed;
  const store = new DirectoryStore(options.memory || !options.dataFile ? ':memory:' : options.dataFile);
  if (!store.isGenerated) {
    generateAcademy(store, {
      seed,
      establishments: options.establishments ?? DEFAULTS.establishments,
      pupils: options.pupils ?? DEFAULTS.pupils,
      today: options.today ?? formatDay(Date.now()),
    });
  }
  const retentionDays = options.retentionDays ?? DEFAULTS.retentionDays;
  const adminToken = options.adminToken ?? randomBytes(24).toString('base64url');
  const tokens = new TokenService(() => store.operators(), options.tokenTtl ?? DEFAULTS.tokenTtl);
  const faults = new FaultInjector(toFaultSpec(options.faults), seed);
  const establishments = store.establishments().map(({ feedFloor: _floor, ...e }) => e);
  const now = () => {
    const d = new Date();
    return atSecond(store.today, d.getUTCHours() * 3600 + d.getUTCMinutes() * 60 + d.getUTCSeconds());
  };
  const advance = (days: number) => advanceLife(store, { seed, days, retentionDays });

  function establishmentFor(operator: Operator, uai: string): void {
    if (!establishments.some((e) => e.uai === uai)) throw new DirectoryHttpError('NOT_FOUND', 'Établissement inconnu.');
    if (!operator.uais.includes(uai)) throw new DirectoryHttpError('FORBIDDEN', 'Vous n’avez pas accès à cet établissement.');
  }

  async function route(req: IncomingMessage, url: URL): Promise<JsonResponse> {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (method === 'POST' && path === '/v1/auth/token') {
      const body = TokenRequest.safeParse(await readJsonBody(req));
      if (!body.success) throw new DirectoryHttpError('INVALID_REQUEST', 'Identifiant et mot de passe obligatoires.');
      return ok(tokens.signIn(body.data.login, body.data.password));
    }
    if (method === 'POST' && path === '/v1/auth/refresh') {
      const body = RefreshRequest.safeParse(await readJsonBody(req));
      if (!body.success) throw new DirectoryHttpError('INVALID_REQUEST', 'Jeton de renouvellement obligatoire.');
      return ok(tokens.refreshTokens(body.data.refreshToken));
    }
    if (path.startsWith('/admin/')) return adminRoute(req, url);
    if (!path.startsWith('/v1/')) throw new DirectoryHttpError('NOT_FOUND', 'Ressource inconnue.');

    const operator = tokens.authenticate(header(req, DIRECTORY_HEADERS.authorization));
    if (method === 'GET' && path === '/v1/establishments') {
      return ok({ items: establishments.filter((e) => operator.uais.includes(e.uai)) });
    }
    const match = /^\/v1\/establishments\/([^/]+)\/(snapshot|changes|mutations|activation-history|totals)$/.exec(path);
    if (!match) throw new DirectoryHttpError('NOT_FOUND', 'Ressource inconnue.');
    const uai = decodeURIComponent(match[1]!);
    const resource = match[2]!;
    establishmentFor(operator, uai);
    if (method === 'GET' && resource === 'snapshot') {
      return { status: 200, body: null, json: snapshotPageJson(store, uai, url.searchParams.get('page'), parseLimit(url.searchParams.get('limit'))) };
    }
    if (method === 'GET' && resource === 'changes') {
      const limit = parseLimit(url.searchParams.get('limit'));
      const cursor = url.searchParams.get('cursor');
      if (faults.roll(faults.spec.expire)) {
        throw new DirectoryHttpError('CURSOR_EXPIRED', 'Position de synchronisation expirée : une resynchronisation complète est nécessaire.');
      }
      const page = changesPage(store, uai, cursor, limit);
      if (faults.roll(faults.spec.empty)) return ok({ changes: [], cursor: cursor ?? page.cursor, hasMore: true });
      return ok({ ...page, changes: faults.distortChanges(page.changes) });
    }
    if (method === 'GET' && resource === 'activation-history') return ok(activationHistory(store, uai));
    if (method === 'GET' && resource === 'totals') return ok(totalsOf(uai));
    if (method === 'POST' && resource === 'mutations') {
      return handleMutation(store, {
        uai,
        operator,
        idempotencyKey: header(req, DIRECTORY_HEADERS.idempotencyKey),
        ifMatch: header(req, DIRECTORY_HEADERS.ifMatch),
        body: await readJsonBody(req),
        now: now(),
      });
    }
    throw new DirectoryHttpError('NOT_FOUND', 'Ressource inconnue.');
  }

  function totalsOf(uai: string): AdminTotals {
    const c = store.countLive(uai);
    return {
      uai,
      pupils: c.pupil,
      guardians: c.guardian,
      links: c.link,
      accounts: c.account,
      identityChanges: c.identityChange,
      settings: c.settings,
      seq: c.seq,
    };
  }

  async function adminRoute(req: IncomingMessage, url: URL): Promise<JsonResponse> {
    if (header(req, DIRECTORY_HEADERS.authorization) !== `Bearer ${adminToken}`) {
      throw new DirectoryHttpError('UNAUTHORIZED', 'Jeton d’administration requis.');
    }
    const method = req.method ?? 'GET';
    switch (`${method} ${url.pathname}`) {
      case 'POST /admin/advance': {
        const body = AdminAdvanceRequest.safeParse(await readJsonBody(req));
        if (!body.success) throw new DirectoryHttpError('INVALID_REQUEST', 'Nombre de jours invalide (1 à 366).');
        const result = advance(body.data.days);
        return ok({ ...result, seq: store.seq } satisfies AdminAdvanceResponse);
      }
      case 'GET /admin/totals': {
        const uai = url.searchParams.get('uai') ?? '';
        if (!establishments.some((e) => e.uai === uai)) throw new DirectoryHttpError('NOT_FOUND', 'Établissement inconnu.');
        return ok(totalsOf(uai));
      }
      case 'POST /admin/expire-cursors':
        return ok({ epoch: store.transaction(() => store.bumpEpoch()) });
      case 'POST /admin/faults': {
        const body = AdminFaultsRequest.safeParse(await readJsonBody(req));
        if (!body.success) throw new DirectoryHttpError('INVALID_REQUEST', 'Champ spec obligatoire.');
        try {
          faults.spec = parseFaultSpec(body.data.spec);
        } catch (error) {
          throw new DirectoryHttpError('INVALID_REQUEST', `Spécification de pannes invalide : ${(error as Error).message}`);
        }
        return ok({ faults: faults.spec });
      }
      default:
        throw new DirectoryHttpError('NOT_FOUND', 'Ressource inconnue.');
    }
  }

  const mutationLog: MutationRequestLog[] = [];
  const logMutation = (req: IncomingMessage, response: JsonResponse, fault: string | null): void => {
    mutationLog.push({
      idempotencyKey: header(req, DIRECTORY_HEADERS.idempotencyKey) ?? null,
      status: response.status,
      fault,
      replayed: response.headers?.['Idempotent-Replayed'] === 'true',
    });
    if (mutationLog.length > MUTATION_LOG_SIZE) mutationLog.shift();
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const faulted = url.pathname.startsWith('/v1/');
    const mutation = faulted && req.method === 'POST' && MUTATION_PATH.test(url.pathname);
    const scripted = mutation ? faults.nextScripted() : null;
    let injected: ReturnType<FaultInjector['error']> = null;
    let response: JsonResponse;
    try {
      const protocol = header(req, DIRECTORY_HEADERS.protocol);
      if (protocol !== undefined && protocol.trim() !== String(DIRECTORY_PROTOCOL_VERSION)) {
        throw new DirectoryHttpError('PROTOCOL_VERSION', `Version de protocole non prise en charge : ${DIRECTORY_PROTOCOL_VERSION} attendue.`, {
          supported: [DIRECTORY_PROTOCOL_VERSION],
        });
      }
      if (faulted && faults.spec.latency > 0) await new Promise((r) => setTimeout(r, faults.spec.latency));
      injected = faulted ? faults.error(scripted) : null;
      if (injected) {
        req.resume();
        const retry = 'retryAfter' in injected ? { [DIRECTORY_HEADERS.retryAfter]: String(injected.retryAfter) } : undefined;
        throw new DirectoryHttpError(
          injected.status === 429 ? 'RATE_LIMITED' : injected.status === 503 ? 'UNAVAILABLE' : injected.status === 408 ? 'REQUEST_TIMEOUT' : 'INTERNAL',
          injected.status === 429
            ? 'Trop de requêtes : réessayez plus tard.'
            : injected.status === 408
              ? 'Requête reçue trop lentement : réessayez.'
              : 'Annuaire momentanément indisponible.',
          undefined,
          retry,
        );
      }
      response = await route(req, url);
      if (scripted === 'nopassword' || scripted === 'blankpassword') response = withoutPassword(response, scripted);
    } catch (error) {
      if (error instanceof DirectoryHttpError) response = errorResponse(error);
      else {
        console.error('[demo-directory]', error);
        response = errorResponse(new DirectoryHttpError('INTERNAL', 'Erreur interne de l’annuaire.'));
      }
    }
    const body = Buffer.from(response.json ?? JSON.stringify(response.body));
    const drop = scripted === 'drop' || (faulted && scripted === null && faults.roll(faults.spec.drop));
    if (mutation) logMutation(req, response, scripted ?? (injected ? String(injected.status) : drop ? 'drop' : null));
    if (drop) {
      res.writeHead(response.status, { ...baseHeaders(), ...response.headers, 'Content-Length': String(body.length) });
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
      return;
    }
    if (faulted && req.method === 'GET' && response.status === 200 && faults.roll(faults.spec.truncate)) {
      res.writeHead(200, { ...baseHeaders(), ...response.headers });
      res.end(body.subarray(0, Math.floor(body.length / 2)));
      return;
    }
    sendBuffer(res, response.status, body, response.headers);
  }

  const server = createServer((req, res) => void handle(req, res));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}`,
    adminToken,
    establishments,
    operators: store.operators(),
    store,
    advance,
    setFaults: (spec) => {
      faults.spec = toFaultSpec(spec);
    },
    mutationRequests: () => [...mutationLog],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          store.close();
          resolve();
        });
      }),
  };
}
