/**
 * One logical mutation, one Idempotency-Key: retries inside the client (a password reset an operator waits on) and
 * across outbox send attempts reuse the key after 408, 429 (Retry-After honoured), 5xx and lost answers, so the
 * directory applies the change once. And a reset the directory answers without a password is refused, never printed.
 * The peer is the real demo directory; its `next=` fault script gives each attempt an exact fault.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpDirectoryClient } from '../../electron/core/directory/client';
import { enqueue, getOutboxRow, OutboxSender, retryItem } from '../../electron/core/directory/outbox';
import type { DemoDirectory } from '../../electron/demo-directory/server';
import type { BulkResetReport } from '../../shared/api/methods/accounts';
import type { AccountData } from '../../shared/directory/wire';
import { openAccountsEnv, type AccountsEnv } from './accounts-helpers';
import { FAST_RETRY, operator } from './sync-helpers';

let env: AccountsEnv;
let uai: string;
const used = new Set<string>();

beforeAll(async () => {
  env = await openAccountsEnv({ pupils: 120, establishments: 1 });
  uai = env.uais[0]!;
}, 60_000);

afterAll(async () => {
  await env?.close();
});

/** A fresh account in `state` each time, so the tests do not depend on each other. */
function account(state: string, kind: 'pupil' | 'guardian' = 'pupil'): { id: string; personId: string; version: number } {
  const rows = env.db
    .prepare('SELECT id, version, data FROM dir_accounts WHERE uai = ? AND person_kind = ? AND state = ? AND deleted = 0 ORDER BY id')
    .all(uai, kind, state) as { id: string; version: number; data: string }[];
  const row = rows.find((r) => !used.has(r.id));
  if (!row) throw new Error(`no unused ${kind} account in state ${state}`);
  used.add(row.id);
  return { id: row.id, version: row.version, personId: (JSON.parse(row.data) as AccountData).personId };
}

const directoryVersion = (directory: DemoDirectory, id: string): number =>
  directory.store.db.prepare("SELECT version FROM records WHERE type = 'account' AND id = ?").pluck().get(id) as number;

/** The mutation requests the directory received since `from` (an index into its log). */
const requestsSince = (from: number) => env.directory.mutationRequests().slice(from);

describe('a retried mutation keeps its Idempotency-Key', () => {
  it('inside the client: after 429, 408 and a lost answer, one key, applied once, Retry-After honoured', async () => {
    const target = account('notifie');
    const lines: string[] = [];
    const client = new HttpDirectoryClient({ baseUrl: env.directory.url, retry: FAST_RETRY, log: (line) => lines.push(line) });
    const op = operator(env.directory, 'multi.demo');
    await client.signIn(op.login, op.password);
    const from = env.directory.mutationRequests().length;
    env.directory.setFaults('next=429+408+drop');

    const response = await client.mutate(
      uai,
      { kind: 'contact.update', targetId: target.id, payload: { email: 'reessai@example.fr' } },
      { idempotencyKey: 'key-client-1', ifMatch: target.version, retry: true },
    );

    expect(response.record).toMatchObject({ id: target.id, version: target.version + 1 });
    const seen = requestsSince(from);
    expect(seen.map((r) => r.fault)).toEqual(['429', '408', 'drop', null]);
    expect(new Set(seen.map((r) => r.idempotencyKey))).toEqual(new Set(['key-client-1']));
    // The drop came after the change was applied: the last attempt got the stored answer, not a second change.
    expect(seen.at(-1)).toMatchObject({ status: 200, replayed: true });
    expect(directoryVersion(env.directory, target.id)).toBe(target.version + 1);
    // The 429's Retry-After: 1 is waited for in full, not shortened to the policy's 5 ms base.
    const delays = lines.map((line) => /(\w+) \((\d+)\).*retry \d+ in (\d+) ms under the same Idempotency-Key/.exec(line)).filter((m) => m !== null);
    expect(delays.map((m) => m[2])).toEqual(['429', '408']);
    expect(Number(delays[0]![3])).toBeGreaterThanOrEqual(1000);
  });

  it('a password reset the operator waits on: 429/408 are retried under one key; a lost answer is replaced by a new reset', async () => {
    const target = account('notifie');
    const from = env.directory.mutationRequests().length;
    env.directory.setFaults('next=429+408+drop');

    const result = await env.call<{ login: string; temporaryPassword: string }>('accounts.resetPassword', { kind: 'pupil', uai, id: target.personId });

    const seen = requestsSince(from);
    // 429 and 408 change nothing; the third attempt is applied but its answer lost; its replay under the same key is
    // refused (the directory never hands a password out twice), so the client resets once more under a new key.
    expect(seen.map((r) => [r.fault, r.status, r.replayed])).toEqual([
      ['429', 429, false],
      ['408', 408, false],
      ['drop', 200, false],
      [null, 409, true],
      [null, 200, false],
    ]);
    const keys = seen.map((r) => r.idempotencyKey);
    expect(new Set(keys.slice(0, 4)).size).toBe(1);
    expect(keys[4]).not.toBe(keys[0]);
    expect(directoryVersion(env.directory, target.id)).toBe(target.version + 2);
    // The password printed is the last reset's; the directory kept it nowhere.
    expect(result.temporaryPassword).toMatch(/^\S{8,}$/);
    for (const key of new Set(keys)) expect(env.directory.store.storedResponse(key!)!.body).not.toContain(result.temporaryPassword);
  });

  it('across outbox send attempts: one key after 408, 429 and a lost answer; the next attempt waits for Retry-After', async () => {
    const target = account('non_notifie', 'guardian');
    const client = await env.service.ensureClient();
    let clock = Date.parse('2026-01-05T08:00:00.000Z');
    const sender = new OutboxSender({ db: env.db, client: () => client, mirror: env.service.engine.mirror, retry: FAST_RETRY, now: () => new Date(clock), log: () => undefined });
    const id = env.db.transaction(() =>
      enqueue(env.db, { uai, request: { kind: 'contact.update', targetId: target.id, payload: { mobile: '0611223344' } }, ifMatch: target.version }, new Date(clock)).id,
    )();
    const key = getOutboxRow(env.db, id)!.idempotency_key;
    const from = env.directory.mutationRequests().length;
    env.directory.setFaults('next=408+429+drop');

    const states: string[] = [];
    for (let attempt = 0; attempt < 5 && getOutboxRow(env.db, id)!.state !== 'done'; attempt++) {
      const before = getOutboxRow(env.db, id)!;
      if (before.next_attempt_at) clock = Math.max(clock, Date.parse(before.next_attempt_at));
      await sender.flush([uai]);
      const after = getOutboxRow(env.db, id)!;
      states.push(`${after.state}:${after.last_status ?? '-'}`);
      if (after.last_status === 429) expect(Date.parse(after.next_attempt_at!) - clock).toBeGreaterThanOrEqual(1000);
    }

    expect(states).toEqual(['pending:408', 'pending:429', 'pending:-', 'done:200']);
    const seen = requestsSince(from);
    expect(seen.map((r) => r.fault)).toEqual(['408', '429', 'drop', null]);
    expect(seen.every((r) => r.idempotencyKey === key)).toBe(true);
    expect(directoryVersion(env.directory, target.id)).toBe(target.version + 1);
  });

  it('an outbox item that gave up on 408/429 keeps its key when sent again by hand', async () => {
    const target = account('non_notifie', 'guardian');
    const client = await env.service.ensureClient();
    let clock = Date.parse('2026-01-06T08:00:00.000Z');
    const sender = new OutboxSender({ db: env.db, client: () => client, mirror: env.service.engine.mirror, retry: FAST_RETRY, maxAttempts: 2, now: () => new Date(clock), log: () => undefined });
    const id = env.db.transaction(() =>
      enqueue(env.db, { uai, request: { kind: 'contact.update', targetId: target.id, payload: { email: 'abandon@example.fr' } }, ifMatch: target.version }, new Date(clock)).id,
    )();
    const key = getOutboxRow(env.db, id)!.idempotency_key;
    const from = env.directory.mutationRequests().length;
    env.directory.setFaults('next=408+429');

    await sender.flush([uai]);
    clock = Date.parse(getOutboxRow(env.db, id)!.next_attempt_at!);
    await sender.flush([uai]);
    expect(getOutboxRow(env.db, id)).toMatchObject({ state: 'failed', last_status: 429 });

    retryItem(env.db, id, new Date(clock));
    expect(getOutboxRow(env.db, id)!.idempotency_key).toBe(key);
    await sender.flush([uai]);
    expect(getOutboxRow(env.db, id)!.state).toBe('done');
    expect(requestsSince(from).map((r) => [r.fault, r.idempotencyKey])).toEqual([
      ['408', key],
      ['429', key],
      [null, key],
    ]);
    expect(directoryVersion(env.directory, target.id)).toBe(target.version + 1);
  });
});

describe('a password reset answered without a password', () => {
  for (const fault of ['nopassword', 'blankpassword'] as const) {
    it(`is refused with a French message and code, nothing printed (${fault})`, async () => {
      const target = account('notifie');
      const actions = env.db.prepare('SELECT count(*) FROM acc_actions').pluck().get() as number;
      env.directory.setFaults(`next=${fault}`);
      await expect(env.call('accounts.resetPassword', { kind: 'pupil', uai, id: target.personId })).rejects.toMatchObject({
        code: 'INTERNAL',
        message: expect.stringContaining('n’a pas transmis le mot de passe provisoire'),
        details: { directoryCode: 'MISSING_TEMPORARY_PASSWORD' },
      });
      // Not retried (a resend under the key would get the same stored answer), no local action recorded as done.
      expect(env.directory.mutationRequests().at(-1)).toMatchObject({ fault, status: 200 });
      expect(env.db.prepare('SELECT count(*) FROM acc_actions').pluck().get()).toBe(actions);
      expect(env.audits.at(-1)).toMatchObject({ method: 'accounts.resetPassword', outcome: 'error', errorCode: 'INTERNAL', details: [{ uai }] });
    });
  }

  it('in bulk, the row is refused and no credential slip is made for it', async () => {
    const [first, second] = [account('notifie'), account('notifie')];
    env.directory.setFaults('next=blankpassword');
    const report = await env.call<BulkResetReport>('accounts.bulkResetPassword', { jobId: 'nopass', kind: 'pupil', uai, ids: [first.personId, second.personId] });
    expect(report.rows.map((r) => r.outcome)).toEqual(['refused', 'done']);
    expect(report.rows[0]!.message).toContain('n’a pas transmis le mot de passe provisoire');
    expect(report.credentials.map((c) => c.id)).toEqual([second.personId]);
    expect(report.credentials[0]!.temporaryPassword).toMatch(/^\S{8,}$/);
  });
});
