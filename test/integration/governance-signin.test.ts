/**
 * Sign-in hardening through the real dispatcher and a real demo directory over HTTP: same message and delay for an
 * unknown login and a wrong password, lockout after five failures, offline sign-in only for an operator seen online
 * before (verifier, never the password), encrypted token file with a 0600 key, lock and unlock, sign-out.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import { TOKEN_FILE, TOKEN_KEY_FILE } from '../../electron/core/auth/token-store';
import type { DemoDirectory } from '../../electron/demo-directory/server';
import { ApiError } from '../../shared/api/errors';
import { tempDir } from '../helpers/temp';
import { FAST_RETRY, operator, startDirectory } from './sync-helpers';

const origin = { transport: 'internal' as const };
const DELAY = 300;
let cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function setup(): Promise<{ directory: DemoDirectory; data: ReturnType<typeof tempDir>; open: (url?: string) => Core }> {
  const directory = await startDirectory({ establishments: 1, pupils: 20 });
  const data = tempDir('ecd-signin-');
  let closedDirectory = false;
  cleanups.push(async () => {
    if (!closedDirectory) await directory.close();
    data.remove();
  });
  const close = directory.close.bind(directory);
  directory.close = async () => {
    closedDirectory = true;
    await close();
  };
  const open = (url = directory.url) => {
    const core = createCore({
      dataDir: data.path,
      directory: url,
      appVersion: '0.0.0-test',
      host: 'browser',
      sync: { retry: { ...FAST_RETRY, attempts: 2 }, log: () => undefined, probeMs: 60_000, timeoutMs: 2000 },
      auth: { failureDelayMs: DELAY },
    });
    cleanups.push(() => core.shutdown());
    return core;
  };
  return { directory, data, open };
}

async function refused(promise: Promise<unknown>): Promise<{ error: ApiError; ms: number }> {
  const started = Date.now();
  const error = await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return { error: error as ApiError, ms: Date.now() - started };
}

describe('sign-in hardening', () => {
  it('answers an unknown login and a wrong password with the same message after the same delay', { timeout: 30_000 }, async () => {
    const { open } = await setup();
    const core = open();
    const unknown = await refused(core.dispatcher.call('auth.signIn', { login: 'personne.inconnue', password: 'x' }, origin));
    const wrong = await refused(core.dispatcher.call('auth.signIn', { login: 'chef.demo', password: 'faux' }, origin));
    expect(unknown.error.code).toBe('UNAUTHORIZED');
    expect(wrong.error.code).toBe('UNAUTHORIZED');
    expect(unknown.error.message).toBe(wrong.error.message);
    expect(unknown.error.message).toBe('Identifiant ou mot de passe incorrect.');
    expect(unknown.error.details).toBeUndefined();
    expect(wrong.error.details).toBeUndefined();
    for (const r of [unknown, wrong]) expect(r.ms).toBeGreaterThanOrEqual(DELAY - 5);
    expect(Math.abs(unknown.ms - wrong.ms)).toBeLessThan(150);
  });

  it('locks a login for 15 minutes after five failures, even with the right password then', { timeout: 30_000 }, async () => {
    const { directory, open } = await setup();
    const core = open();
    for (let i = 0; i < 5; i++) await refused(core.dispatcher.call('auth.signIn', { login: 'chef.demo', password: `faux${i}` }, origin));
    const locked = await refused(core.dispatcher.call('auth.signIn', { login: 'chef.demo', password: operator(directory, 'chef.demo').password }, origin));
    expect(locked.error.message).toMatch(/bloqué jusqu’à/);
    const until = new Date((locked.error.details as { lockedUntil: string }).lockedUntil).getTime();
    expect(until - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    // Another login is not affected; an unknown login locks the same way (nothing tells which logins exist).
    await core.dispatcher.call('auth.signIn', { login: 'secretariat.demo', password: operator(directory, 'secretariat.demo').password }, origin);
    for (let i = 0; i < 5; i++) await refused(core.dispatcher.call('auth.signIn', { login: 'inconnu', password: 'x' }, origin));
    expect((await refused(core.dispatcher.call('auth.signIn', { login: 'inconnu', password: 'x' }, origin))).error.message).toMatch(/bloqué/);
    const lockouts = core.governance.trail.list({ outcome: 'refused' }, null).items.filter((e) => e.errorCode === 'LOCKED_OUT');
    expect(lockouts.map((e) => e.targetId).sort()).toEqual(['chef.demo', 'inconnu']);
  });

  it('signs in offline only an operator seen online on this workstation, from a verifier', { timeout: 60_000 }, async () => {
    const { directory, data, open } = await setup();
    const chef = operator(directory, 'chef.demo');
    let core = open();
    await core.dispatcher.call('auth.signIn', { login: 'chef.demo', password: chef.password }, origin);
    const stored = JSON.stringify(core.db.prepare('SELECT * FROM known_operators').all());
    expect(stored).not.toContain(chef.password);
    expect(stored).toMatch(/scrypt\$/);
    await core.dispatcher.call('auth.signOut', {}, origin);
    await core.shutdown();
    await directory.close();

    core = open(directory.url); // the directory is gone now: unreachable
    const op = await core.dispatcher.call('auth.signIn', { login: 'chef.demo', password: chef.password }, origin);
    expect(op).toMatchObject({ login: 'chef.demo', role: 'chef', uais: chef.uais });
    const status = await core.dispatcher.call('auth.status', {}, origin);
    expect(status).toMatchObject({ signedIn: true, mode: 'offline', locked: false });
    expect((await core.dispatcher.call('establishments.list', {}, origin)).every((e) => chef.uais.includes(e.uai))).toBe(true);
    await core.dispatcher.call('auth.signOut', {}, origin);

    const wrong = await refused(core.dispatcher.call('auth.signIn', { login: 'chef.demo', password: 'faux' }, origin));
    const never = await refused(core.dispatcher.call('auth.signIn', { login: 'secretariat.demo', password: operator(directory, 'secretariat.demo').password }, origin));
    expect(wrong.error.message).toBe(never.error.message);
    expect(never.error.message).toMatch(/jamais connecté sur ce poste/);
    expect(existsSync(join(data.path, TOKEN_FILE))).toBe(false);
  });

  it('keeps tokens encrypted at rest with a 0600 key file, and sign-out deletes them', { timeout: 30_000 }, async () => {
    const { directory, data, open } = await setup();
    const core = open();
    await core.dispatcher.call('auth.signIn', { login: 'chef.demo', password: operator(directory, 'chef.demo').password }, origin);
    const keyFile = join(data.path, TOKEN_KEY_FILE);
    const tokenFile = join(data.path, TOKEN_FILE);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const sealed = readFileSync(tokenFile);
    const tokens = core.directory['tokens'].load()!;
    expect(sealed.includes(Buffer.from(tokens.accessToken))).toBe(false);
    expect(sealed.includes(Buffer.from('chef.demo'))).toBe(false);
    await core.dispatcher.call('auth.signOut', {}, origin);
    expect(existsSync(tokenFile)).toBe(false);
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({ signedIn: false, operator: null });
  });

  it('restores the session from the encrypted token file after a restart, locked until the password is typed', { timeout: 30_000 }, async () => {
    const { directory, open } = await setup();
    let core = open();
    await core.dispatcher.call('auth.signIn', { login: 'chef.demo', password: operator(directory, 'chef.demo').password }, origin);
    await core.shutdown();
    core = open();
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({
      signedIn: true,
      locked: true,
      lockReason: 'restart',
      mode: 'online',
      operator: { login: 'chef.demo' },
    });
  });

  it('locks and unlocks with the password checked locally; a wrong one counts as a failure', { timeout: 30_000 }, async () => {
    const { directory, open } = await setup();
    const core = open();
    const chef = operator(directory, 'chef.demo');
    await core.dispatcher.call('auth.signIn', { login: 'chef.demo', password: chef.password }, origin);
    await core.dispatcher.call('auth.lock', {}, origin);
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({ signedIn: true, locked: true, lockReason: 'inactivity', inactivityMinutes: 10 });
    expect((await refused(core.dispatcher.call('sync.status', {}, origin))).error.code).toBe('UNAUTHORIZED');
    await refused(core.dispatcher.call('auth.unlock', { password: 'faux' }, origin));
    expect(core.db.prepare('SELECT failures FROM sign_in_failures').pluck().get()).toBe(1);
    await core.dispatcher.call('auth.unlock', { password: chef.password }, origin);
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({ locked: false });
    await core.dispatcher.call('sync.status', {}, origin);
  });

  it('locks from outside the renderer (OS lock or suspend in Electron) and tells the windows', { timeout: 30_000 }, async () => {
    const { directory, open } = await setup();
    const core = open();
    const seen: unknown[] = [];
    core.events.subscribe((name, payload) => name === 'auth.changed' && seen.push(payload));
    core.lockSession(); // nobody signed in: nothing to lock
    expect(seen).toEqual([]);
    await core.dispatcher.call('auth.signIn', { login: 'chef.demo', password: operator(directory, 'chef.demo').password }, origin);
    core.lockSession();
    expect(seen).toEqual([{ reason: 'locked' }]);
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({ signedIn: true, locked: true });
    expect((await refused(core.dispatcher.call('sync.status', {}, origin))).error.code).toBe('UNAUTHORIZED');
  });

  it('shows an expired directory session as locked and reopens it with the password', { timeout: 30_000 }, async () => {
    const { directory, open } = await setup();
    const core = open();
    const chef = operator(directory, 'chef.demo');
    await core.dispatcher.call('auth.signIn', { login: 'chef.demo', password: chef.password }, origin);
    core.directory['tokens'].save(null); // what a refused token refresh does
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({ signedIn: true, locked: true, lockReason: 'expired', operator: { login: 'chef.demo' } });
    await core.dispatcher.call('auth.unlock', { password: chef.password }, origin);
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({ locked: false, mode: 'online' });
  });
});
