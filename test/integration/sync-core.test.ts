/**
 * The contract methods of the directory capability through the real dispatcher, with the core starting its embedded
 * demo directory in-process (directory: 'demo', data file in the data folder).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import type { CallOrigin } from '../../electron/core/dispatcher';
import { ApiError } from '../../shared/api/errors';
import { DEMO_OPERATORS } from '../../shared/directory/demo-operators';
import { tempDir } from '../helpers/temp';
import { FAST_RETRY } from './sync-helpers';

const ctx: CallOrigin = { transport: 'internal' };
let core: Core | null = null;
const data = tempDir('ecd-core-');

afterEach(async () => {
  await core?.shutdown();
  core = null;
  data.remove();
});

function start(): Core {
  core = createCore({
    dataDir: data.path,
    directory: 'demo',
    appVersion: '0.0.0-test',
    host: 'browser',
    sync: { demo: { establishments: 2, pupils: 40 }, retry: FAST_RETRY, log: () => undefined },
  });
  return core;
}

describe('directory methods of the contract', () => {
  it('refuses to sync before sign-in, in French', async () => {
    const c = start();
    const error = await c.dispatcher.call('sync.run', {}, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('UNAUTHORIZED');
    expect((error as ApiError).message).toMatch(/Connectez-vous/);
    expect(await c.dispatcher.call('auth.status', {}, ctx)).toMatchObject({ signedIn: false, operator: null, directory: 'demo' });
  });

  it('signs in to the embedded demo directory, syncs, and reports status', { timeout: 60_000 }, async () => {
    const c = start();
    const bad = await c.dispatcher.call('auth.signIn', { login: 'chef.demo', password: 'faux' }, ctx).catch((e: unknown) => e);
    expect((bad as ApiError).code).toBe('UNAUTHORIZED');
    expect((bad as ApiError).message).toMatch(/incorrect/);
    expect(existsSync(join(data.path, 'demo-directory.sqlite'))).toBe(true);

    const password = DEMO_OPERATORS.find((o) => o.login === 'multi.demo')!.password;
    const op = await c.dispatcher.call('auth.signIn', { login: 'multi.demo', password }, ctx);
    expect(op.role).toBe('chef');
    expect(op.uais.length).toBe(2);

    const establishments = await c.dispatcher.call('establishments.list', {}, ctx);
    expect(establishments.map((e) => e.uai).sort()).toEqual([...op.uais].sort());

    const result = await c.dispatcher.call('sync.run', {}, ctx);
    expect(result.runs.map((r) => r.outcome)).toEqual(op.uais.map(() => 'success'));
    const one = await c.dispatcher.call('sync.run', { uai: op.uais[0] }, ctx);
    expect(one.runs).toHaveLength(1);
    expect(one.runs[0]?.mode).toBe('delta');

    const status = await c.dispatcher.call('sync.status', {}, ctx);
    expect(status.signedIn).toBe(true);
    expect(status.online).toBe(true);
    expect(status.intervalMinutes).toBe(15);
    for (const e of status.establishments) {
      expect(e.hasCursor).toBe(true);
      expect(e.counts.match).toBe(true);
      expect(e.counts.local.pupil).toBeGreaterThan(0);
      expect(e.outbox).toEqual({ pending: 0, failed: 0, conflict: 0 });
    }
    expect(status.history.every((h) => h.outcome === 'success')).toBe(true);

    const forbidden = await c.dispatcher.call('sync.run', { uai: '0000001A' }, ctx).catch((e: unknown) => e);
    expect((forbidden as ApiError).code).toBe('FORBIDDEN');
    expect(await c.dispatcher.call('outbox.list', {}, ctx)).toEqual([]);
    const missing = await c.dispatcher.call('outbox.retry', { id: 99 }, ctx).catch((e: unknown) => e);
    expect((missing as ApiError).code).toBe('NOT_FOUND');

    await c.dispatcher.call('auth.signOut', {}, ctx);
    expect((await c.dispatcher.call('auth.status', {}, ctx)).signedIn).toBe(false);
  });

  it('reads the sync interval from the settings', { timeout: 60_000 }, async () => {
    const c = start();
    c.db.prepare("INSERT INTO settings (key, value) VALUES ('sync.intervalMinutes', '5')").run();
    const password = DEMO_OPERATORS.find((o) => o.login === 'chef.demo')!.password;
    await c.dispatcher.call('auth.signIn', { login: 'chef.demo', password }, ctx);
    expect((await c.dispatcher.call('sync.status', {}, ctx)).intervalMinutes).toBe(5);
  });
});
