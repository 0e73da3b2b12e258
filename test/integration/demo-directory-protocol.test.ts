// The demo directory over real HTTP on 127.0.0.1 (port 0), each response checked against the shared wire schemas.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ActivationHistory,
  AdminTotals,
  ChangesPage,
  DirectoryErrorBody,
  EstablishmentsResponse,
  MutationResponse,
  SnapshotPage,
  TokenResponse,
  type AccountData,
  type DirectoryRecord,
} from '../../shared/directory/wire';
import { HttpDirectoryClient } from '../../electron/core/directory/client';
import { DirectoryError } from '../../electron/core/directory/errors';
import { createDemoDirectory, type DemoDirectory } from '../../electron/demo-directory/server';
import { TEMPORARY_PASSWORD_ALPHABET } from '../../electron/demo-directory/temporary-password';

let dir: DemoDirectory;
let tmp: string;
let uai: string;
let token: string;

interface CallOptions {
  method?: string;
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

async function call(path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { ...options.headers };
  const bearer = options.token === undefined ? token : options.token;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(dir.url + path, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: res.status, headers: res.headers, json: (await res.json()) as unknown };
}

const admin = (path: string, body?: unknown) => call(path, { token: dir.adminToken, body, method: body === undefined ? 'GET' : 'POST' });

async function signIn(login = 'chef.demo', password = 'demo-chef') {
  const res = await call('/v1/auth/token', { token: null, body: { login, password } });
  expect(res.status).toBe(200);
  return TokenResponse.parse(res.json);
}

async function fullSnapshot(limit: number) {
  const records: DirectoryRecord[] = [];
  let page: string | null = null;
  let cursor: string | undefined;
  do {
    const query = `limit=${limit}${page ? `&page=${encodeURIComponent(page)}` : ''}`;
    const res = await call(`/v1/establishments/${uai}/snapshot?${query}`);
    expect(res.status).toBe(200);
    const body = SnapshotPage.parse(res.json);
    if (cursor !== undefined) expect(body.cursor).toBe(cursor);
    cursor = body.cursor;
    records.push(...body.records);
    page = body.nextPage;
  } while (page);
  return { records, cursor: cursor! };
}

async function readFeed(cursor: string, limit = 200) {
  const changes: ChangesPage['changes'] = [];
  for (;;) {
    const res = await call(`/v1/establishments/${uai}/changes?cursor=${encodeURIComponent(cursor)}&limit=${limit}`);
    expect(res.status).toBe(200);
    const page = ChangesPage.parse(res.json);
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return { changes, cursor };
  }
}

async function anAccount(state: AccountData['state']) {
  const { records } = await fullSnapshot(5000);
  const account = records.find((r) => r.type === 'account' && r.data.state === state);
  if (!account || account.type !== 'account') throw new Error(`no ${state} account`);
  return account;
}

const mutate = (body: unknown, opts: { key?: string; ifMatch?: number | null; token?: string } = {}) =>
  call(`/v1/establishments/${uai}/mutations`, {
    body,
    token: opts.token,
    headers: {
      ...(opts.key === undefined ? {} : { 'Idempotency-Key': opts.key }),
      ...(opts.ifMatch === undefined || opts.ifMatch === null ? {} : { 'If-Match': String(opts.ifMatch) }),
    },
  });

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'demo-directory-'));
  dir = await createDemoDirectory({ dataFile: join(tmp, 'directory.db'), seed: 3, establishments: 2, pupils: 250, today: '2026-10-15' });
  uai = dir.operators.find((o) => o.login === 'chef.demo')!.uais[0]!;
  token = (await signIn()).accessToken;
});

afterAll(async () => {
  await dir.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('protocol header', () => {
  it('is on every response, errors included', async () => {
    for (const res of [await call('/v1/establishments'), await call('/v1/nowhere'), await call('/v1/establishments', { token: null })]) {
      expect(res.headers.get('X-Directory-Protocol')).toBe('1');
      if (res.status >= 400) DirectoryErrorBody.parse(res.json);
    }
  });

  it('rejects another protocol version with 400 PROTOCOL_VERSION', async () => {
    const res = await call('/v1/establishments', { headers: { 'X-Directory-Protocol': '2' } });
    expect(res.status).toBe(400);
    expect(DirectoryErrorBody.parse(res.json).error.code).toBe('PROTOCOL_VERSION');
    expect((await call('/v1/establishments', { headers: { 'X-Directory-Protocol': '1' } })).status).toBe(200);
  });
});

describe('authentication', () => {
  it('signs in with a role and establishments, refuses bad credentials', async () => {
    const session = await signIn('multi.demo', 'demo-multi');
    expect(session.operator.uais).toHaveLength(2);
    expect(session.expiresIn).toBe(900);
    const bad = await call('/v1/auth/token', { token: null, body: { login: 'chef.demo', password: 'nope' } });
    expect(bad.status).toBe(401);
    expect(DirectoryErrorBody.parse(bad.json).error.code).toBe('INVALID_CREDENTIALS');
    expect((await call('/v1/establishments', { token: null })).status).toBe(401);
  });

  it('refreshes with a single-use refresh token', async () => {
    const session = await signIn();
    const refreshed = await call('/v1/auth/refresh', { token: null, body: { refreshToken: session.refreshToken } });
    expect(refreshed.status).toBe(200);
    const next = TokenResponse.parse(refreshed.json);
    expect(next.accessToken).not.toBe(session.accessToken);
    expect((await call('/v1/establishments', { token: next.accessToken })).status).toBe(200);
    expect((await call('/v1/auth/refresh', { token: null, body: { refreshToken: session.refreshToken } })).status).toBe(401);
  });

  it('expires access tokens (401 TOKEN_EXPIRED) after --token-ttl', async () => {
    const short = await createDemoDirectory({ memory: true, seed: 1, establishments: 1, pupils: 20, tokenTtl: 1 });
    try {
      const res = await fetch(`${short.url}/v1/auth/token`, { method: 'POST', body: JSON.stringify({ login: 'chef.demo', password: 'demo-chef' }) });
      const session = TokenResponse.parse(await res.json());
      const list = () => fetch(`${short.url}/v1/establishments`, { headers: { Authorization: `Bearer ${session.accessToken}` } });
      expect((await list()).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1100));
      const expired = await list();
      expect(expired.status).toBe(401);
      expect(DirectoryErrorBody.parse(await expired.json()).error.code).toBe('TOKEN_EXPIRED');
    } finally {
      await short.close();
    }
  });
});

describe('establishments, snapshot and change feed', () => {
  it('lists only the operator’s establishments and forbids the others', async () => {
    const body = EstablishmentsResponse.parse((await call('/v1/establishments')).json);
    expect(body.items.map((e) => e.uai)).toEqual([uai]);
    const other = dir.establishments.find((e) => e.uai !== uai)!.uai;
    expect((await call(`/v1/establishments/${other}/snapshot`)).status).toBe(403);
    expect((await call(`/v1/establishments/${other}/totals`)).status).toBe(403);
  });

  it('pages a snapshot whose counts equal the admin totals', async () => {
    const { records } = await fullSnapshot(97);
    const totals = AdminTotals.parse((await admin(`/admin/totals?uai=${uai}`)).json);
    const count = (type: string) => records.filter((r) => r.type === type).length;
    expect(new Set(records.map((r) => `${r.type}:${r.id}`)).size).toBe(records.length);
    expect({
      pupils: count('pupil'),
      guardians: count('guardian'),
      links: count('link'),
      accounts: count('account'),
      identityChanges: count('identityChange'),
      settings: count('settings'),
    }).toEqual({
      pupils: totals.pupils,
      guardians: totals.guardians,
      links: totals.links,
      accounts: totals.accounts,
      identityChanges: totals.identityChanges,
      settings: totals.settings,
    });
  });

  it('replays the change feed after advancing the clock, and snapshot + feed equal the directory', async () => {
    const { records, cursor } = await fullSnapshot(500);
    const empty = await readFeed(cursor);
    expect(empty.changes).toHaveLength(0);

    const advanced = await admin('/admin/advance', { days: 20 });
    expect(advanced.status).toBe(200);
    const { changes, cursor: after } = await readFeed(cursor, 150);
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.map((c) => c.seq)).toEqual([...changes.map((c) => c.seq)].sort((a, b) => a - b));
    expect(after).not.toBe(cursor);

    // Apply the feed to the snapshot: keep the highest version of each record, drop tombstones.
    const mirror = new Map<string, { version: number; deleted: boolean }>();
    for (const r of records) mirror.set(`${r.type}:${r.id}`, { version: r.version, deleted: false });
    for (const c of changes) {
      const key = `${c.type}:${c.id}`;
      if ((mirror.get(key)?.version ?? 0) < c.version) mirror.set(key, { version: c.version, deleted: c.op === 'delete' });
    }
    const live = [...mirror.values()].filter((m) => !m.deleted).length;
    const totals = AdminTotals.parse((await admin(`/admin/totals?uai=${uai}`)).json);
    expect(live).toBe(totals.pupils + totals.guardians + totals.links + totals.accounts + totals.identityChanges + totals.settings);
    expect(changes.some((c) => c.op === 'delete') || changes.some((c) => c.type === 'account')).toBe(true);
  });

  it('answers 410 CURSOR_EXPIRED after the admin expires cursors, and for unknown cursors', async () => {
    const { cursor } = await fullSnapshot(5000);
    expect((await call(`/v1/establishments/${uai}/changes?cursor=${encodeURIComponent(cursor)}`)).status).toBe(200);
    expect((await admin('/admin/expire-cursors', {})).status).toBe(200);
    const expired = await call(`/v1/establishments/${uai}/changes?cursor=${encodeURIComponent(cursor)}`);
    expect(expired.status).toBe(410);
    expect(DirectoryErrorBody.parse(expired.json).error.code).toBe('CURSOR_EXPIRED');
    expect((await call(`/v1/establishments/${uai}/changes?cursor=garbage`)).status).toBe(410);
    const fresh = await fullSnapshot(5000);
    expect((await call(`/v1/establishments/${uai}/changes?cursor=${encodeURIComponent(fresh.cursor)}`)).status).toBe(200);
  });

  it('gives the operator the same totals as the admin route, for their establishments only', async () => {
    const mine = (await call(`/v1/establishments/${uai}/totals`)).json;
    expect(mine).toEqual(AdminTotals.parse((await admin(`/admin/totals?uai=${uai}`)).json));
  });

  it('serves the activation history since Sept 1', async () => {
    const history = ActivationHistory.parse((await call(`/v1/establishments/${uai}/activation-history`)).json);
    expect(history.schoolYearStart).toBe('2026-09-01');
    expect(history.days[0]!.date).toBe('2026-09-01');
    const last = history.days.at(-1)!;
    expect(last.pupilsActivated).toBeGreaterThan(0);
    expect(last.pupilsActivated).toBeLessThanOrEqual(last.pupils);
    for (let i = 1; i < history.days.length; i++) {
      expect(history.days[i]!.guardiansActivated).toBeGreaterThanOrEqual(history.days[i - 1]!.guardiansActivated);
    }
  });
});

describe('mutations', () => {
  it('resets a password once per Idempotency-Key: the replay is a 409 with the record, never the password again', async () => {
    const account = await anAccount('active');
    const key = randomUUID();
    const body = { kind: 'account.resetPassword', targetId: account.id, payload: {} };
    const first = await mutate(body, { key, ifMatch: account.version });
    expect(first.status).toBe(200);
    const response = MutationResponse.parse(first.json);
    expect(response.temporaryPassword).toMatch(new RegExp(`^[${TEMPORARY_PASSWORD_ALPHABET}]{10}$`));
    expect(response.record.version).toBe(account.version + 1);
    expect(response.record.type === 'account' && response.record.data.state).toBe('notifie');

    const seqBefore = AdminTotals.parse((await admin(`/admin/totals?uai=${uai}`)).json).seq;
    const replay = await mutate(body, { key, ifMatch: account.version });
    expect(replay.status).toBe(409);
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    const refusal = DirectoryErrorBody.parse(replay.json).error;
    expect(refusal.code).toBe('PASSWORD_NOT_REPLAYABLE');
    expect(refusal.message).toMatch(/mot de passe provisoire remis une fois/);
    expect(refusal.details).toEqual({ record: response.record });
    expect(JSON.stringify(replay.json)).not.toContain(response.temporaryPassword!);
    expect(AdminTotals.parse((await admin(`/admin/totals?uai=${uai}`)).json).seq).toBe(seqBefore);

    const reused = await mutate({ ...body, kind: 'account.unlock' }, { key, ifMatch: account.version });
    expect(reused.status).toBe(409);
    expect(DirectoryErrorBody.parse(reused.json).error.code).toBe('IDEMPOTENCY_KEY_REUSED');

    // Nowhere on the directory's disk: neither the database file nor its WAL holds the password.
    const files = readdirSync(tmp).filter((f) => f.startsWith('directory.db'));
    expect(files).toEqual(expect.arrayContaining(['directory.db', 'directory.db-wal']));
    for (const file of files) expect(readFileSync(join(tmp, file)).includes(Buffer.from(response.temporaryPassword!)), file).toBe(false);
  });

  it('gives the app’s client a French CONFLICT for a replayed reset, and replays other mutations verbatim', async () => {
    const client = new HttpDirectoryClient({ baseUrl: dir.url, log: () => undefined });
    await client.signIn('chef.demo', 'demo-chef');
    const account = await anAccount('active');
    const key = randomUUID();
    const request = { kind: 'account.resetPassword', targetId: account.id, payload: {} } as const;
    const first = await client.mutate(uai, request, { idempotencyKey: key, ifMatch: account.version });
    expect(first.temporaryPassword).toBeTruthy();
    const replay = await client.mutate(uai, request, { idempotencyKey: key, ifMatch: account.version }).catch((e: unknown) => e);
    expect(replay).toBeInstanceOf(DirectoryError);
    const error = (replay as DirectoryError).toApiError();
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe('Réinitialisation déjà faite : son mot de passe provisoire n’est remis qu’une fois. Lancez une nouvelle réinitialisation.');

    const contact = { kind: 'contact.update', targetId: account.id, payload: { email: 'rejoue@exemple.fr' } } as const;
    const once = await client.mutate(uai, contact, { idempotencyKey: key + '-c', ifMatch: first.record.version });
    expect(await client.mutate(uai, contact, { idempotencyKey: key + '-c', ifMatch: first.record.version })).toEqual(once);
  });

  it('answers 412 VERSION_MISMATCH with the current record on a stale If-Match, 428 without one', async () => {
    const account = await anAccount('active');
    const body = { kind: 'contact.update', targetId: account.id, payload: { email: 'nouvelle.adresse@laposte.net' } };
    const stale = await mutate(body, { key: randomUUID(), ifMatch: account.version + 100 });
    expect(stale.status).toBe(412);
    const error = DirectoryErrorBody.parse(stale.json).error;
    expect(error.code).toBe('VERSION_MISMATCH');
    expect((error.details as { current: DirectoryRecord }).current.version).toBe(account.version);
    expect((await mutate(body, { key: randomUUID() })).status).toBe(428);
    expect((await mutate(body, { ifMatch: account.version })).status).toBe(400);

    const done = await mutate(body, { key: randomUUID(), ifMatch: account.version });
    expect(done.status).toBe(200);
    const record = MutationResponse.parse(done.json).record;
    expect(record.type === 'account' && record.data).toMatchObject({ email: 'nouvelle.adresse@laposte.net', emailConfirmed: false });
  });

  it('refuses invalid mutations with 422 and a French message, and appends applied ones to the feed', async () => {
    const { cursor } = await fullSnapshot(5000);
    const account = await anAccount('notifie');
    const invalid = await mutate({ kind: 'account.unlock', targetId: account.id, payload: {} }, { key: randomUUID(), ifMatch: account.version });
    expect(invalid.status).toBe(422);
    expect(DirectoryErrorBody.parse(invalid.json).error.message).toBe('Ce compte n’est pas bloqué.');
    const badMobile = await mutate({ kind: 'contact.update', targetId: account.id, payload: { mobile: '01 23 45 67 89' } }, { key: randomUUID(), ifMatch: account.version });
    expect(badMobile.status).toBe(422);
    const unknownKind = await mutate({ kind: 'account.explode', targetId: account.id, payload: {} }, { key: randomUUID(), ifMatch: 1 });
    expect(unknownKind.status).toBe(422);

    const deactivated = await mutate(
      { kind: 'account.deactivate', targetId: account.id, payload: { reason: 'Départ de l’établissement' } },
      { key: randomUUID(), ifMatch: account.version },
    );
    expect(deactivated.status).toBe(200);
    const { changes } = await readFeed(cursor);
    expect(changes).toEqual([expect.objectContaining({ op: 'upsert', type: 'account', id: account.id, version: account.version + 1 })]);
  });

  it('creates and deletes a link (a tombstone in the feed), and keeps the last legal guardian', async () => {
    const { records, cursor } = await fullSnapshot(5000);
    const pupil = records.find((r) => r.type === 'pupil')!;
    const linked = new Set(records.filter((r) => r.type === 'link' && r.data.pupilId === pupil.id).map((r) => r.type === 'link' && r.data.guardianId));
    const guardian = records.find((r) => r.type === 'guardian' && !linked.has(r.id))!;
    const linkId = randomUUID();
    const created = await mutate(
      { kind: 'link.create', targetId: linkId, payload: { guardianId: guardian.id, pupilId: pupil.id, level: 3, relationship: '38' } },
      { key: randomUUID() },
    );
    expect(created.status).toBe(200);
    expect(MutationResponse.parse(created.json).record).toMatchObject({ type: 'link', id: linkId, version: 1 });
    const deleted = await mutate({ kind: 'link.delete', targetId: linkId, payload: {} }, { key: randomUUID(), ifMatch: 1 });
    expect(deleted.status).toBe(200);
    const { changes } = await readFeed(cursor);
    expect(changes.filter((c) => c.id === linkId)).toEqual([{ seq: expect.any(Number), op: 'delete', type: 'link', id: linkId, version: 2 }]);

    const legal = records.filter((r) => r.type === 'link' && r.data.pupilId === pupil.id && r.data.level === 1);
    for (const [i, link] of legal.entries()) {
      const res = await mutate({ kind: 'link.delete', targetId: link.id, payload: {} }, { key: randomUUID(), ifMatch: link.version });
      expect(res.status).toBe(i === legal.length - 1 ? 422 : 200);
    }
  });

  it('lets only the head decide identity changes and change settings', async () => {
    const { records } = await fullSnapshot(5000);
    const change = records.find((r) => r.type === 'identityChange' && r.data.status === 'open')!;
    const body = { kind: 'identityChange.decide', targetId: change.id, payload: { decision: 'rejected' } };
    const secretariat = (await signIn('secretariat.demo', 'demo-secretariat')).accessToken;
    expect((await mutate(body, { key: randomUUID(), ifMatch: change.version, token: secretariat })).status).toBe(403);
    const decided = await mutate(body, { key: randomUUID(), ifMatch: change.version });
    expect(decided.status).toBe(200);
    expect(MutationResponse.parse(decided.json).record.data).toMatchObject({ status: 'rejected', decidedBy: 'chef.demo' });

    const settings = records.find((r) => r.type === 'settings')!;
    const updated = await mutate(
      { kind: 'settings.update', targetId: settings.id, payload: { directCommunication: false, services: ['lsu'] } },
      { key: randomUUID(), ifMatch: settings.version },
    );
    expect(updated.status).toBe(200);
    expect(MutationResponse.parse(updated.json).record.data).toMatchObject({ directCommunication: false, services: ['lsu'] });
  });
});

describe('data file', () => {
  it('reopens an existing academy instead of generating a new one', async () => {
    const file = join(tmp, 'reopen.db');
    const first = await createDemoDirectory({ dataFile: file, seed: 5, establishments: 1, pupils: 30 });
    const e = first.establishments[0]!.uai;
    first.advance(3);
    const seq = first.store.seq;
    await first.close();
    const second = await createDemoDirectory({ dataFile: file, seed: 99, establishments: 4, pupils: 500 });
    expect(second.establishments.map((x) => x.uai)).toEqual([e]);
    expect(second.store.seq).toBe(seq);
    await second.close();
  });
});

describe('retention', () => {
  it('expires cursors older than a purged tombstone', async () => {
    const short = await createDemoDirectory({ memory: true, seed: 2, establishments: 1, pupils: 200, retentionDays: 2, today: '2026-10-01' });
    try {
      const e = short.establishments[0]!.uai;
      const session = TokenResponse.parse(
        await (await fetch(`${short.url}/v1/auth/token`, { method: 'POST', body: JSON.stringify({ login: 'chef.demo', password: 'demo-chef' }) })).json(),
      );
      const get = (path: string) => fetch(short.url + path, { headers: { Authorization: `Bearer ${session.accessToken}` } });
      const { cursor } = SnapshotPage.parse(await (await get(`/v1/establishments/${e}/snapshot?limit=1`)).json());
      const result = short.advance(30);
      expect(result.purgedTombstones).toBeGreaterThan(0);
      expect((await get(`/v1/establishments/${e}/changes?cursor=${encodeURIComponent(cursor)}`)).status).toBe(410);
      const fresh = SnapshotPage.parse(await (await get(`/v1/establishments/${e}/snapshot?limit=1`)).json());
      expect((await get(`/v1/establishments/${e}/changes?cursor=${encodeURIComponent(fresh.cursor)}`)).status).toBe(200);
    } finally {
      await short.close();
    }
  });
});
