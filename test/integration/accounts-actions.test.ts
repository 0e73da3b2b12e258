/**
 * Account actions through the real dispatcher, the outbox and the demo directory: pending until the directory
 * confirms, audited, refused with French messages and nothing written on bad input, conflicts kept visible, the
 * temporary password never stored, bulk reports and cancellation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDetail, AccountRow, BulkReport, BulkResetReport } from '../../shared/api/methods/accounts';
import type { AccountData, LinkData } from '../../shared/directory/wire';
import { openAccountsEnv, type AccountsEnv } from './accounts-helpers';

let env: AccountsEnv;
let uai: string;

beforeAll(async () => {
  env = await openAccountsEnv({ pupils: 300 });
  uai = env.uais[0]!;
  // The lists' first read builds the projection in the write worker; built now, a read right after an action answers
  // before the outbox (kicked by the action) has had time to confirm it.
  for (const kind of ['pupil', 'guardian'] as const) await env.call('accounts.ids', { kind, uai });
}, 60_000);

afterAll(async () => {
  await env?.close();
});

const outboxCount = () => env.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;

function accountsIn(state: string, kind: 'pupil' | 'guardian' = 'guardian'): { personId: string; id: string; data: AccountData }[] {
  return (
    env.db
      .prepare('SELECT id, data FROM dir_accounts WHERE uai = ? AND person_kind = ? AND state = ? AND deleted = 0 ORDER BY id')
      .all(uai, kind, state) as { id: string; data: string }[]
  ).map((r) => {
    const data = JSON.parse(r.data) as AccountData;
    return { id: r.id, personId: data.personId, data };
  });
}

const detail = (kind: 'pupil' | 'guardian', id: string) => env.call<AccountDetail>('accounts.get', { kind, uai, id });

async function row(kind: 'pupil' | 'guardian', id: string): Promise<AccountRow> {
  const ids = await env.call<{ ids: string[] }>('accounts.ids', { kind, uai });
  const index = ids.ids.indexOf(id);
  const page = await env.call<{ rows: AccountRow[] }>('accounts.search', { kind, uai, offset: index, limit: 1 });
  return page.rows[0]!;
}

describe('account actions', () => {
  it('unlock: pending (outbox + audit) until the directory confirms, then confirmed after a sync', async () => {
    const locked = accountsIn('bloque')[0]!;
    expect(locked, 'the demo data has a locked guardian').toBeDefined();
    const result = await env.call<{ outboxId: number; state: string }>('accounts.unlock', { kind: 'guardian', uai, id: locked.personId });
    expect(result.state).toBe('pending');
    expect((await row('guardian', locked.personId)).pending).toBe(true);
    const before = await detail('guardian', locked.personId);
    expect(before.pending.map((p) => p.kind)).toEqual(['account.unlock']);
    const audit = env.audits.at(-1)!;
    expect(audit).toMatchObject({ method: 'accounts.unlock', outcome: 'ok', details: [{ targetId: locked.id, before: { state: 'bloque' } }] });

    await env.call('sync.run', { uai });
    const after = await detail('guardian', locked.personId);
    expect(after.pending).toEqual([]);
    expect(after.account!.state).toBe(locked.data.activatedAt ? 'active' : 'notifie');
    expect(after.history[0]).toMatchObject({ source: 'action', label: 'Déblocage du compte', outcome: 'confirmé', operator: 'multi.demo' });
    expect((await row('guardian', locked.personId)).pending).toBe(false);
    expect((await row('guardian', locked.personId)).state).toBe(after.account!.state);
  });

  it('refuses what the directory would refuse, with a French message, writing nothing', async () => {
    const active = accountsIn('active')[0]!;
    const n = outboxCount();
    await expect(env.call('accounts.unlock', { kind: 'guardian', uai, id: active.personId })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'Ce compte n’est pas bloqué.',
    });
    await expect(env.call('accounts.deactivate', { kind: 'guardian', uai, id: active.personId })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(env.call('accounts.deactivate', { kind: 'guardian', uai, id: active.personId, reason: ' ' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('Motif obligatoire'),
    });
    await expect(env.call('accounts.updateContact', { kind: 'guardian', uai, id: active.personId, email: 'pas-une-adresse' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('courriel invalide'),
    });
    await expect(env.call('accounts.updateContact', { kind: 'guardian', uai, id: active.personId, mobile: '05 61 00 00 00' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('portable invalide'),
    });
    await expect(env.call('accounts.unlock', { kind: 'guardian', uai, id: 'res-inconnu' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(outboxCount()).toBe(n);
  });

  it('deactivate then reactivate with a reason; contact edit becomes unconfirmed', async () => {
    const target = accountsIn('active').find((a) => a.data.emailConfirmed)!;
    await env.call('accounts.deactivate', { kind: 'guardian', uai, id: target.personId, reason: 'Départ de l’établissement' });
    await expect(env.call('accounts.reactivate', { kind: 'guardian', uai, id: target.personId, reason: 'Erreur' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await env.call('sync.run', { uai });
    expect((await detail('guardian', target.personId)).account!.state).toBe('desactive');
    await env.call('accounts.reactivate', { kind: 'guardian', uai, id: target.personId, reason: 'Retour dans l’établissement' });
    // One action at a time per account: the next waits for the directory's answer to the previous one.
    await expect(env.call('accounts.updateContact', { kind: 'guardian', uai, id: target.personId, email: 'a@b.fr' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('attend déjà'),
    });
    await env.call('sync.run', { uai });
    await env.call('accounts.updateContact', { kind: 'guardian', uai, id: target.personId, email: 'nouvelle@exemple.fr', mobile: '06 12 34 56 78' });
    await env.call('sync.run', { uai });
    const d = await detail('guardian', target.personId);
    expect(d.account).toMatchObject({ state: 'active', email: 'nouvelle@exemple.fr', emailConfirmed: false, mobile: '+33612345678', mobileConfirmed: false });
    expect(env.audits.filter((a) => a.method === 'accounts.deactivate').at(-1)!.details[0]!.reason).toBe('Départ de l’établissement');
  });

  it('new temporary password: online, returned once, never written to the database', async () => {
    const target = accountsIn('notifie', 'pupil')[0]!;
    const result = await env.call<{ login: string; temporaryPassword: string }>('accounts.resetPassword', { kind: 'pupil', uai, id: target.personId });
    expect(result.login).toBe(target.data.login);
    expect(result.temporaryPassword.length).toBeGreaterThanOrEqual(8);
    env.db.pragma('wal_checkpoint(PASSIVE)');
    for (const file of readdirSync(env.dataDir).filter((f) => f.startsWith('educonnect-desk.sqlite'))) {
      expect(readFileSync(join(env.dataDir, file)).includes(Buffer.from(result.temporaryPassword)), file).toBe(false);
    }
    expect(JSON.stringify(env.audits)).not.toContain(result.temporaryPassword);
    const d = await detail('pupil', target.personId);
    expect(d.account!.lettersSent).toBeGreaterThanOrEqual(1);
    expect(d.history[0]).toMatchObject({ label: 'Nouveau mot de passe provisoire', outcome: 'confirmé' });
  });

  it('bulk new temporary passwords: per-row report, credentials only in the response, one audit entry per account', async () => {
    const notified = accountsIn('notifie', 'pupil').slice(1, 4);
    const deactivated = accountsIn('desactive', 'pupil')[0]!;
    expect(deactivated, 'the demo data has a deactivated pupil').toBeDefined();
    const ids = [notified[0]!.personId, deactivated.personId, notified[1]!.personId, notified[2]!.personId];
    const seen: string[] = [];
    const off = env.events.subscribe((event, payload) => seen.push(`${event} ${JSON.stringify(payload)}`));
    const outboxBefore = outboxCount();
    const report = await env.call<BulkResetReport>('accounts.bulkResetPassword', { jobId: 'r1', kind: 'pupil', uai, ids });
    off();

    expect(report).toMatchObject({ kind: 'pupil', done: 3, refused: 1, cancelled: false, establishment: { uai } });
    expect(report.establishment.name).not.toBe('');
    expect(report.rows.map((r) => r.outcome)).toEqual(['done', 'refused', 'done', 'done']);
    expect(report.rows[1]).toMatchObject({ id: deactivated.personId, message: expect.stringContaining('réactivez-le') });
    expect(report.credentials.map((c) => c.id)).toEqual([notified[0]!.personId, notified[1]!.personId, notified[2]!.personId]);
    for (const [i, c] of report.credentials.entries()) {
      expect(c.login).toBe(notified[i]!.data.login);
      expect(c.temporaryPassword.length).toBeGreaterThanOrEqual(8);
      expect(c.letterExpiresAt).not.toBeNull();
      expect(c.displayName).toBe(report.rows.find((r) => r.id === c.id)!.displayName);
    }
    expect(new Set(report.credentials.map((c) => c.temporaryPassword)).size).toBe(3);
    expect(seen.some((e) => e.startsWith('job.progress') && e.includes('"jobId":"r1"'))).toBe(true);

    // One audit entry per account (the refused one has none), never a password.
    const audits = env.audits.filter((a) => a.method === 'accounts.bulkResetPassword');
    expect(audits.every((a) => a.outcome === 'ok')).toBe(true);
    const details = audits.flatMap((a) => a.details);
    expect(details.map((d) => d.targetId)).toEqual([notified[0]!.id, notified[1]!.id, notified[2]!.id]);
    expect(details[0]).toMatchObject({ after: { action: 'account.resetPassword', state: 'notifie' } });

    // Straight to the directory: no outbox item; the passwords reach no database file, audit entry, event or outbox row.
    expect(outboxCount()).toBe(outboxBefore);
    env.db.pragma('wal_checkpoint(PASSIVE)');
    const files = readdirSync(env.dataDir).filter((f) => f.startsWith('educonnect-desk.sqlite'));
    expect(files.length).toBeGreaterThan(0);
    const outbox = JSON.stringify(env.db.prepare('SELECT * FROM outbox').all());
    for (const { temporaryPassword } of report.credentials) {
      for (const file of files) expect(readFileSync(join(env.dataDir, file)).includes(Buffer.from(temporaryPassword)), file).toBe(false);
      expect(JSON.stringify(env.audits)).not.toContain(temporaryPassword);
      expect(seen.join('\n')).not.toContain(temporaryPassword);
      expect(outbox).not.toContain(temporaryPassword);
    }
    const d = await detail('pupil', notified[1]!.personId);
    expect(d.history[0]).toMatchObject({ label: 'Nouveau mot de passe provisoire', outcome: 'confirmé', operator: 'multi.demo' });
    expect((await detail('pupil', deactivated.personId)).account!.state).toBe('desactive');
  });

  it('bulk new temporary passwords are refused offline with a French message, nothing changed', async () => {
    const target = accountsIn('notifie', 'pupil')[6]!;
    const before = env.db.prepare('SELECT version FROM dir_accounts WHERE id = ?').pluck().get(target.id);
    const actions = env.db.prepare('SELECT count(*) FROM acc_actions').pluck().get();
    env.directory.setFaults('error=1');
    try {
      await expect(env.call('accounts.bulkResetPassword', { jobId: 'r2', kind: 'pupil', uai, ids: [target.personId] })).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringContaining('Annuaire injoignable'),
      });
    } finally {
      env.directory.setFaults('');
    }
    expect(env.db.prepare('SELECT version FROM dir_accounts WHERE id = ?').pluck().get(target.id)).toBe(before);
    expect(env.db.prepare('SELECT count(*) FROM acc_actions').pluck().get()).toBe(actions);
    expect(env.audits.at(-1)).toMatchObject({ method: 'accounts.bulkResetPassword', outcome: 'error', errorCode: 'UNAVAILABLE', details: [{ uai }] });
  });

  it('a conflict (412) shows the directory’s current data and overwrites nothing', async () => {
    const target = accountsIn('active')[5]!;
    // Someone changes the account in the directory after our last sync.
    env.directory.store.transaction(() => {
      const current = env.directory.store.getLive(uai, 'account', target.id)!;
      env.directory.store.put(uai, 'account', target.id, { ...current.data, email: 'changee@ailleurs.fr' });
    });
    await expect(env.call('accounts.resetPassword', { kind: 'guardian', uai, id: target.personId })).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { current: { data: { email: 'changee@ailleurs.fr' } } },
    });
    await env.call('accounts.deactivate', { kind: 'guardian', uai, id: target.personId, reason: 'Test de conflit' });
    await env.call('sync.run', { uai });
    const d = await detail('guardian', target.personId);
    expect(d.pending[0]).toMatchObject({ kind: 'account.deactivate', state: 'conflict', current: { data: { email: 'changee@ailleurs.fr', state: 'active' } } });
    expect(d.account!.state).toBe('active');
    expect(env.directory.store.getLive(uai, 'account', target.id)!.data.state).toBe('active');
  });

  it('link and unlink a child; the last legal guardian cannot be removed', async () => {
    const links = (env.db.prepare('SELECT id, data FROM dir_links WHERE uai = ? AND deleted = 0').all(uai) as { id: string; data: string }[]).map((r) => ({
      id: r.id,
      data: JSON.parse(r.data) as LinkData,
    }));
    const legalCount = (pupilId: string) => links.filter((l) => l.data.pupilId === pupilId && l.data.level === 1).length;
    const single = links.find((l) => l.data.level === 1 && legalCount(l.data.pupilId) === 1)!;
    await expect(env.call('accounts.unlink', { uai, linkId: single.id })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('dernier représentant légal') });
    const shared = links.find((l) => l.data.level === 1 && legalCount(l.data.pupilId) === 2)!;
    const other = links.find((l) => l.data.pupilId !== shared.data.pupilId && l.data.level === 1 && l.data.guardianId !== shared.data.guardianId)!;
    await env.call('accounts.unlink', { uai, linkId: shared.id });
    await env.call('accounts.link', { uai, guardianId: shared.data.guardianId, pupilId: other.data.pupilId, level: 3, relationship: '90' });
    // Listed at once among the guardian's children, marked pending until the directory confirms the new link.
    const waiting = await detail('guardian', shared.data.guardianId);
    const child = waiting.family.pupils.find((p) => p.id === other.data.pupilId)!;
    expect(child).toMatchObject({ level: 3, relationshipLabel: 'Autre lien', linkVersion: null });
    expect(waiting.pending).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'link.create', targetId: child.linkId, state: 'pending' })]));
    await expect(env.call('accounts.link', { uai, guardianId: other.data.guardianId, pupilId: other.data.pupilId, level: 1, relationship: '10' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await env.call('sync.run', { uai });
    const d = await detail('guardian', shared.data.guardianId);
    expect(d.pending).toEqual([]);
    const children = d.family.pupils.map((p) => p.id);
    expect(children).toContain(other.data.pupilId);
    expect(children).not.toContain(shared.data.pupilId);
    expect(d.family.pupils.find((p) => p.id === other.data.pupilId)).toMatchObject({ level: 3, relationshipLabel: 'Autre lien' });
  });

  it('bulk unlock on a selection: per-row report, done or refused and why', async () => {
    const locked = accountsIn('bloque').slice(0, 2).map((a) => a.personId);
    const notLocked = accountsIn('notifie').slice(0, 3).map((a) => a.personId);
    const report = await env.call<BulkReport>('accounts.bulk', { jobId: 'b1', kind: 'guardian', uai, action: 'unlock', ids: [...locked, ...notLocked] });
    expect(report.done).toBe(locked.length);
    expect(report.refused).toBe(3);
    expect(report.rows.filter((r) => r.outcome === 'refused').every((r) => r.message === 'Ce compte n’est pas bloqué.')).toBe(true);
    expect(report.rows.filter((r) => r.outcome === 'done').map((r) => r.id)).toEqual(locked);
    await env.call('sync.run', { uai });
    for (const id of locked) expect((await detail('guardian', id)).account!.state).not.toBe('bloque');
  });

  it('bulk on a whole query reports progress and stops when cancelled', async () => {
    const total = (await env.call<{ total: number }>('accounts.ids', { kind: 'pupil', uai, filters: { state: ['non_notifie'] } })).total;
    const progress: number[] = [];
    let cancelAsked = false;
    const off = env.events.subscribe((event, payload) => {
      const p = payload as { jobId?: string; done?: number };
      if (event !== 'job.progress' || p.jobId !== 'b2' || p.done === 0) return;
      progress.push(p.done!);
      if (!cancelAsked && p.done! >= 10) {
        cancelAsked = true;
        void env.call('jobs.cancel', { jobId: 'b2' });
      }
    });
    const report = await env.call<BulkReport>('accounts.bulk', {
      jobId: 'b2', kind: 'pupil', uai, action: 'deactivate', reason: 'Fin de scolarité', query: { filters: { state: ['non_notifie'] } },
    });
    off();
    expect(report.cancelled).toBe(true);
    expect(progress[0]).toBe(5);
    expect(report.rows).toHaveLength(total);
    const skipped = report.rows.filter((r) => r.outcome === 'skipped').length;
    expect(skipped).toBeGreaterThan(0);
    expect(report.done).toBeGreaterThanOrEqual(10);
    expect(report.done + report.refused + skipped).toBe(total);
    expect(env.db.prepare("SELECT count(*) FROM outbox WHERE kind = 'account.deactivate' AND payload LIKE '%Fin de scolarité%'").pluck().get()).toBe(report.done);
  });
});
