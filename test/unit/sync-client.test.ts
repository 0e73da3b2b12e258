/**
 * The directory client facing a misbehaving server. The peer here is a bare node:http server standing in for what we
 * do not run ourselves (a broken proxy, a server that hangs); the demo directory covers the well-behaved cases.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpDirectoryClient, memoryTokenStore } from '../../electron/core/directory/client';
import { DirectoryError, parseRetryAfter } from '../../electron/core/directory/errors';
import { backoffDelay, interactiveRetry, withRetry } from '../../electron/core/directory/retry';

let server: Server | null = null;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = null;
});

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  server = createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, requests };
}

function signedInClient(url: string, timeoutMs = 2000): HttpDirectoryClient {
  const tokens = memoryTokenStore();
  tokens.save({
    accessToken: 'a1',
    refreshToken: 'r1',
    expiresAt: Date.now() + 60_000,
    operator: { login: 'x', displayName: 'X', role: 'chef', uais: ['0750654D'] },
  });
  return new HttpDirectoryClient({ baseUrl: url, tokens, timeoutMs, log: () => undefined });
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

async function failure(promise: Promise<unknown>): Promise<DirectoryError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DirectoryError);
  return error as DirectoryError;
}

describe('directory client', () => {
  it('sends the protocol header and the bearer token', async () => {
    const { url, requests } = await serve((_req, res) => json(res, 200, { items: [] }));
    await signedInClient(url).establishments();
    expect(requests[0]?.headers['x-directory-protocol']).toBe('1');
    expect(requests[0]?.headers.authorization).toBe('Bearer a1');
  });

  it('rejects an HTML error page whole, with a French message', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html><body>Bad gateway</body></html>');
    });
    const error = await failure(signedInClient(url).changes('0750654D', 'c1'));
    expect(error.kind).toBe('malformed');
    expect(error.transient).toBe(true);
    expect(error.message).toMatch(/Réponse illisible de l’annuaire.*rien n’a été enregistré/);
    expect(error.logLine()).toMatch(/not JSON/);
  });

  it('rejects a page whose shape is wrong, even if only one change is', async () => {
    const { url } = await serve((_req, res) =>
      json(res, 200, {
        changes: [
          { seq: 1, op: 'delete', type: 'pupil', id: 'p1', version: 2 },
          { seq: 2, op: 'upsert', type: 'pupil', id: 'p2', version: 1, data: { uai: '0750654D' } },
        ],
        cursor: 'c2',
        hasMore: false,
      }),
    );
    const error = await failure(signedInClient(url).changes('0750654D', 'c1'));
    expect(error.kind).toBe('malformed');
    expect(error.logLine()).toMatch(/schema mismatch/);
  });

  it('rejects truncated JSON', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"changes":[{"seq":1,"op":"del');
    });
    expect((await failure(signedInClient(url).changes('0750654D', 'c1'))).kind).toBe('malformed');
  });

  it('times out a server that never answers', async () => {
    const { url } = await serve(() => undefined);
    const error = await failure(signedInClient(url, 150).establishments());
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/n’a pas répondu à temps/);
  });

  it('reports a refused connection as unreachable', async () => {
    const { url } = await serve(() => undefined);
    server!.close();
    server!.closeAllConnections();
    server = null;
    const error = await failure(signedInClient(url).establishments());
    expect(error.unreachable).toBe(true);
  });

  it('refreshes once on 401 TOKEN_EXPIRED, then retries with the new token', async () => {
    let refreshes = 0;
    const { url, requests } = await serve((req, res) => {
      if (req.url === '/v1/auth/refresh') {
        refreshes++;
        return json(res, 200, {
          accessToken: 'a2',
          refreshToken: 'r2',
          expiresIn: 900,
          operator: { login: 'x', displayName: 'X', role: 'chef', uais: [] },
        });
      }
      if (req.headers.authorization === 'Bearer a2') return json(res, 200, { items: [] });
      return json(res, 401, { error: { code: 'TOKEN_EXPIRED', message: 'expired' } });
    });
    const client = signedInClient(url);
    await Promise.all([client.establishments(), client.establishments(), client.establishments()]);
    expect(refreshes).toBe(1); // single-use refresh tokens: concurrent requests share one refresh
    expect(requests.filter((r) => r.url === '/v1/establishments').length).toBe(6);
  });

  it('reads Retry-After and the directory error code', async () => {
    const { url } = await serve((_req, res) =>
      json(res, 503, { error: { code: 'UNAVAILABLE', message: 'busy' } }, { 'Retry-After': '2' }),
    );
    const error = await failure(signedInClient(url).establishments());
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.retryAfterMs).toBe(2000);
    expect(error.transient).toBe(true);
    expect(error.message).toMatch(/momentanément indisponible/);
  });

  it('treats 408 like 429: worth a retry, shown as unavailable, whether or not a proxy sent the error body', async () => {
    let status = 408;
    let body: unknown = { error: { code: 'REQUEST_TIMEOUT', message: 'lent' } };
    const { url } = await serve((_req, res) => {
      if (body === null) {
        res.writeHead(status, { 'Content-Type': 'text/html' });
        res.end('<html>proxy</html>');
      } else json(res, status, body, { 'Retry-After': '1' });
    });
    for (const [s, b, code] of [
      [408, body, 'REQUEST_TIMEOUT'],
      [408, null, 'REQUEST_TIMEOUT'],
      [429, null, 'RATE_LIMITED'],
    ] as const) {
      status = s;
      body = b;
      const error = await failure(signedInClient(url).establishments());
      expect(error, `${s} ${b === null ? 'without' : 'with'} body`).toMatchObject({ kind: 'http', code, status: s, transient: true });
      expect(error.toApiError().code, `${s}`).toBe('UNAVAILABLE');
    }
  });
});

describe('retry policy', () => {
  it('grows with jitter, is bounded, and honours Retry-After', () => {
    const policy = { attempts: 5, baseMs: 100, maxMs: 1000, retryAfterCapMs: 5000 };
    expect(backoffDelay({ ...policy, random: () => 0 }, 1)).toBe(50);
    expect(backoffDelay({ ...policy, random: () => 1 }, 1)).toBe(100);
    expect(backoffDelay({ ...policy, random: () => 1 }, 3)).toBe(400);
    expect(backoffDelay({ ...policy, random: () => 1 }, 10)).toBe(1000);
    expect(backoffDelay({ ...policy, random: () => 0 }, 1, 3000)).toBe(3000);
    expect(backoffDelay({ ...policy, random: () => 0 }, 1, 60_000)).toBe(5000);
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(null)).toBeNull();
  });

  it('retries transient failures only, up to the bound', async () => {
    let calls = 0;
    const transient = new DirectoryError('network', 'NETWORK', 'x');
    await expect(
      withRetry(() => {
        calls++;
        return Promise.reject(transient);
      }, { attempts: 3, baseMs: 1, maxMs: 2, retryAfterCapMs: 10 }),
    ).rejects.toBe(transient);
    expect(calls).toBe(3);
    calls = 0;
    const refused = new DirectoryError('http', 'UNPROCESSABLE', 'x', 422);
    await expect(
      withRetry(() => {
        calls++;
        return Promise.reject(refused);
      }, { attempts: 3, baseMs: 1, maxMs: 2, retryAfterCapMs: 10 }),
    ).rejects.toBe(refused);
    expect(calls).toBe(1);
  });

  it('for an operator waiting: a few attempts, and a Retry-After beyond the cap ends them rather than being cut short', async () => {
    const waiting = interactiveRetry({ attempts: 6, baseMs: 1, maxMs: 2, retryAfterCapMs: 120_000 });
    expect(waiting).toMatchObject({ attempts: 4, retryAfterCapMs: 10_000, interactive: true });
    let calls = 0;
    const slowDown = new DirectoryError('http', 'RATE_LIMITED', 'x', 429, undefined, 60_000);
    await expect(
      withRetry(() => {
        calls++;
        return Promise.reject(slowDown);
      }, waiting),
    ).rejects.toBe(slowDown);
    expect(calls).toBe(1);
  });
});
