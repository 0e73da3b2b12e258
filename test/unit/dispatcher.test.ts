import { describe, expect, it } from 'vitest';
import type { Permission } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import { createDispatcher, type AuditEvent, type CallContext, type Handlers } from '../../electron/core/dispatcher';
import { createCore } from '../../electron/core';
import { tempDir } from '../helpers/temp';

const ctx = { transport: 'internal' } as const;

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('dispatcher', () => {
  const dir = tempDir();
  const core = createCore({ dataDir: dir.path, directory: 'demo', appVersion: '9.9.9', host: 'browser' });

  it('refuses an unknown method with UNKNOWN_METHOD', async () => {
    const error = await rejection(core.dispatcher.invoke('system.nope', {}, ctx));
    expect(error.code).toBe('UNKNOWN_METHOD');
    expect(error.status).toBe(404);
    expect(error.message).toContain('system.nope');
  });

  it('refuses invalid input with the field path and a French message', async () => {
    const error = await rejection(core.dispatcher.invoke('system.status', { extra: 1 }, ctx));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^Données invalides/);
    expect(error.details).toMatchObject({ issues: [expect.objectContaining({ message: expect.stringMatching(/clé|Clé/) })] });
  });

  it('runs a method and returns output that matches its schema', async () => {
    const status = await core.dispatcher.call('system.status', {}, ctx);
    expect(status.appVersion).toBe('9.9.9');
    expect(status.dataDir).toBe(dir.path);
    expect(status.tables.map((t) => t.table)).toContain('settings');
  });

  it('refuses to return output that breaks the contract', async () => {
    const broken = createDispatcher({ 'system.status': () => ({ nope: true }) } as unknown as Handlers);
    const error = await rejection(broken.invoke('system.status', {}, ctx));
    expect(error.code).toBe('INTERNAL');
  });

  it('checks the declared scope before running the handler, with one French message', async () => {
    let ran = false;
    const operator = { login: 'delegue.demo', role: 'delegue' as const, uais: ['0750654D', '0951099D'] };
    const rights: Record<string, Permission[]> = { '0750654D': ['read', 'pupilAccounts'], '0951099D': ['read'] };
    const guarded = createDispatcher(
      {
        'review.counts': () => { ran = true; return {} as never; },
        'accounts.unlock': () => { ran = true; return {} as never; },
        'review.decide': () => { ran = true; return {} as never; },
      } as unknown as Handlers,
      {
        access: { isLocked: () => false, permissionsOn: (_o, uai) => new Set(['public', ...(rights[uai] ?? [])]) },
        resolvers: { reviewItem: (ids) => new Map(ids.map((id) => [id, id === 1 ? '0750654D' : '0951099D'])) },
        currentOperator: () => operator,
      },
    );
    const outside = await rejection(guarded.invoke('review.counts', { uai: '0310877K' }, ctx));
    expect([outside.code, outside.message]).toEqual(['FORBIDDEN', 'L’établissement 0310877K ne fait pas partie de votre périmètre.']);
    // accountActions needs the right on the kind of account targeted, on that establishment.
    const guardian = await rejection(guarded.invoke('accounts.unlock', { kind: 'guardian', uai: '0750654D', id: 'x' }, ctx));
    expect(guardian.message).toBe(
      'Action non autorisée pour votre rôle : elle demande le droit « comptes des représentants légaux » sur l’établissement 0750654D.',
    );
    const pupilOnB = await rejection(guarded.invoke('accounts.unlock', { kind: 'pupil', uai: '0951099D', id: 'x' }, ctx));
    expect(pupilOnB.details).toEqual({ permission: 'pupilAccounts', uai: '0951099D' });
    // A record's establishment is looked up: item 2 belongs to B, where no identity decision is delegated.
    expect((await rejection(guarded.invoke('review.decide', { id: 2, decision: 'defer' }, ctx))).code).toBe('FORBIDDEN');
    expect(ran).toBe(false);
    await guarded.invoke('accounts.unlock', { kind: 'pupil', uai: '0750654D', id: 'x' }, ctx).catch(() => undefined);
    expect(ran).toBe(true);
  });

  it('checks the extra permission a scope derives from the input: letters.issue needs letters and the kind’s right', async () => {
    const ran: string[] = [];
    const rights: Record<string, Permission[]> = { '0750654D': ['read', 'letters', 'guardianAccounts'], '0951099D': ['read', 'pupilAccounts'] };
    const guarded = createDispatcher(
      { 'letters.issue': (input: { kind: string; uai: string }) => { ran.push(`${input.kind}@${input.uai}`); return {} as never; } } as unknown as Handlers,
      {
        access: { isLocked: () => false, permissionsOn: (_o, uai) => new Set(['public', ...(rights[uai] ?? [])]) },
        currentOperator: () => ({ login: 'delegue.demo', role: 'delegue', uais: ['0750654D', '0951099D'] }),
      },
    );
    const issue = (kind: string, uai: string) => ({ uai, kind, ids: ['x'], outputDir: '/tmp' });
    await guarded.invoke('letters.issue', issue('guardian', '0750654D'), ctx).catch(() => undefined);
    const pupilOnA = await rejection(guarded.invoke('letters.issue', issue('pupil', '0750654D'), ctx));
    expect([pupilOnA.code, pupilOnA.details]).toEqual(['FORBIDDEN', { permission: 'pupilAccounts', uai: '0750654D' }]);
    expect(pupilOnA.message).toContain('comptes élèves');
    // The kind's right alone is not enough either: letters is the method's own permission.
    const pupilOnB = await rejection(guarded.invoke('letters.issue', issue('pupil', '0951099D'), ctx));
    expect(pupilOnB.details).toEqual({ permission: 'letters', uai: '0951099D' });
    expect(ran).toEqual(['guardian@0750654D']);
  });

  it('refuses every non-public method while the session is locked', async () => {
    const locked = createDispatcher({ 'review.counts': () => ({}) as never } as unknown as Handlers, {
      access: { isLocked: () => true, permissionsOn: () => new Set(['public', 'read']) },
      currentOperator: () => ({ login: 'chef.demo', role: 'chef', uais: ['0750654D'] }),
    });
    const error = await rejection(locked.invoke('review.counts', { uai: '0750654D' }, ctx));
    expect([error.code, error.details]).toEqual(['UNAUTHORIZED', { locked: true }]);
  });

  it('gives handlers the establishments the call was checked for', async () => {
    const seen: (readonly string[])[] = [];
    const rights: Record<string, Permission[]> = { '0750654D': ['read', 'administration'], '0951099D': ['read'] };
    const scoped = createDispatcher(
      { 'outbox.list': (_i: unknown, c: CallContext) => { seen.push(c.uais); return []; }, 'audit.list': (_i: unknown, c: CallContext) => { seen.push(c.uais); return { total: 0, items: [] }; } } as unknown as Handlers,
      {
        access: { isLocked: () => false, permissionsOn: (_o, uai) => new Set(['public', ...(rights[uai] ?? [])]) },
        currentOperator: () => ({ login: 'chef.demo', role: 'chef', uais: ['0750654D', '0951099D'] }),
      },
    );
    await scoped.invoke('outbox.list', {}, ctx);
    await scoped.invoke('outbox.list', { uai: '0951099D' }, ctx);
    await scoped.invoke('audit.list', {}, ctx);
    expect(seen).toEqual([['0750654D', '0951099D'], ['0951099D'], ['0750654D']]);
  });

  it('writes a change’s audit entry when the service reports it, inside its transaction', async () => {
    const order: string[] = [];
    const audited = createDispatcher(
      {
        'outbox.discard': (input: { id: number }, c: CallContext) => {
          order.push('change');
          c.audit({ uai: '0750654D', targetType: 'outbox', targetId: String(input.id) });
          order.push('committed');
          return { id: input.id, discarded: true };
        },
      } as unknown as Handlers,
      { resolvers: { outboxItem: () => new Map() }, recordAudit: () => order.push('audit') },
    );
    await audited.invoke('outbox.discard', { id: 4 }, ctx);
    expect(order).toEqual(['change', 'audit', 'committed']);
    // An audit entry that cannot be written fails the change with it.
    const failing = createDispatcher(
      { 'outbox.discard': (input: { id: number }, c: CallContext) => { c.audit({ targetId: String(input.id) }); return { id: input.id, discarded: true }; } } as unknown as Handlers,
      { resolvers: { outboxItem: () => new Map() }, recordAudit: () => { throw new Error('disk full'); } },
    );
    await expect(failing.invoke('outbox.discard', { id: 4 }, ctx)).rejects.toThrow('disk full');
  });

  it('gives handlers the signed-in operator and audits mutations only, with what the service reported', async () => {
    const events: AuditEvent[] = [];
    const operator = { login: 'chef.demo', role: 'chef' as const, uais: ['0750654D'] };
    let seen: unknown = null;
    const audited = createDispatcher(
      {
        'outbox.discard': (input: { id: number }, c: CallContext) => {
          seen = c.operator;
          c.audit({ uai: '0750654D', targetType: 'outbox', targetId: String(input.id), reason: 'doublon' });
          return { id: input.id, discarded: true };
        },
        'outbox.retry': () => {
          throw new ApiError('NOT_FOUND', 'Modification introuvable.');
        },
        'system.status': () => ({}) as never,
      } as unknown as Handlers,
      { currentOperator: () => operator, recordAudit: (e) => events.push(e), resolvers: { outboxItem: () => new Map() } },
    );
    await audited.invoke('outbox.discard', { id: 4 }, ctx);
    await rejection(audited.invoke('outbox.retry', { id: 5 }, ctx));
    await rejection(audited.invoke('system.status', {}, ctx));
    expect(seen).toEqual(operator);
    expect(events.map((e) => [e.method, e.outcome, e.errorCode])).toEqual([
      ['outbox.discard', 'ok', null],
      ['outbox.retry', 'error', 'NOT_FOUND'],
    ]);
    expect(events[0]?.details).toEqual([{ uai: '0750654D', targetType: 'outbox', targetId: '4', reason: 'doublon' }]);
    expect(events[0]?.operator).toEqual(operator);
  });

  it('closes', () => {
    core.close();
    dir.remove();
  });
});
