/**
 * Delegations, establishment settings (through the outbox to a real demo directory) and the end-of-year rollover,
 * through the real dispatcher.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import type { DemoDirectory } from '../../electron/demo-directory/server';
import type { ApiError } from '../../shared/api/errors';
import { tempDir } from '../helpers/temp';
import { FAST_RETRY, operator, startDirectory } from './sync-helpers';

const origin = { transport: 'internal' as const };
let directory: DemoDirectory;
let core: Core;
let uai: string;
const data = tempDir('ecd-admin-');

beforeAll(async () => {
  directory = await startDirectory({ establishments: 1, pupils: 40 });
  core = createCore({
    dataDir: data.path,
    directory: directory.url,
    appVersion: '0.0.0-test',
    host: 'browser',
    sync: { retry: FAST_RETRY, log: () => undefined, probeMs: 60_000 },
    auth: { failureDelayMs: 0 },
  });
  uai = operator(directory, 'chef.demo').uais[0]!;
});

afterAll(async () => {
  await core.shutdown();
  await directory.close();
  data.remove();
});

async function as(login: string): Promise<void> {
  core.governance.auth.signOut();
  await core.governance.auth.signIn(login, operator(directory, login).password);
}

const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as ApiError);

describe('delegations', () => {
  it('grants until 31 August by default, replaces, revokes, keeps history; rights follow at once', async () => {
    await as('delegue.demo'); // known on this workstation from now on
    expect((await refusal(core.dispatcher.call('delegations.list', { uai }, origin)))?.code).toBe('FORBIDDEN');
    await as('chef.demo');
    const listed = await core.dispatcher.call('delegations.list', { uai }, origin);
    expect(listed.defaultEndsOn).toMatch(/^\d{4}-08-31$/);
    expect(listed.operators.map((o) => o.login)).toContain('delegue.demo');

    const first = await core.dispatcher.call('delegations.grant', { uai, login: 'delegue.demo', rights: ['letters'] }, origin);
    expect(first).toMatchObject({ status: 'active', endsOn: listed.defaultEndsOn, grantedBy: 'chef.demo', displayName: expect.any(String) });
    const second = await core.dispatcher.call('delegations.grant', { uai, login: 'delegue.demo', rights: ['guardianAccounts', 'statistics'] }, origin);
    const history = (await core.dispatcher.call('delegations.list', { uai }, origin)).items;
    expect(history.map((d) => [d.id, d.status])).toEqual([
      [second.id, 'active'],
      [first.id, 'revoked'],
    ]);

    await as('delegue.demo');
    expect([...Object.values(core.governance.auth.contextOperator()!.delegated)[0]!].sort()).toEqual(['guardianAccounts', 'statistics']);
    await as('chef.demo');
    await core.dispatcher.call('delegations.revoke', { id: second.id, reason: 'Changement de mission' }, origin);
    await as('delegue.demo');
    expect(core.governance.auth.contextOperator()!.delegated).toEqual({});

    await as('chef.demo');
    const bad = await refusal(core.dispatcher.call('delegations.grant', { uai, login: 'secretariat.demo', rights: ['letters'] }, origin));
    expect(bad).toBeNull(); // never signed in here: unknown role, allowed
    await as('secretariat.demo');
    await as('chef.demo');
    const refused = await refusal(core.dispatcher.call('delegations.grant', { uai, login: 'secretariat.demo', rights: ['letters'] }, origin));
    expect(refused?.code).toBe('INVALID_INPUT');
    expect(refused?.message).toMatch(/seul un opérateur délégué/);
    const past = await refusal(core.dispatcher.call('delegations.grant', { uai, login: 'delegue.demo', rights: ['letters'], endsOn: '2001-01-01' }, origin));
    expect(past?.message).toMatch(/aujourd’hui ou plus tard/);
    const audit = await core.dispatcher.call('audit.list', { method: 'delegations.' }, origin);
    expect(audit.items.some((e) => e.method === 'delegations.revoke' && e.reason === 'Changement de mission')).toBe(true);
  });
});

describe('establishment settings', () => {
  it('changes the settings locally, sends them through the outbox, and the directory gets them', { timeout: 60_000 }, async () => {
    await as('chef.demo');
    await core.dispatcher.call('sync.run', { uai }, origin);
    const before = await core.dispatcher.call('settings.get', { uai }, origin);
    expect(before.establishment).not.toBeNull();
    expect(before.local).toEqual({
      syncIntervalMinutes: 15,
      inactivityMinutes: 10,
      offlineSignInDays: 30,
      auditRetentionDays: 365,
      pupilRetentionDays: 90,
      updatesEnabled: false,
      updateServerUrl: null,
    });

    const updated = await core.dispatcher.call(
      'settings.update',
      { uai, patch: { letterHeader: 'Collège de test — secrétariat', services: ['certificat_scolarite', 'bourses'], directCommunication: false } },
      origin,
    );
    expect(updated.establishment?.letterHeader).toBe('Collège de test — secrétariat');
    const outbox = await core.dispatcher.call('outbox.list', { uai }, origin);
    expect(outbox.some((i) => i.kind === 'settings.update')).toBe(true);

    await core.dispatcher.call('sync.run', { uai }, origin);
    const record = directory.store.db
      .prepare("SELECT data FROM records WHERE uai = ? AND type = 'settings' AND deleted = 0")
      .pluck()
      .get(uai) as string;
    expect(JSON.parse(record)).toMatchObject({ letterHeader: 'Collège de test — secrétariat', services: ['certificat_scolarite', 'bourses'], directCommunication: false });
    expect((await core.dispatcher.call('settings.get', { uai }, origin)).pending).toBe(false);

    const local = await core.dispatcher.call('settings.updateLocal', { uai, patch: { inactivityMinutes: 5, syncIntervalMinutes: 30 } }, origin);
    expect(local.local.inactivityMinutes).toBe(5);
    expect((await core.dispatcher.call('sync.status', {}, origin)).intervalMinutes).toBe(30);
    expect((await core.dispatcher.call('auth.status', {}, origin)).inactivityMinutes).toBe(5);

    const bad = await refusal(core.dispatcher.call('settings.update', { uai, patch: { services: ['inconnu'] } } as never, origin));
    expect(bad?.code).toBe('INVALID_INPUT');
    await as('secretariat.demo');
    expect((await refusal(core.dispatcher.call('settings.update', { uai, patch: { letterHeader: 'x' } }, origin)))?.code).toBe('FORBIDDEN');
    const refusedEntry = core.governance.trail.list({ method: 'settings.update', outcome: 'refused' }, null).items[0];
    expect(refusedEntry).toMatchObject({ operator: 'secretariat.demo', errorCode: 'FORBIDDEN' });
  });
});

describe('end-of-year rollover', () => {
  it('deletes exactly what the preview listed, re-anchors the audit chain, ends delegations', { timeout: 60_000 }, async () => {
    await as('chef.demo');
    await core.dispatcher.call('sync.run', { uai }, origin);
    // Two pupils who left long ago, and old audit entries (written through the trail itself, so the chain holds).
    const ids = core.db.prepare('SELECT id FROM dir_pupils WHERE uai = ? AND deleted = 0 ORDER BY id LIMIT 2').pluck().all(uai) as string[];
    for (const id of ids) {
      core.db.prepare("UPDATE dir_pupils SET data = json_set(data, '$.leftDate', '2020-06-30') WHERE id = ?").run(id);
    }
    for (let i = 0; i < 3; i++) {
      core.governance.trail.record({ method: 'settings.update', operator: null, at: new Date(Date.UTC(2020, 0, 1 + i)), transport: 'internal', details: [], outcome: 'ok', errorCode: null });
    }
    await core.dispatcher.call('delegations.grant', { uai, login: 'delegue.demo', rights: ['letters'] }, origin);

    const preview = await core.dispatcher.call('rollover.preview', { uai }, origin);
    expect(preview.pupils.map((p) => p.id)).toEqual(ids);
    expect(preview.related.accounts).toBeGreaterThan(0);
    expect(preview.audit.count).toBeGreaterThanOrEqual(3);
    expect(preview.delegations.length).toBeGreaterThan(0);

    const countsBefore = {
      pupils: core.db.prepare('SELECT COUNT(*) FROM dir_pupils').pluck().get() as number,
      audit: (await core.dispatcher.call('audit.verify', {}, origin)).entries,
    };
    const stale = await refusal(core.dispatcher.call('rollover.run', { uai, planId: 'périmé' }, origin));
    expect(stale?.code).toBe('CONFLICT');

    const result = await core.dispatcher.call('rollover.run', { uai, planId: preview.planId }, origin);
    expect(result).toMatchObject({ pupilsDeleted: 2, auditDeleted: preview.audit.count, delegationsEnded: preview.delegations.length });
    expect(result.relatedDeleted).toBe(preview.related.accounts + preview.related.links + preview.related.identityChanges);
    expect(core.db.prepare('SELECT COUNT(*) FROM dir_pupils').pluck().get()).toBe(countsBefore.pupils - 2);
    expect(core.db.prepare('SELECT COUNT(*) FROM dir_pupils WHERE id IN (?, ?)').pluck().get(...ids)).toBe(0);
    const verify = await core.dispatcher.call('audit.verify', {}, origin);
    expect(verify.ok).toBe(true);
    expect(verify.purged).toBe(preview.audit.count);
    // The failed attempt (before the purge) and the run itself were recorded after the cut-off, so the trail grew.
    expect(verify.entries).toBe(countsBefore.audit - preview.audit.count + 2);
    expect((await core.dispatcher.call('delegations.list', { uai }, origin)).items.every((d) => d.status === 'revoked')).toBe(true);
    expect(Object.keys(result.archivedStatistics).length).toBeGreaterThan(0);

    const again = await core.dispatcher.call('rollover.preview', { uai }, origin);
    expect(again.pupils).toEqual([]);
    expect(again.delegations).toEqual([]);
  });
});
