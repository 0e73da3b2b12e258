// Each injected fault of the demo directory, at rate 1 so that it shows on every request, over real HTTP.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangesPage, DirectoryErrorBody, SnapshotPage, TokenResponse, type DirectoryRecord } from '../../shared/directory/wire';
import { parseFaultSpec } from '../../electron/demo-directory/faults';
import { createDemoDirectory, type DemoDirectory } from '../../electron/demo-directory/server';

let dir: DemoDirectory;
let token: string;
let uai: string;

const get = (path: string) => fetch(dir.url + path, { headers: { Authorization: `Bearer ${token}` } });
const setFaults = (spec: string) =>
  fetch(`${dir.url}/admin/faults`, { method: 'POST', headers: { Authorization: `Bearer ${dir.adminToken}` }, body: JSON.stringify({ spec }) });

async function snapshotCursor(): Promise<{ cursor: string; records: DirectoryRecord[] }> {
  const body = SnapshotPage.parse(await (await get(`/v1/establishments/${uai}/snapshot?limit=5000`)).json());
  return { cursor: body.cursor, records: body.records };
}

beforeAll(async () => {
  dir = await createDemoDirectory({ memory: true, seed: 11, establishments: 1, pupils: 120, today: '2026-10-01' });
  uai = dir.establishments[0]!.uai;
  const res = await fetch(`${dir.url}/v1/auth/token`, { method: 'POST', body: JSON.stringify({ login: 'chef.demo', password: 'demo-chef' }) });
  token = TokenResponse.parse(await res.json()).accessToken;
});

afterAll(() => dir.close());

describe('fault spec', () => {
  it('parses the documented spec and rejects unknown faults', () => {
    expect(parseFaultSpec('latency=50,error=0.1,drop=0.05,truncate=0.05,duplicate=0.1,reorder=0.1,expire=0.01')).toMatchObject({
      latency: 50,
      error: 0.1,
      drop: 0.05,
      expire: 0.01,
      empty: 0,
    });
    expect(() => parseFaultSpec('explode=1')).toThrow();
    expect(() => parseFaultSpec('error=2')).toThrow();
    expect(parseFaultSpec('next=429+408+drop+nopassword, error=0.1')).toMatchObject({ next: ['429', '408', 'drop', 'nopassword'], error: 0.1 });
    expect(() => parseFaultSpec('next=429+boom')).toThrow(/boom/);
  });

  it('is changed at run time by POST /admin/faults (and refused without the admin token)', async () => {
    expect((await setFaults('bogus=1')).status).toBe(400);
    expect((await fetch(`${dir.url}/admin/faults`, { method: 'POST', body: JSON.stringify({ spec: '' }) })).status).toBe(401);
    expect((await setFaults('')).status).toBe(200);
  });
});

describe('injected faults', () => {
  it('latency delays responses', async () => {
    await setFaults('latency=150');
    const started = performance.now();
    expect((await get('/v1/establishments')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    await setFaults('');
  });

  it('error answers 503/429 with Retry-After, or 500, in the error shape', async () => {
    await setFaults('error=1');
    const statuses = new Set<number>();
    for (let i = 0; i < 30; i++) {
      const res = await get('/v1/establishments');
      statuses.add(res.status);
      DirectoryErrorBody.parse(await res.json());
      expect(res.headers.get('X-Directory-Protocol')).toBe('1');
      if (res.status !== 500) expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual(new Set([500, 503, 429]));
    await setFaults('');
  });

  it('drop destroys the connection mid-body, after a mutation was applied (a retry replays it)', async () => {
    const { records } = await snapshotCursor();
    const account = records.find((r) => r.type === 'account' && r.data.state === 'active')!;
    await setFaults('drop=1');
    await expect(get('/v1/establishments').then((r) => r.text())).rejects.toThrow();
    const key = randomUUID();
    const send = () =>
      fetch(`${dir.url}/v1/establishments/${uai}/mutations`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': key, 'If-Match': String(account.version) },
        body: JSON.stringify({ kind: 'account.deactivate', targetId: account.id, payload: { reason: 'Test' } }),
      });
    await expect(send().then((r) => r.text())).rejects.toThrow();
    await setFaults('');
    const retried = await send();
    expect(retried.status).toBe(200);
    expect(retried.headers.get('Idempotent-Replayed')).toBe('true');
  });

  it('next scripts the faults of the next mutation requests, in order; other requests are not faulted', async () => {
    const { records } = await snapshotCursor();
    const account = records.find((r) => r.type === 'account' && r.data.state === 'notifie')!;
    const key = randomUUID();
    const send = () =>
      fetch(`${dir.url}/v1/establishments/${uai}/mutations`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': key, 'If-Match': String(account.version) },
        body: JSON.stringify({ kind: 'account.resetPassword', targetId: account.id }),
      });
    const from = dir.mutationRequests().length;
    await setFaults('next=408+429+nopassword');
    expect((await get('/v1/establishments')).status).toBe(200);
    const timeout = await send();
    expect(timeout.status).toBe(408);
    expect(DirectoryErrorBody.parse(await timeout.json()).error.code).toBe('REQUEST_TIMEOUT');
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toBe('1');
    await limited.text();
    // Applied, answered without the password.
    const applied = await send();
    expect(applied.status).toBe(200);
    expect(await applied.json()).not.toHaveProperty('temporaryPassword');
    // Replayed under the same key: the reset is not applied again, and its password is never handed out twice.
    const replayed = await send();
    expect(replayed.headers.get('Idempotent-Replayed')).toBe('true');
    expect(replayed.status).toBe(409);
    expect(DirectoryErrorBody.parse(await replayed.json()).error.code).toBe('PASSWORD_NOT_REPLAYABLE');
    expect(dir.mutationRequests().slice(from)).toEqual([
      { idempotencyKey: key, status: 408, fault: '408', replayed: false },
      { idempotencyKey: key, status: 429, fault: '429', replayed: false },
      { idempotencyKey: key, status: 200, fault: 'nopassword', replayed: false },
      { idempotencyKey: key, status: 409, fault: null, replayed: true },
    ]);
  });

  it('truncate sends a 200 with a JSON body cut short', async () => {
    await setFaults('truncate=1');
    const res = await get(`/v1/establishments/${uai}/snapshot?limit=10`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(text)).toThrow();
    await setFaults('');
  });

  it('duplicate and reorder re-send and shuffle changes within a page, cursor unchanged', async () => {
    const { cursor } = await snapshotCursor();
    dir.advance(5);
    const url = `/v1/establishments/${uai}/changes?cursor=${encodeURIComponent(cursor)}&limit=50`;
    const clean = ChangesPage.parse(await (await get(url)).json());
    expect(clean.changes.length).toBeGreaterThan(5);

    await setFaults('duplicate=1');
    const duplicated = ChangesPage.parse(await (await get(url)).json());
    expect(duplicated.cursor).toBe(clean.cursor);
    expect(duplicated.changes.length).toBeGreaterThan(clean.changes.length);
    expect(new Set(duplicated.changes.map((c) => c.seq))).toEqual(new Set(clean.changes.map((c) => c.seq)));

    await setFaults('reorder=1');
    const reordered = ChangesPage.parse(await (await get(url)).json());
    expect(reordered.cursor).toBe(clean.cursor);
    expect(reordered.changes.map((c) => c.seq)).not.toEqual(clean.changes.map((c) => c.seq));
    expect([...reordered.changes].sort((a, b) => a.seq - b.seq)).toEqual(clean.changes);
    await setFaults('');
  });

  it('empty answers an empty page that is not final; expire answers 410', async () => {
    const { cursor } = await snapshotCursor();
    const url = `/v1/establishments/${uai}/changes?cursor=${encodeURIComponent(cursor)}`;
    await setFaults('empty=1');
    expect(ChangesPage.parse(await (await get(url)).json())).toEqual({ changes: [], cursor, hasMore: true });
    await setFaults('expire=1');
    const expired = await get(url);
    expect(expired.status).toBe(410);
    expect(DirectoryErrorBody.parse(await expired.json()).error.code).toBe('CURSOR_EXPIRED');
    await setFaults('');
    expect((await get(url)).status).toBe(200);
  });

  it('never faults the admin routes', async () => {
    await setFaults('error=1,drop=1');
    const res = await fetch(`${dir.url}/admin/totals?uai=${uai}`, { headers: { Authorization: `Bearer ${dir.adminToken}` } });
    expect(res.status).toBe(200);
    await setFaults('');
  });
});
