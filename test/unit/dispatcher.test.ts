import { describe, expect, it } from 'vitest';
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

  it('asks the authorizer before running the handler', async () => {
    let ran = false;
    const guarded = createDispatcher(
      { 'system.status': () => { ran = true; return {} as never; } } as unknown as Handlers,
      { authorize: () => { throw new ApiError('FORBIDDEN', 'Action non autorisée pour votre rôle.'); } },
    );
    const error = await rejection(guarded.invoke('system.status', {}, ctx));
    expect(error.code).toBe('FORBIDDEN');
    expect(ran).toBe(false);
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
      { currentOperator: () => operator, recordAudit: (e) => events.push(e) },
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
