/**
 * The outbox against the real demo directory: refused items never block later ones, 412 stores the conflict,
 * offline mutations reach the directory exactly once, in-flight items survive a crash, a 401 mid-run refreshes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoDirectory, type DemoDirectory } from '../../electron/demo-directory/server';
import { enqueue, getOutboxRow, listOutbox, recoverInFlight } from '../../electron/core/directory/outbox';
import type { MutationRequest } from '../../shared/directory/wire';
import { expectMirrorEqualsDirectory, openClient, operator, startDirectory, type Client } from './sync-helpers';

let directory: DemoDirectory | null = null;
let clients: Client[] = [];
let dirs: string[] = [];

afterEach(async () => {
  for (const c of clients) await c.close();
  await directory?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  clients = [];
  dirs = [];
  directory = null;
});

async function signedInClient(dir: DemoDirectory, options: Parameters<typeof openClient>[1] = {}, login = 'multi.demo'): Promise<Client> {
  const c = openClient(dir, options);
  clients.push(c);
  const op = operator(dir, login);
  await c.service.signIn(op.login, op.password);
  await c.service.scheduler.whenIdle();
  c.service.scheduler.stop();
  return c;
}

interface AccountRow {
  id: string;
  uai: string;
  version: number;
  state: string;
}

function accounts(c: Client, where: string): AccountRow[] {
  return c.db.prepare(`SELECT id, uai, version, state FROM dir_accounts WHERE deleted = 0 AND ${where} ORDER BY id`).all() as AccountRow[];
}

function queue(c: Client, uai: string, request: MutationRequest, ifMatch: number | null): number {
  return c.db.transaction(() => enqueue(c.db, { uai, request, ifMatch }).id)();
}

const directoryVersion = (dir: DemoDirectory, id: string): number =>
  dir.store.db.prepare("SELECT version FROM records WHERE type = 'account' AND id = ?").pluck().get(id) as number;

describe('outbox', () => {
  it('enqueue refuses to run outside the transaction of the local change', async () => {
    directory = await startDirectory();
    const c = openClient(directory);
    clients.push(c);
    expect(() =>
      enqueue(c.db, { uai: '0000000A', request: { kind: 'account.unlock', targetId: 'x', payload: {} }, ifMatch: 1 }),
    ).toThrow(/inside the transaction/);
  });

  it('marks an always-refused mutation failed without blocking the ones after it', async () => {
    directory = await startDirectory();
    const c = await signedInClient(directory);
    const [notLocked] = accounts(c, "state = 'active'");
    const [other, third] = accounts(c, "state IN ('non_notifie', 'notifie')");
    const refused = queue(c, notLocked!.uai, { kind: 'account.unlock', targetId: notLocked!.id, payload: {} }, notLocked!.version);
    const ok1 = queue(c, other!.uai, { kind: 'contact.update', targetId: other!.id, payload: { email: 'parent.test@example.fr' } }, other!.version);
    const ok2 = queue(c, third!.uai, { kind: 'account.resetPassword', targetId: third!.id, payload: {} }, third!.version);

    const result = await c.service.run();
    expect(result.outbox).toMatchObject({ sent: 2, failed: 1, conflicts: 0, pending: 0 });
    expect(getOutboxRow(c.db, refused)?.state).toBe('failed');
    expect(getOutboxRow(c.db, refused)?.last_error).toMatch(/bloqué/);
    expect(getOutboxRow(c.db, ok1)?.state).toBe('done');
    expect(getOutboxRow(c.db, ok2)?.state).toBe('done');
    // The temporary password is never written to the database.
    expect(getOutboxRow(c.db, ok2)?.result).not.toMatch(/temporaryPassword/);
    // The confirmed records are in the mirror, and the mirror equals the directory.
    expect(c.db.prepare("SELECT json_extract(data, '$.email') FROM dir_accounts WHERE id = ?").pluck().get(other!.id)).toBe('parent.test@example.fr');
    expectMirrorEqualsDirectory(c.db, directory, operator(directory).uais);

    // Still failed after another run: a refused item is not resent by itself.
    await c.service.run();
    expect(getOutboxRow(c.db, refused)?.attempts).toBe(1);
  });

  it('stores the directory’s current record on 412 and resends against it on retry', async () => {
    directory = await startDirectory();
    const c = await signedInClient(directory);
    const [target] = accounts(c, "state IN ('non_notifie', 'notifie')");
    const stale = queue(c, target!.uai, { kind: 'contact.update', targetId: target!.id, payload: { mobile: '0612345678' } }, target!.version - 1 || 99);
    await c.service.run();
    const row = getOutboxRow(c.db, stale)!;
    expect(row.state).toBe('conflict');
    expect(JSON.parse(row.result!)).toMatchObject({ id: target!.id, version: target!.version });
    const [item] = c.service.handlers()['outbox.list']({ states: ['conflict'] }, { transport: 'internal', operator: null, uais: c.service.operator!.uais, audit: () => undefined }) as ReturnType<typeof listOutbox>;
    expect(item?.id).toBe(stale);

    await c.service.handlers()['outbox.retry']({ id: stale }, { transport: 'internal', operator: null, uais: c.service.operator!.uais, audit: () => undefined });
    await c.service.scheduler.whenIdle();
    await c.service.run();
    expect(getOutboxRow(c.db, stale)?.state).toBe('done');
    expect(directoryVersion(directory, target!.id)).toBe(target!.version + 1);
  });

  it('delivers mutations made offline exactly once when the directory is back', { timeout: 60_000 }, async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ecd-demo-'));
    dirs.push(folder);
    const dataFile = join(folder, 'directory.sqlite');
    const options = { dataFile, seed: 7, establishments: 2, pupils: 60, today: '2025-10-01' };
    directory = await createDemoDirectory(options);
    const port = Number(new URL(directory.url).port);
    const c = await signedInClient(directory, { timeoutMs: 1000 });
    const targets = accounts(c, "state IN ('non_notifie', 'notifie', 'active')").slice(0, 5);
    await directory.close();
    directory = null;

    const ids = targets.map((t, i) =>
      queue(c, t.uai, { kind: 'contact.update', targetId: t.id, payload: { email: `hors.ligne.${i}@example.fr` } }, t.version),
    );
    const offline = await c.service.run();
    expect(offline.outbox.sent).toBe(0);
    expect(offline.outbox.pending).toBe(5);
    expect(c.service.status().online).toBe(false);
    expect(c.service.status().establishments.every((e) => e.state === 'offline')).toBe(true);
    expect(listOutbox(c.db, { uais: c.service.operator!.uais }).every((i) => i.state === 'pending')).toBe(true);

    // Back online, on a flaky link: half the answers are lost after the directory applied the mutation.
    directory = await createDemoDirectory({ ...options, port, faults: 'drop=0.5' });
    await new Promise((r) => setTimeout(r, 1100)); // past the backoff of the failed attempt
    const op = operator(directory);
    // The demo directory keeps no session across a restart: the operator signs in again (retrying lost answers).
    for (let attempt = 0; ; attempt++) {
      try {
        await c.service.signIn(op.login, op.password);
        break;
      } catch (error) {
        if (attempt > 10) throw error;
      }
    }
    await c.service.scheduler.whenIdle();
    for (let i = 0; i < 10 && listOutbox(c.db, { uais: c.service.operator!.uais, states: ['pending'] }).length > 0; i++) {
      await new Promise((r) => setTimeout(r, 300));
      await c.service.run();
    }
    expect(ids.map((id) => getOutboxRow(c.db, id)?.state)).toEqual(ids.map(() => 'done'));
    for (const [i, t] of targets.entries()) {
      expect(directoryVersion(directory, t.id), `${t.id} applied once`).toBe(t.version + 1);
      const data = JSON.parse(directory.store.db.prepare("SELECT data FROM records WHERE type = 'account' AND id = ?").pluck().get(t.id) as string);
      expect(data.email).toBe(`hors.ligne.${i}@example.fr`);
    }
    directory.setFaults('');
    await c.service.run();
    expectMirrorEqualsDirectory(c.db, directory, op.uais);
  });

  it('puts in-flight items back in the queue at start-up; the resend is applied once', async () => {
    directory = await startDirectory();
    const c = await signedInClient(directory);
    const [t] = accounts(c, "state IN ('non_notifie', 'notifie')");
    const id = queue(c, t!.uai, { kind: 'contact.update', targetId: t!.id, payload: { email: 'crash@example.fr' } }, t!.version);
    // The app sent it and crashed before marking it done.
    const row = getOutboxRow(c.db, id)!;
    c.db.prepare("UPDATE outbox SET state = 'in_flight', attempts = 1 WHERE id = ?").run(id);
    const client = await c.service.ensureClient();
    await client.mutate(row.uai, { kind: 'contact.update', targetId: t!.id, payload: { email: 'crash@example.fr' } }, {
      idempotencyKey: row.idempotency_key,
      ifMatch: row.if_match,
    });
    expect(recoverInFlight(c.db)).toBe(1);
    await c.service.run();
    expect(getOutboxRow(c.db, id)?.state).toBe('done');
    expect(directoryVersion(directory, t!.id)).toBe(t!.version + 1);
  });

  it('refreshes an expired token in the middle of a run', { timeout: 30_000 }, async () => {
    directory = await startDirectory({ tokenTtl: 1 });
    const c = await signedInClient(directory);
    await new Promise((r) => setTimeout(r, 1200));
    directory.advance(3);
    const [t] = accounts(c, "state IN ('non_notifie', 'notifie')");
    queue(c, t!.uai, { kind: 'contact.update', targetId: t!.id, payload: { mobile: '0698765432' } }, t!.version);
    const result = await c.service.run();
    expect(result.outbox.sent).toBe(1);
    expect(result.runs.every((r) => r.outcome === 'success')).toBe(true);
    expect(c.service.operator).not.toBeNull();
  });
});
