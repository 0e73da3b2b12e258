import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import { LAUNCH_EXCHANGE_PATH, startHost, type RunningHost } from '../../electron/host/server';
import { tempDir } from '../helpers/temp';
import { runHostCli, startHostProcess } from '../helpers/host-process';

/** GET with the path sent exactly as written (fetch would normalise dot segments first). */
async function rawGet(base: string, path: string): Promise<string> {
  return (await rawRequest(base, { path })).text;
}

interface RawAnswer {
  status: number;
  text: string;
  json(): { error: { code: string; message: string } };
}

/**
 * One request over node:http with the path sent as written and, optionally, a body streamed in 1 MiB chunks
 * (chunked transfer encoding when `declareLength` is false). Resolves with the answer; rejects on a connection reset.
 */
async function rawRequest(
  base: string,
  options: { path: string; method?: string; headers?: Record<string, string>; bodyBytes?: number; declareLength?: boolean },
): Promise<RawAnswer> {
  const { request } = await import('node:http');
  const url = new URL(base);
  const headers: Record<string, string> = { ...options.headers };
  const bodyBytes = options.bodyBytes ?? 0;
  if (bodyBytes > 0 && options.declareLength !== false) headers['Content-Length'] = String(bodyBytes);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: options.path, method: options.method ?? 'GET', headers });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, json: () => JSON.parse(text) as ReturnType<RawAnswer['json']> }));
      res.on('error', reject);
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let left = bodyBytes;
    const pump = (): void => {
      while (left > 0) {
        const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= piece.length;
        if (!req.write(piece)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

describe('browser host (in process)', () => {
  const data = tempDir();
  const renderer = tempDir();
  let core: Core;
  let host: RunningHost;

  beforeAll(async () => {
    writeFileSync(join(renderer.path, 'index.html'), '<!doctype html><title>t</title>');
    mkdirSync(join(renderer.path, 'assets'));
    writeFileSync(join(renderer.path, 'assets', 'app.js'), 'console.log(1)');
    core = createCore({ dataDir: data.path, directory: 'demo', appVersion: '1.2.3', host: 'browser' });
    host = await startHost({ core, rendererDir: renderer.path, appVersion: '1.2.3' });
  });
  afterAll(async () => {
    await host.close();
    core.close();
    data.remove();
    renderer.remove();
  });

  const api = (method: string, init: RequestInit & { token?: string | null } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token !== null) headers.set('Authorization', `Bearer ${init.token ?? host.token}`);
    if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
    return fetch(`${host.url}/api/${method}`, { method: 'POST', body: '{}', ...init, headers });
  };

  it('listens on 127.0.0.1 and answers /healthz', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${host.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, version: '1.2.3' });
  });

  it('runs a method with the token', async () => {
    const res = await api('system.status');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { appVersion: string; host: string };
    expect(body).toMatchObject({ appVersion: '1.2.3', host: 'browser' });
  });

  it('answers 401 without a token or with a wrong one', async () => {
    for (const token of [null, 'wrong', `${'x'.repeat(43)}`]) {
      const res = await api('system.status', { token });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    }
  });

  it('answers 403 to a foreign Origin, even with the token', async () => {
    const res = await api('system.status', { headers: { Origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
  });

  it('accepts its own Origin', async () => {
    const res = await api('system.status', { headers: { Origin: host.url } });
    expect(res.status).toBe(200);
  });

  it('answers 404 to an unknown method', async () => {
    const res = await api('system.nope');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNKNOWN_METHOD');
  });

  it('answers 400 with the field path to invalid input, and 400 to broken JSON', async () => {
    const invalid = await api('system.status', { body: JSON.stringify({ surprise: true }) });
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { error: { code: string; message: string; details: { issues: unknown[] } } };
    expect(body.error.code).toBe('INVALID_INPUT');
    expect(body.error.message).toMatch(/Données invalides/);
    expect(body.error.details.issues.length).toBeGreaterThan(0);

    const broken = await api('system.status', { body: '{not json' });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('INVALID_JSON');
  });

  it('refuses a non-JSON body and a GET on a method', async () => {
    expect((await api('system.status', { headers: { 'Content-Type': 'text/plain' } })).status).toBe(415);
    expect((await fetch(`${host.url}/api/system.status`, { headers: { Authorization: `Bearer ${host.token}` } })).status).toBe(405);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${host.url}/api/system.status`, {
        method: 'POST',
        headers: { Host: 'evil.example', Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
      });
      req.on('response', (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
  });

  it('serves the renderer with a CSP, falls back to index.html, and refuses traversal', async () => {
    const index = await fetch(`${host.url}/comptes`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await index.text()).toContain('<title>t</title>');
    expect((await fetch(`${host.url}/assets/app.js`)).headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${host.url}/assets/missing.js`)).status).toBe(404);
    for (const path of ['/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%5c..%5cpackage.json']) {
      const body = await rawGet(host.url, path);
      expect(body, path).not.toMatch(/root:|"name"/);
    }
  });

  it('streams events over SSE to an authorised client', async () => {
    const controller = new AbortController();
    const res = await fetch(`${host.url}/api/events`, {
      headers: { Authorization: `Bearer ${host.token}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    await reader.read(); // the greeting comment
    core.events.emit('system.notice', { level: 'info', message: 'Bonjour' });
    let text = '';
    while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('event: system.notice');
    expect(text).toContain('"message":"Bonjour"');
    controller.abort();
    expect((await fetch(`${host.url}/api/events`)).status).toBe(401);
  });

  it('answers 413 in the error shape, not a connection reset, to a body over the limit', async () => {
    const over = 10 * 1024 * 1024 + 1;
    for (const declareLength of [true, false]) {
      const res = await rawRequest(host.url, {
        path: '/api/system.status',
        method: 'POST',
        headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
        bodyBytes: over,
        declareLength,
      });
      expect(res.status, `declared length: ${declareLength}`).toBe(413);
      expect(res.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/trop volumineuse/) });
    }
    // The host still answers afterwards.
    expect((await api('system.status')).status).toBe(200);
  });

  it('answers 400 in the error shape, not 500, to a malformed % escape or URL', async () => {
    for (const [path, method] of [
      ['/api/system.status%E0%A4%A', 'POST'],
      ['/api/%', 'POST'],
      ['/comptes%E0%A4%A', 'GET'],
      ['http://[bad/', 'GET'],
    ] as const) {
      const res = await rawRequest(host.url, {
        path,
        method,
        headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json', Host: new URL(host.url).host },
      });
      expect(res.status, path).toBe(400);
      expect(res.json().error, path).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/Adresse/) });
    }
    expect((await fetch(`${host.url}/healthz`)).status).toBe(200);
  });

  const exchange = (code: unknown, headers: Record<string, string> = {}) =>
    fetch(`${host.url}${LAUNCH_EXCHANGE_PATH}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify({ code }),
    });

  it('hands the token for a launch code once: a second exchange is refused', async () => {
    const launch = new URL(host.launchUrl());
    expect(launch.origin).toBe(host.url);
    expect(launch.href).not.toContain(host.token);
    const code = /^#code=([\w-]+)$/.exec(launch.hash)?.[1];
    expect(code).toBeDefined();

    const first = await exchange(code, { Origin: host.url });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const { token } = (await first.json()) as { token: string };
    expect(token).toBe(host.token);
    expect((await api('system.status', { token })).status).toBe(200);

    const second = await exchange(code);
    expect(second.status).toBe(401);
    expect(((await second.json()) as { error: unknown }).error).toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringMatching(/expiré ou déjà utilisé/),
    });
  });

  it('refuses an unknown launch code, a foreign Origin, a missing code and a GET', async () => {
    expect((await exchange('x'.repeat(32))).status).toBe(401);
    const code = new URL(host.launchUrl()).hash.slice('#code='.length);
    expect((await exchange(code, { Origin: 'http://evil.example' })).status).toBe(403);
    // Refused for its origin, the code was not spent.
    expect((await exchange(code)).status).toBe(200);
    const missing = await exchange(undefined);
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
    expect((await fetch(`${host.url}${LAUNCH_EXCHANGE_PATH}`)).status).toBe(405);
  });

  it('refuses an expired launch code', async () => {
    let clock = 1_000_000;
    const timed = await startHost({ core, rendererDir: renderer.path, appVersion: 'x', now: () => clock, launchCodeTtlMs: 60_000 });
    try {
      const code = new URL(timed.launchUrl()).hash.slice('#code='.length);
      const fresh = new URL(timed.launchUrl()).hash.slice('#code='.length);
      clock += 60_000;
      const res = await fetch(`${timed.url}${LAUNCH_EXCHANGE_PATH}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code }),
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/expiré/);
      // A code issued after the clock moved is good for its own 60 s.
      const later = new URL(timed.launchUrl()).hash.slice('#code='.length);
      expect(fresh).not.toBe(later);
      const ok = await fetch(`${timed.url}${LAUNCH_EXCHANGE_PATH}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code: later }),
      });
      expect(ok.status).toBe(200);
    } finally {
      await timed.close();
    }
  });

  it('refuses a non-loopback bind address', async () => {
    await expect(startHost({ core, rendererDir: renderer.path, appVersion: 'x', bind: '0.0.0.0' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('browser host (npm run serve)', () => {
  it('prints {url, token, port} with --json, serves the API, and stops cleanly on SIGTERM', async () => {
    const data = tempDir();
    const host = await startHostProcess(['--port', '0', '--data', data.path]);
    try {
      expect(Object.keys(host)).toEqual(expect.arrayContaining(['url', 'token', 'port']));
      expect(host.url).toBe(`http://127.0.0.1:${host.port}`);
      const res = await fetch(`${host.url}/api/system.status`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(((await res.json()) as { dataDir: string }).dataDir).toBe(data.path);
    } finally {
      expect(await host.stop('SIGTERM')).toBe(0);
      data.remove();
    }
  });

  it.skipIf(process.platform !== 'linux')('--open gives the browser a one-time launch code, never the token', async () => {
    const data = tempDir();
    // Stands in for the desktop's xdg-open (no desktop here): records the command line the host ran.
    const bin = tempDir('ecd-bin-');
    const recorded = join(bin.path, 'argv.txt');
    writeFileSync(join(bin.path, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${recorded}.tmp" && mv "${recorded}.tmp" "${recorded}"\n`);
    chmodSync(join(bin.path, 'xdg-open'), 0o755);
    const host = await startHostProcess(['--port', '0', '--data', data.path, '--open'], 60_000, {
      PATH: `${bin.path}${delimiter}${process.env.PATH ?? ''}`,
    });
    try {
      while (!existsSync(recorded)) await new Promise((r) => setTimeout(r, 50));
      const argv = readFileSync(recorded, 'utf8');
      expect(argv).not.toContain(host.token);
      const launch = new URL(argv.trim());
      expect(launch.origin).toBe(host.url);
      const code = /^#code=([\w-]+)$/.exec(launch.hash)?.[1];
      const res = await fetch(`${host.url}${LAUNCH_EXCHANGE_PATH}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code }),
      });
      expect(((await res.json()) as { token: string }).token).toBe(host.token);
    } finally {
      expect(await host.stop('SIGTERM')).toBe(0);
      data.remove();
      bin.remove();
    }
  });

  it('refuses --directory http:// to another machine, with a French message and a non-zero exit', async () => {
    const data = tempDir();
    try {
      for (const directory of ['http://annuaire.example', 'http://192.168.1.10:4010']) {
        const result = await runHostCli(['--directory', directory, '--data', data.path, '--json']);
        expect(result.code, directory).not.toBe(0);
        expect(result.stderr, directory).toMatch(/Adresse d’annuaire refusée.*https:\/\//);
        expect(result.stdout, directory).toBe('');
      }
      // Loopback over http (a local directory) and https anywhere are accepted; the client connects on first use.
      for (const directory of ['http://127.0.0.1:9', 'https://annuaire.example']) {
        const host = await startHostProcess(['--port', '0', '--data', data.path, '--directory', directory]);
        expect(await host.stop('SIGTERM'), directory).toBe(0);
      }
    } finally {
      data.remove();
    }
  });

  it('refuses to bind outside loopback, with a French message and a non-zero exit', async () => {
    const data = tempDir();
    const result = await runHostCli(['--bind', '0.0.0.0', '--data', data.path]);
    data.remove();
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Adresse d'écoute refusée/);
  });
});
