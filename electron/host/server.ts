import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isEventName } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import type { Core } from '../core';
import { toApiError } from '../core/dispatcher';
import { badAddress, decodePath, serveStatic } from './static';

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const KEEP_ALIVE_MS = 15_000;
/** Long enough for a cold browser start, short enough that a code read from `ps` is useless afterwards. */
const LAUNCH_CODE_TTL_MS = 60_000;
/** Exchanges a launch code for the token; outside the method namespace (methods are `namespace.verb`). */
export const LAUNCH_EXCHANGE_PATH = '/api/session/exchange';
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export interface HostOptions {
  core: Core;
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string;
  port?: number;
  /** Only loopback addresses are accepted: the host has no TLS and guards personal data of minors. */
  bind?: string;
  token?: string;
  appVersion: string;
  /** Lifetime of a launch code (default 60 s) and the clock it is measured with (tests move it). */
  launchCodeTtlMs?: number;
  now?: () => number;
}

export interface RunningHost {
  server: Server;
  url: string;
  port: number;
  token: string;
  /**
   * The address printed at start: the token travels in the fragment, which is never sent to a server. Printed only,
   * never passed to another program (a command line is readable by every local user).
   */
  openUrl: string;
  /**
   * An address for another program (the default browser): it carries a new launch code, single-use and short-lived,
   * which the page exchanges for the token at LAUNCH_EXCHANGE_PATH.
   */
  launchUrl(): string;
  close(): Promise<void>;
}

export function assertLoopback(bind: string): void {
  if (!LOOPBACK.has(bind)) {
    throw new ApiError(
      'FORBIDDEN',
      `Adresse d'écoute refusée : « ${bind} ». L'hôte navigateur n'écoute que sur 127.0.0.1.`,
      { bind },
    );
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.status, { error: error.toBody() });
}

const tooLarge = () => new ApiError('PAYLOAD_TOO_LARGE', 'La requête est trop volumineuse (10 Mo au plus).');

/**
 * Reads a JSON body up to MAX_BODY_BYTES. Past the limit the rest is still read and thrown away rather than the
 * socket destroyed: the client then gets the 413, where a destroyed socket gives it a bare connection reset.
 */
function readBody(req: IncomingMessage): Promise<string> {
  // Announced too large: refused before reading; Node discards the unread body once the answer is sent.
  if (Number(req.headers['content-length']) > MAX_BODY_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > MAX_BODY_BYTES) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Le corps de la requête doit être du JSON (application/json).');
  }
  const text = await readBody(req);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('INVALID_JSON', 'Le corps de la requête n’est pas un JSON valide.');
  }
}

/**
 * The browser host: the renderer and the contract over HTTP on loopback, for Playwright, scripts and machines
 * without an Electron runtime. Every /api call needs the per-launch token; the Origin and Host headers are checked
 * so that neither another web page nor a DNS-rebinding attack can reach the API.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const bind = options.bind ?? '127.0.0.1';
  assertLoopback(bind);
  const token = options.token ?? randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const now = options.now ?? Date.now;
  const launchCodeTtlMs = options.launchCodeTtlMs ?? LAUNCH_CODE_TTL_MS;
  /** Outstanding launch codes by their SHA-256 (a map lookup then leaks nothing about a code), with their expiry. */
  const launchCodes = new Map<string, number>();
  const digest = (code: string) => createHash('sha256').update(code).digest('base64url');
  const forgetExpiredCodes = () => {
    for (const [key, expiresAt] of launchCodes) if (expiresAt <= now()) launchCodes.delete(key);
  };
  const sseClients = new Set<ServerResponse>();
  let origins = new Set<string>();
  let hosts = new Set<string>();

  const authorized = (req: IncomingMessage): boolean => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!match?.[1]) return false;
    const given = Buffer.from(match[1]);
    return given.length === tokenBytes.length && timingSafeEqual(given, tokenBytes);
  };

  /** Host and Origin: neither another web page nor a DNS-rebinding attack gets through. */
  const peerRefused = (req: IncomingMessage): ApiError | null => {
    if (!hosts.has(req.headers.host ?? '')) {
      return new ApiError('FORBIDDEN', 'Hôte non autorisé.', { host: req.headers.host ?? null });
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin)) {
      return new ApiError('FORBIDDEN', 'Origine non autorisée.', { origin });
    }
    return null;
  };

  const guard = (req: IncomingMessage): ApiError | null => {
    const refused = peerRefused(req);
    if (refused) return refused;
    if (!authorized(req)) {
      return new ApiError('UNAUTHORIZED', 'Jeton d’accès absent ou invalide. Rouvrez l’adresse affichée au démarrage.');
    }
    return null;
  };

  const postOnly = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method === 'POST') return true;
    res.setHeader('Allow', 'POST');
    sendJson(res, 405, { error: { code: 'INVALID_INPUT', message: 'Utilisez POST pour appeler une méthode.' } });
    return false;
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, method: string): Promise<void> => {
    if (!postOnly(req, res)) return;
    const input = await readJson(req);
    const result = await options.core.dispatcher.invoke(method, input, { transport: 'http' });
    sendJson(res, 200, result ?? null);
  };

  const issueLaunchCode = (): string => {
    forgetExpiredCodes();
    const code = randomBytes(24).toString('base64url');
    launchCodes.set(digest(code), now() + launchCodeTtlMs);
    return code;
  };

  /** A launch code is good for one exchange within its lifetime; a wrong, used or expired one gets 401. */
  const handleExchange = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const refused = peerRefused(req);
    if (refused) throw refused;
    if (!postOnly(req, res)) return;
    const input = await readJson(req);
    const code = typeof input === 'object' && input !== null ? (input as { code?: unknown }).code : undefined;
    if (typeof code !== 'string' || code === '') {
      throw new ApiError('INVALID_INPUT', 'Code d’ouverture manquant.');
    }
    const key = digest(code);
    const expiresAt = launchCodes.get(key);
    launchCodes.delete(key);
    if (expiresAt === undefined || expiresAt <= now()) {
      throw new ApiError(
        'UNAUTHORIZED',
        'Lien d’ouverture expiré ou déjà utilisé. Ouvrez l’adresse affichée au démarrage de l’application.',
      );
    }
    sendJson(res, 200, { token });
  };

  const handleEvents = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(': connecté\n\n');
    sseClients.add(res);
    req.on('close', () => sseClients.delete(res));
  };

  const unsubscribe = options.core.events.subscribe((event, payload) => {
    if (!isEventName(event)) return;
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const client of sseClients) client.write(frame);
  });
  const keepAlive = setInterval(() => {
    for (const client of sseClients) client.write(': keep-alive\n\n');
  }, KEEP_ALIVE_MS);
  keepAlive.unref();

  const server = createServer((req, res) => {
    void (async () => {
      let path: string | undefined;
      try {
        try {
          path = new URL(req.url ?? '/', 'http://host.invalid').pathname;
        } catch {
          throw badAddress();
        }
        if (path === '/healthz') {
          sendJson(res, 200, { ok: true, version: options.appVersion });
          return;
        }
        if (path === LAUNCH_EXCHANGE_PATH) {
          await handleExchange(req, res);
          return;
        }
        if (path === '/api' || path.startsWith('/api/')) {
          const refused = guard(req);
          if (refused) throw refused;
          if (path === '/api/events') {
            if (req.method !== 'GET') throw new ApiError('INVALID_INPUT', 'Utilisez GET pour /api/events.');
            handleEvents(req, res);
            return;
          }
          await handleApi(req, res, decodePath(path.slice('/api/'.length)));
          return;
        }
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.setHeader('Allow', 'GET, HEAD');
          sendJson(res, 405, { error: { code: 'INVALID_INPUT', message: 'Seules les méthodes GET et HEAD servent l’interface.' } });
          return;
        }
        if (!hosts.has(req.headers.host ?? '')) throw new ApiError('FORBIDDEN', 'Hôte non autorisé.', { host: req.headers.host ?? null });
        serveStatic(options.rendererDir, path, res, req.method);
      } catch (error) {
        const apiError = toApiError(error, path ?? req.url);
        if (!res.headersSent) sendError(res, apiError);
        else res.end();
      }
    })();
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bind, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostName = bind === '::1' ? '[::1]' : bind;
  hosts = new Set([`${hostName}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`]);
  origins = new Set([...hosts].map((h) => `http://${h}`));
  const url = `http://${hostName}:${port}`;

  return {
    server,
    url,
    port,
    token,
    openUrl: `${url}/#token=${token}`,
    launchUrl: () => `${url}/#code=${issueLaunchCode()}`,
    close: () =>
      new Promise<void>((resolveClose) => {
        unsubscribe();
        clearInterval(keepAlive);
        for (const client of sseClients) client.end();
        sseClients.clear();
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}
