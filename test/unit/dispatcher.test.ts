import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/errors';
import { createDispatcher, type Handlers } from '../../electron/core/dispatcher';
import { createCore } from '../../electron/core';
import { tempDir } from '../helpers/temp';

const ctx = { transport: 'internal', operator: null } as const;

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
      () => { throw new ApiError('FORBIDDEN', 'Action non autorisée pour votre rôle.'); },
    );
    const error = await rejection(guarded.invoke('system.status', {}, ctx));
    expect(error.code).toBe('FORBIDDEN');
    expect(ran).toBe(false);
  });

  it('closes', () => {
    core.close();
    dir.remove();
  });
});
