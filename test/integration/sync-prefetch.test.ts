/**
 * The snapshot requests its next page on the token read from the tail of the page just received, before the page
 * reader has parsed it (SyncEngine.snapshot, `peekNextPage`). Through a real HTTP proxy in front of the real demo
 * directory, which records every snapshot request and can append a decoy `"nextPage"` to each page's end:
 * - with the directory's own bodies every guess is right: one request per page written, never a page asked twice;
 * - with decoys every guess is wrong: the guessed requests are dropped, the parsed tokens are requested, and the
 *   mirror still ends equal to the directory.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { peekNextPage } from '../../electron/core/directory/sync';
import type { DemoDirectory } from '../../electron/demo-directory/server';
import { expectMirrorEqualsDirectory, openClient, operator, startDirectory, type Client } from './sync-helpers';

let directory: DemoDirectory | null = null;
let client: Client | null = null;
let proxy: Server | null = null;

afterEach(async () => {
  await client?.close();
  if (proxy) {
    proxy.close();
    proxy.closeAllConnections();
  }
  await directory?.close();
  client = null;
  proxy = null;
  directory = null;
});

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'accept-encoding', 'keep-alive']);

/** A proxy to `target` that records every snapshot request (path and page token) and may rewrite snapshot bodies. */
async function startProxy(target: string, rewrite: (body: string) => string): Promise<{ url: string; pages: string[]; feedPages: number }> {
  const pages: string[] = [];
  const seen = { url: '', pages, feedPages: 0 };
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !HOP_BY_HOP.has(k)) headers[k] = v;
        const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
        const upstream = await fetch(`${target}${req.url}`, { method: req.method, headers, body });
        let bytes = Buffer.from(await upstream.arrayBuffer());
        const url = new URL(req.url ?? '/', 'http://proxy');
        if (url.pathname.endsWith('/changes') && upstream.ok) seen.feedPages++;
        if (url.pathname.endsWith('/snapshot')) {
          pages.push(`${url.pathname}?${url.searchParams.get('page') ?? ''}`);
          if (upstream.ok) bytes = Buffer.from(rewrite(bytes.toString('utf8')), 'utf8');
        }
        const out: Record<string, string> = {};
        upstream.headers.forEach((v, k) => {
          if (!HOP_BY_HOP.has(k) && k !== 'content-encoding') out[k] = v;
        });
        res.writeHead(upstream.status, out);
        res.end(bytes);
      })().catch((error: unknown) => {
        res.writeHead(502);
        res.end(String(error));
      });
    });
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  seen.url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  return seen;
}

async function syncThrough(url: string, adminToken: string): Promise<Client> {
  client = openClient({ url, adminToken }, { pageLimit: 20 });
  const op = operator(directory!);
  await client.service.signIn(op.login, op.password);
  await client.service.scheduler.whenIdle();
  client.service.scheduler.stop();
  return client;
}

const pagesWritten = (c: Client) =>
  c.db.prepare("SELECT coalesce(sum(pages), 0) FROM sync_runs WHERE mode = 'snapshot'").pluck().get() as number;

describe('peekNextPage', () => {
  const bytes = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;
  it('reads the token, null on the last page, and gives up on what it cannot read plainly', () => {
    expect(peekNextPage(bytes('{"records":[],"nextPage":"eyJ1IjoiMDMxIn0","cursor":"c1"}'))).toBe('eyJ1IjoiMDMxIn0');
    expect(peekNextPage(bytes('{"records":[],"nextPage": null,"cursor":"c1"}'))).toBeNull();
    expect(peekNextPage(bytes('{"records":[],"nextPage":"a\\"b","cursor":"c1"}'))).toBeUndefined();
    expect(peekNextPage(bytes('{"records":[],"nextPage":"eyJ1Ijoi'))).toBeUndefined();
    expect(peekNextPage(bytes('{"records":[],"cursor":"c1"}'))).toBeUndefined();
    // Only the body's last kilobyte is looked at: a token far from the end is not guessed.
    expect(peekNextPage(bytes(`{"nextPage":"early","records":[${'0,'.repeat(600)}0],"cursor":"c1"}`))).toBeUndefined();
  });
});

describe('the snapshot requests the next page before the current one is parsed', () => {
  it('asks each page once when the guesses are right', { timeout: 60_000 }, async () => {
    directory = await startDirectory();
    const seen = await startProxy(directory.url, (body) => body);
    const c = await syncThrough(seen.url, directory.adminToken);
    expectMirrorEqualsDirectory(c.db, directory, operator(directory).uais);
    expect(pagesWritten(c)).toBeGreaterThan(5);
    // Every page written is one request: the snapshot's, and the change feed's read after it.
    expect(seen.pages.length + seen.feedPages).toBe(pagesWritten(c));
    expect(new Set(seen.pages).size).toBe(seen.pages.length);
  });

  it('drops the guessed request and asks the parsed token when the tail misleads', { timeout: 60_000 }, async () => {
    directory = await startDirectory();
    const seen = await startProxy(directory.url, (body) => body.replace(/\}\s*$/, ',"meta":{"nextPage":"decoy"}}'));
    const c = await syncThrough(seen.url, directory.adminToken);
    expectMirrorEqualsDirectory(c.db, directory, operator(directory).uais);
    const real = seen.pages.filter((p) => !p.endsWith('?decoy'));
    expect(seen.pages.length - real.length).toBeGreaterThan(0);
    expect(real.length + seen.feedPages).toBe(pagesWritten(c));
    expect(new Set(real).size).toBe(real.length);
    const runs = c.db.prepare("SELECT outcome FROM sync_runs WHERE mode = 'snapshot'").pluck().all();
    expect(runs.every((o) => o === 'success')).toBe(true);
  });
});
