/**
 * The review queue through the real dispatcher, a real core database and the demo directory over HTTP: ingestion after
 * sync, the supersede and conflict rules, reject never touching the school record, undo before sync, orphans, and
 * offline decisions reaching the directory exactly once.
 */
import { join } from 'node:path';
import { mkdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import type { CallOrigin } from '../../electron/core/dispatcher';
import { getSchoolRecord, setSchoolField } from '../../electron/core/school/records';
import { createDemoDirectory, type DemoDirectory } from '../../electron/demo-directory/server';
import type { ApiError } from '../../shared/api/errors';
import type { IdentityChangeData } from '../../shared/directory/wire';
import { tempDir } from '../helpers/temp';
import { FAST_RETRY, operator } from './sync-helpers';

const origin: CallOrigin = { transport: 'internal' };
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { dataFile?: string } = {}) {
  const data = tempDir('ecd-review-');
  const demoOptions = { seed: 7, establishments: 1, pupils: 120, today: '2025-10-01', dataFile: options.dataFile ?? join(data.path, 'dir.sqlite') };
  let directory: DemoDirectory | null = await createDemoDirectory(demoOptions);
  const core: Core = createCore({
    dataDir: join(data.path, 'app'),
    directory: directory.url,
    appVersion: '0.0.0-test',
    host: 'browser',
    sync: { retry: FAST_RETRY, timeoutMs: 1000, probeMs: 100, log: () => undefined },
  });
  cleanups.push(() => data.remove());
  cleanups.push(async () => {
    await directory?.close();
  });
  cleanups.push(() => core.shutdown());
  const op = operator(directory, 'multi.demo');
  seedChanges(directory, op.uais[0]!, 6);
  await core.dispatcher.call('auth.signIn', { login: op.login, password: op.password }, origin);
  const uai = op.uais[0]!;
  await core.directory.scheduler.whenIdle();
  const call = core.dispatcher.call.bind(core.dispatcher);
  const sync = async () => {
    await call('sync.run', { uai }, origin);
    await core.review.ingest(uai);
  };
  await sync();
  return {
    core,
    uai,
    call,
    sync,
    get directory() {
      return directory!;
    },
    stopDirectory: async () => {
      await directory?.close();
      directory = null;
    },
    demoOptions,
  };
}

const failure = (promise: Promise<unknown>) => promise.then(() => null, (e: unknown) => e as ApiError);

/** Adds an open identity change to the demo directory (as FranceConnect would) and returns its id. */
function addDirectoryChange(directory: DemoDirectory, uai: string, id: string, data: Omit<IdentityChangeData, 'uai' | 'status'>): string {
  directory.store.transaction(() => {
    directory.store.put(uai, 'identityChange', id, { ...data, uai, status: 'open' } as IdentityChangeData);
  });
  return id;
}

/** A few more FranceConnect differences than the small demo academy has: upper-cased first names of guardians. */
function seedChanges(directory: DemoDirectory, uai: string, count: number): void {
  const guardians = directory.store.db
    .prepare("SELECT id, data FROM records WHERE uai = ? AND type = 'guardian' AND deleted = 0 ORDER BY id DESC LIMIT ?")
    .all(uai, count) as { id: string; data: string }[];
  guardians.forEach((g, i) => {
    const firstName = (JSON.parse(g.data) as { firstName: string }).firstName;
    addDirectoryChange(directory, uai, `chg-seed-${i}`, {
      personKind: 'guardian',
      personId: g.id,
      field: 'firstName',
      previousValue: firstName,
      newValue: firstName.toUpperCase(),
      source: 'franceconnect',
      detectedAt: `2025-09-2${i}T08:00:00Z`,
    });
  });
}

describe('review queue', () => {
  it('ingests open directory changes once, with school records initialised from the first sync', { timeout: 60_000 }, async () => {
    const t = await setup();
    const open = t.directory.store.db
      .prepare("SELECT id FROM records WHERE uai = ? AND type = 'identityChange' AND deleted = 0 AND json_extract(data, '$.status') = 'open'")
      .pluck()
      .all(t.uai) as string[];
    expect(open.length).toBeGreaterThan(0);
    const pupils = t.core.db.prepare('SELECT count(*) FROM dir_pupils WHERE uai = ? AND deleted = 0').pluck().get(t.uai) as number;
    const guardians = t.core.db.prepare('SELECT count(*) FROM dir_guardians WHERE uai = ? AND deleted = 0').pluck().get(t.uai) as number;
    expect(t.core.db.prepare('SELECT count(*) FROM school_records WHERE uai = ?').pluck().get(t.uai)).toBe(pupils + guardians);

    const list = await t.call('review.list', { uai: t.uai, limit: 500 }, origin);
    const fromDirectory = t.core.db.prepare('SELECT dir_change_id FROM review_items WHERE dir_change_id IS NOT NULL').pluck().all();
    expect([...fromDirectory].sort()).toEqual([...open].sort());
    expect(list.total).toBeGreaterThanOrEqual(open.length);
    // Grouped by person: one person's items are contiguous.
    const seen = new Set<string>();
    let previous = '';
    for (const item of list.items) {
      if (item.personId !== previous) {
        expect(seen.has(item.personId)).toBe(false);
        seen.add(item.personId);
        previous = item.personId;
      }
    }

    const again = await t.core.review.ingest(t.uai);
    expect(again.newItems).toBe(0);
    expect((await t.call('review.list', { uai: t.uai, limit: 500 }, origin)).total).toBe(list.total);
    const counts = await t.call('review.counts', { uai: t.uai }, origin);
    expect(counts.pending).toBe(list.items.filter((i) => i.state === 'pending').length);
  });

  it('supersedes a pending item by a newer change of the same field and refuses a decision on it', { timeout: 60_000 }, async () => {
    const t = await setup();
    const guardian = t.core.db.prepare('SELECT id, data FROM dir_guardians WHERE uai = ? AND deleted = 0 ORDER BY id LIMIT 1').get(t.uai) as { id: string; data: string };
    const first = JSON.parse(guardian.data).firstName as string;
    addDirectoryChange(t.directory, t.uai, 'chg-test-1', { personKind: 'guardian', personId: guardian.id, field: 'firstName', previousValue: first, newValue: `${first}-Anne`, source: 'franceconnect', detectedAt: '2025-10-01T10:00:00Z' });
    await t.sync();
    const old = t.core.db.prepare("SELECT id FROM review_items WHERE dir_change_id = 'chg-test-1'").pluck().get() as number;
    expect((await t.call('review.list', { uai: t.uai, field: 'firstName', personKind: 'guardian', limit: 500 }, origin)).items.find((i) => i.id === old)?.state).toBe('pending');

    addDirectoryChange(t.directory, t.uai, 'chg-test-2', { personKind: 'guardian', personId: guardian.id, field: 'firstName', previousValue: first, newValue: first.toUpperCase(), source: 'franceconnect', detectedAt: '2025-10-02T10:00:00Z' });
    await t.sync();
    const newer = t.core.db.prepare("SELECT id FROM review_items WHERE dir_change_id = 'chg-test-2'").pluck().get() as number;
    const oldRow = t.core.db.prepare('SELECT state, superseded_by FROM review_items WHERE id = ?').get(old);
    expect(oldRow).toEqual({ state: 'superseded', superseded_by: newer });

    const refused = await failure(t.call('review.decide', { id: old, decision: 'accept' }, origin));
    expect(refused?.code).toBe('CONFLICT');
    expect(refused?.message).toMatch(/remplacé par un changement plus récent.*n° \d+/);
    expect(getSchoolRecord(t.core.db, 'guardian', guardian.id)?.data.firstName).toBe(first);

    // A late, older change arrives already superseded.
    addDirectoryChange(t.directory, t.uai, 'chg-test-0', { personKind: 'guardian', personId: guardian.id, field: 'firstName', previousValue: first, newValue: 'X', source: 'academie', detectedAt: '2025-09-01T10:00:00Z' });
    await t.sync();
    expect(t.core.db.prepare("SELECT state FROM review_items WHERE dir_change_id = 'chg-test-0'").pluck().get()).toBe('superseded');
    expect(t.core.db.prepare('SELECT state FROM review_items WHERE id = ?').pluck().get(newer)).toBe('pending');
    // The newer one is low risk (case only) and accepted: applied to the school record, sent through the outbox.
    const accepted = await t.call('review.decide', { id: newer, decision: 'accept' }, origin);
    expect(accepted.lowRisk).toBe(true);
    expect(accepted.state).toBe('accepted');
    expect(getSchoolRecord(t.core.db, 'guardian', guardian.id)?.data.firstName).toBe(first.toUpperCase());
  });

  it('turns an item into a conflict when the school value changed meanwhile', { timeout: 60_000 }, async () => {
    const t = await setup();
    const items = (await t.call('review.list', { uai: t.uai, state: 'pending', limit: 500 }, origin)).items;
    const [a, b] = items.filter((i) => i.origin === 'directory');
    expect(a && b).toBeTruthy();
    const target = (i: typeof a) => ({ uai: t.uai, personKind: i!.personKind, personId: i!.personId });
    setSchoolField(t.core.db, target(a), a!.field, 'Saisie SIECLE', 'import', new Date().toISOString());
    const refused = await failure(t.call('review.decide', { id: a!.id, decision: 'accept' }, origin));
    expect(refused?.code).toBe('CONFLICT');
    const after = (await t.call('review.list', { uai: t.uai, state: 'conflict', limit: 500 }, origin)).items.find((i) => i.id === a!.id);
    expect(after?.schoolValue).toBe('Saisie SIECLE');
    expect(getSchoolRecord(t.core.db, a!.personKind, a!.personId)?.data[a!.field]).toBe('Saisie SIECLE');
    // Having seen the current value, the head may still accept.
    expect((await t.call('review.decide', { id: a!.id, decision: 'accept' }, origin)).state).toBe('accepted');

    // Ingestion finds the same for an item nobody touched.
    setSchoolField(t.core.db, target(b), b!.field, 'Autre saisie', 'import', new Date().toISOString());
    await t.core.review.ingest(t.uai);
    expect(t.core.db.prepare('SELECT state, school_value FROM review_items WHERE id = ?').get(b!.id)).toEqual({ state: 'conflict', school_value: 'Autre saisie' });
  });

  it('never touches the school record on reject, requires a reason, and undoes before sync', { timeout: 60_000 }, async () => {
    const t = await setup();
    await t.stopDirectory(); // offline: the decisions wait in the outbox
    const items = (await t.call('review.list', { uai: t.uai, state: 'pending', limit: 500 }, origin)).items.filter((i) => i.origin === 'directory');
    const [x, y] = items;
    const before = getSchoolRecord(t.core.db, x!.personKind, x!.personId);

    const noReason = await failure(t.call('review.decide', { id: x!.id, decision: 'reject' }, origin));
    expect(noReason?.code).toBe('INVALID_INPUT');
    expect(noReason?.message).toMatch(/motif du refus est obligatoire/);
    expect(t.core.db.prepare('SELECT state FROM review_items WHERE id = ?').pluck().get(x!.id)).toBe('pending');

    const rejected = await t.call('review.decide', { id: x!.id, decision: 'reject', reason: 'Orthographe de l’état civil' }, origin);
    expect(rejected).toMatchObject({ state: 'rejected', reason: 'Orthographe de l’état civil', sync: 'pending', undoable: true });
    expect(getSchoolRecord(t.core.db, x!.personKind, x!.personId)).toEqual(before);
    const outbox = await t.call('outbox.list', { uai: t.uai }, origin);
    expect(outbox.find((o) => o.kind === 'identityChange.decide')?.payload).toEqual({ decision: 'rejected' });

    const yBefore = getSchoolRecord(t.core.db, y!.personKind, y!.personId)!.data[y!.field] ?? null;
    await t.call('review.decide', { id: y!.id, decision: 'accept' }, origin);
    expect(getSchoolRecord(t.core.db, y!.personKind, y!.personId)!.data[y!.field]).toBe(y!.newValue);
    const undone = await t.call('review.undo', { id: y!.id }, origin);
    expect(undone).toMatchObject({ state: 'pending', sync: 'none', decidedBy: null });
    expect(getSchoolRecord(t.core.db, y!.personKind, y!.personId)!.data[y!.field] ?? null).toBe(yBefore);
    expect((await t.call('outbox.list', { uai: t.uai }, origin)).filter((o) => o.kind === 'identityChange.decide')).toHaveLength(1);

    const notDecided = await failure(t.call('review.undo', { id: y!.id }, origin));
    expect(notDecided?.code).toBe('CONFLICT');
  });

  it('keeps an item whose person left the mirror, as an orphan', { timeout: 60_000 }, async () => {
    const t = await setup();
    const item = (await t.call('review.list', { uai: t.uai, state: 'pending', limit: 1 }, origin)).items[0]!;
    t.core.db.prepare(`UPDATE ${item.personKind === 'pupil' ? 'dir_pupils' : 'dir_guardians'} SET deleted = 1, data = '{}' WHERE id = ?`).run(item.personId);
    await t.core.review.ingest(t.uai);
    const again = (await t.call('review.list', { uai: t.uai, state: 'pending', limit: 500 }, origin)).items.find((i) => i.id === item.id);
    expect(again?.orphan).toBe(true);
    expect(again?.personLabel).toBe(item.personLabel);
  });

  it('delivers offline decisions to the directory exactly once when back online', { timeout: 90_000 }, async () => {
    const folder = tempDir('ecd-review-dir-');
    cleanups.push(() => folder.remove());
    const t = await setup({ dataFile: join(folder.path, 'directory.sqlite') });
    const port = Number(new URL(t.directory.url).port);
    const items = (await t.call('review.list', { uai: t.uai, state: 'pending', limit: 500 }, origin)).items.filter((i) => i.origin === 'directory').slice(0, 3);
    expect(items).toHaveLength(3);
    const changeIds = items.map((i) => t.core.db.prepare('SELECT dir_change_id FROM review_items WHERE id = ?').pluck().get(i.id) as string);
    const versions = changeIds.map((id) => t.directory.store.getLive(t.uai, 'identityChange', id)!.version);
    await t.stopDirectory();

    await t.call('review.decide', { id: items[0]!.id, decision: 'accept' }, origin);
    await t.call('review.decide', { id: items[1]!.id, decision: 'reject', reason: 'Identité non vérifiée' }, origin);
    await t.call('review.decide', { id: items[2]!.id, decision: 'defer' }, origin);
    await t.core.directory.scheduler.whenIdle();
    expect((await t.call('review.counts', { uai: t.uai }, origin)).unsynced).toBe(2);

    const directory = await createDemoDirectory({ ...t.demoOptions, port, faults: 'drop=0.5' });
    cleanups.push(() => directory.close());
    await new Promise((r) => setTimeout(r, 300));
    const op = operator(directory, 'multi.demo');
    for (let attempt = 0; ; attempt++) {
      try {
        await t.call('auth.signIn', { login: op.login, password: op.password }, origin);
        break;
      } catch (error) {
        if (attempt > 10) throw error;
      }
    }
    await t.core.directory.scheduler.whenIdle();
    for (let i = 0; i < 15 && (await t.call('review.counts', { uai: t.uai }, origin)).unsynced > 0; i++) {
      await new Promise((r) => setTimeout(r, 300));
      await t.call('sync.run', { uai: t.uai }, origin).catch(() => undefined);
    }
    expect((await t.call('review.counts', { uai: t.uai }, origin)).unsynced).toBe(0);
    const after = changeIds.map((id) => directory.store.getLive(t.uai, 'identityChange', id)!);
    expect(after.map((r) => r.data.status)).toEqual(['accepted', 'rejected', 'open']);
    expect(after.map((r) => r.version)).toEqual([versions[0]! + 1, versions[1]! + 1, versions[2]!]);
    const synced = await t.call('review.list', { uai: t.uai, state: 'accepted', limit: 500 }, origin);
    expect(synced.items.find((i) => i.id === items[0]!.id)).toMatchObject({ sync: 'sent', undoable: false });
    const late = await failure(t.call('review.undo', { id: items[0]!.id }, origin));
    expect(late?.message).toMatch(/déjà été transmise/);
  });

  it('lists, exports and marks the accepted changes to key into the management software', { timeout: 60_000 }, async () => {
    const t = await setup();
    const item = (await t.call('review.list', { uai: t.uai, state: 'pending', limit: 1 }, origin)).items[0]!;
    await t.call('review.decide', { id: item.id, decision: 'accept' }, origin);
    const list = await t.call('review.handoffList', { uai: t.uai }, origin);
    expect(list.items.map((i) => i.id)).toEqual([item.id]);
    // The folder must exist: an export never creates one.
    mkdirSync(join(t.core.dataDir, 'exports'));
    const out = join(t.core.dataDir, 'exports', 'a-saisir.csv');
    expect(await t.call('review.handoffExport', { uai: t.uai, format: 'csv', path: out }, origin)).toEqual({ path: out, rows: 1 });
    const csv = readFileSync(out, 'utf8');
    expect(csv.startsWith('\uFEFFPersonne;Type;')).toBe(true);
    expect(csv).toContain(item.personLabel);
    const xlsx = join(t.core.dataDir, 'exports', 'a-saisir.xlsx');
    expect((await t.call('review.handoffExport', { uai: t.uai, format: 'xlsx', path: xlsx }, origin)).rows).toBe(1);
    expect(readFileSync(xlsx).subarray(0, 2).toString()).toBe('PK');
    const relative = await failure(t.call('review.handoffExport', { uai: t.uai, format: 'csv', path: 'relatif.csv' }, origin));
    expect(relative?.code).toBe('INVALID_INPUT');

    expect(await t.call('review.markKeyed', { ids: [item.id] }, origin)).toEqual({ marked: 1 });
    expect((await t.call('review.handoffList', { uai: t.uai }, origin)).total).toBe(0);
    const keyed = await failure(t.call('review.undo', { id: item.id }, origin));
    expect(keyed?.message).toMatch(/saisi/);
  });
});
