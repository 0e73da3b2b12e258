/**
 * The sync engine against the real demo directory on 127.0.0.1: snapshot then deltas, record by record; resync after
 * an expired cursor with the outbox kept; unknown fields kept; count check; progress events.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoDirectory } from '../../electron/demo-directory/server';
import { enqueue, listOutbox } from '../../electron/core/directory/outbox';
import { expectMirrorEqualsDirectory, openClient, operator, startDirectory, type Client } from './sync-helpers';

let directory: DemoDirectory | null = null;
let client: Client | null = null;

afterEach(async () => {
  await client?.close();
  await directory?.close();
  client = null;
  directory = null;
});

async function signedIn(pageLimit = 50): Promise<{ directory: DemoDirectory; client: Client; uais: string[] }> {
  directory = await startDirectory();
  client = openClient(directory, { pageLimit });
  const op = operator(directory);
  await client.service.signIn(op.login, op.password);
  await waitIdle(client);
  client.service.scheduler.stop(); // the tests drive runs themselves
  return { directory, client, uais: op.uais };
}

/** Waits for the run started by sign-in to end (the scheduler's first run). */
async function waitIdle(c: Client): Promise<void> {
  await c.service.scheduler.whenIdle();
}

describe('sync engine', () => {
  it('mirrors every establishment by snapshot, then follows the change feed record by record', async () => {
    const { directory, client, uais } = await signedIn();
    const first = await client.service.run();
    expect(first.runs.map((r) => r.outcome)).toEqual(uais.map(() => 'success'));
    expectMirrorEqualsDirectory(client.db, directory, uais);
    for (const run of first.runs) expect(run.totals?.match).toBe(true);

    directory.advance(20); // activations, identity changes, arrivals, departures, deletions
    const second = await client.service.run();
    expect(second.runs.every((r) => r.mode === 'delta' && r.outcome === 'success')).toBe(true);
    expect(second.runs.reduce((n, r) => n + r.recordsApplied, 0)).toBeGreaterThan(0);
    expectMirrorEqualsDirectory(client.db, directory, uais);

    const status = client.service.status();
    expect(status.establishments.map((e) => e.uai)).toEqual(uais);
    for (const e of status.establishments) {
      expect(e.hasCursor).toBe(true);
      expect(e.counts.match).toBe(true);
      expect(e.lastError).toBeNull();
    }
    expect(status.history.length).toBeGreaterThanOrEqual(uais.length * 2);
  });

  it('keeps deleted records as tombstones that an older upsert cannot resurrect', async () => {
    const { directory, client, uais } = await signedIn();
    await client.service.run();
    directory.advance(60);
    await client.service.run();
    const tombstones = client.db.prepare('SELECT count(*) FROM dir_links WHERE deleted = 1').pluck().get() as number;
    const deleted = directory.store.db.prepare('SELECT count(*) FROM records WHERE deleted = 1').pluck().get() as number;
    expect(deleted).toBeGreaterThan(0);
    expect(tombstones + (client.db.prepare('SELECT count(*) FROM dir_accounts WHERE deleted = 1').pluck().get() as number)).toBeGreaterThan(0);
    const tomb = client.db.prepare('SELECT id, version, uai FROM dir_links WHERE deleted = 1 LIMIT 1').get() as
      | { id: string; version: number; uai: string }
      | undefined;
    if (tomb) {
      client.service.engine.mirror.write(tomb.uai, { type: 'link', id: tomb.id, version: tomb.version - 1, seq: 1, data: '{"stale":true}' });
      expect(client.db.prepare('SELECT deleted FROM dir_links WHERE id = ?').pluck().get(tomb.id)).toBe(1);
    }
    expectMirrorEqualsDirectory(client.db, directory, uais);
  });

  it('resyncs after an expired cursor, keeping the outbox and tables outside the mirror', async () => {
    const { directory, client, uais } = await signedIn();
    await client.service.run();
    const uai = uais[0]!;
    const account = client.db.prepare('SELECT id, version FROM dir_accounts WHERE uai = ? AND deleted = 0 LIMIT 1').get(uai) as {
      id: string;
      version: number;
    };
    client.db.transaction(() => {
      client.db.prepare("INSERT INTO settings (key, value) VALUES ('review.decision.x', '\"accepted\"')").run();
      enqueue(client.db, { uai, request: { kind: 'account.unlock', targetId: account.id, payload: {} }, ifMatch: account.version });
    })();

    await fetch(`${directory.url}/admin/expire-cursors`, { method: 'POST', headers: { Authorization: `Bearer ${directory.adminToken}` } });
    directory.advance(5);
    const result = await client.service.engine.run(uai);
    expect(result.outcome).toBe('success');
    expect(result.mode).toBe('resync');
    expectMirrorEqualsDirectory(client.db, directory, [uai]);
    expect(listOutbox(client.db, { uais: [uai] }).map((i) => i.state)).toEqual(['pending']);
    expect(client.db.prepare("SELECT value FROM settings WHERE key = 'review.decision.x'").pluck().get()).toBe('"accepted"');
    expect(client.db.prepare('SELECT count(*) FROM dir_staging').pluck().get()).toBe(0);
  });

  it('repairs a mirror that drifted from the directory (count mismatch → resync)', async () => {
    const { directory, client, uais } = await signedIn();
    await client.service.run();
    const uai = uais[0]!;
    // Simulate a lost delete and a ghost: local damage the change feed alone would never fix.
    client.db.prepare('DELETE FROM dir_pupils WHERE id = (SELECT id FROM dir_pupils WHERE uai = ? LIMIT 1)').run(uai);
    client.db
      .prepare("INSERT INTO dir_guardians (id, uai, version, data) VALUES ('ghost', ?, 1, '{\"lastName\":\"Fantôme\"}')")
      .run(uai);
    const notices: string[] = [];
    client.events.subscribe((event, payload) => {
      if (event === 'system.notice') notices.push((payload as { message: string }).message);
    });
    const result = await client.service.engine.run(uai);
    expect(result.repaired).toBe(true);
    expect(result.totals?.match).toBe(true);
    expect(notices.some((m) => m.includes('Écart'))).toBe(true);
    expectMirrorEqualsDirectory(client.db, directory, [uai]);
    expect(client.db.prepare("SELECT deleted FROM dir_guardians WHERE id = 'ghost'").pluck().get()).toBe(1);
  });

  it('keeps fields it does not know, and reports progress and state as events', async () => {
    directory = await startDirectory();
    const op = operator(directory);
    const uai = op.uais[0]!;
    directory.store.transaction(() => {
      const row = directory!.store.db.prepare("SELECT id FROM records WHERE uai = ? AND type = 'pupil' LIMIT 1").pluck().get(uai) as string;
      const data = JSON.parse(directory!.store.db.prepare("SELECT data FROM records WHERE uai = ? AND type = 'pupil' AND id = ?").pluck().get(uai, row) as string);
      directory!.store.put(uai, 'pupil', row, { ...data, futureField: { nested: [1, 2] } });
    });
    client = openClient(directory, { pageLimit: 40 });
    const events: { event: string; payload: unknown }[] = [];
    client.events.subscribe((event, payload) => events.push({ event, payload }));
    await client.service.signIn(op.login, op.password);
    await waitIdle(client);
    client.service.scheduler.stop();
    events.length = 0;
    directory.advance(3);
    await client.service.run(uai);
    const kept = client.db.prepare("SELECT count(*) FROM dir_pupils WHERE json_extract(data, '$.futureField.nested[1]') = 2").pluck().get();
    expect(kept).toBe(1);
    const progress = events.filter((e) => e.event === 'job.progress').map((e) => e.payload as { done: number; state: string; kind: string });
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.every((p) => p.kind === 'sync')).toBe(true);
    expect(progress.at(-1)?.state).toBe('done');
    const states = events.filter((e) => e.event === 'sync.state').map((e) => (e.payload as { state: string }).state);
    expect(states).toContain('running');
    expect(states.at(-1)).toBe('idle');
  });
});
