import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isEventName } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import type { Core } from '../core';
import { toApiError } from '../core/dispatcher';
import { serveStatic } from './static';

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const KEEP_ALIVE_MS = 15_000;
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
}

export interface RunningHost {
  server: Server;
  url: string;
  port: number;
  token: string;
  /** URL to open in a browser: the token travels in the fragment, which is never sent to a server. */
  openUrl: string;
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

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError('PAYLOAD_TOO_LARGE', 'La requête est trop volumineuse (10 Mo au plus).'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
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

  const guard = (req: IncomingMessage): ApiError | null => {
    if (!hosts.has(req.headers.host ?? '')) {
      return new ApiError('FORBIDDEN', 'Hôte non autorisé.', { host: req.headers.host ?? null });
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin)) {
      return new ApiError('FORBIDDEN', 'Origine non autorisée.', { origin });
    }
    if (!authorized(req)) {
      return new ApiError('UNAUTHORIZED', 'Jeton d’accès absent ou invalide. Rouvrez l’adresse affichée au démarrage.');
    }
    return null;
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, method: string): Promise<void> => {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      sendJson(res, 405, { error: { code: 'INVALID_INPUT', message: 'Utilisez POST pour appeler une méthode.' } });
      return;
    }
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('application/json')) {
      throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Le corps de la requête doit être du JSON (application/json).');
    }
    const text = await readBody(req);
    let input: unknown = {};
    if (text.trim() !== '') {
      try {
        input = JSON.parse(text);
      } catch {
        throw new ApiError('INVALID_JSON', 'Le corps de la requête n’est pas un JSON valide.');
      }
    }
    const result = await options.core.dispatcher.invoke(method, input, { transport: 'http' });
    sendJson(res, 200, result ?? null);
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
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    const path = url.pathname;
    void (async () => {
      try {
        if (path === '/healthz') {
          sendJson(res, 200, { ok: true, version: options.appVersion });
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
          await handleApi(req, res, decodeURIComponent(path.slice('/api/'.length)));
          return;
        }
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.writeHead(405, { Allow: 'GET, HEAD' }).end();
          return;
        }
        if (!hosts.has(req.headers.host ?? '')) {
          res.writeHead(403).end();
          return;
        }
        serveStatic(options.rendererDir, path, res, req.method);
      } catch (error) {
        const apiError = toApiError(error, path);
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
