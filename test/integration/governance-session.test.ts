/**
 * The session's trust rules through the real core and a real demo directory over HTTP: a restart comes back locked
 * (or signed out when the stored tokens have expired), concurrent wrong passwords cannot outrun the lockout, old
 * verifiers are upgraded to the current scrypt cost, offline sign-in expires without an online one, and the core locks
 * an idle session by itself. Time is an injected clock (an offset on the real one), never a sleep.
 */
import { scryptSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import { checkVerifier } from '../../electron/core/auth/session';
import { TOKEN_FILE } from '../../electron/core/auth/token-store';
import type { DemoDirectory } from '../../electron/demo-directory/server';
import { ApiError } from '../../shared/api/errors';
import { tempDir } from '../helpers/temp';
import { FAST_RETRY, operator, startDirectory } from './sync-helpers';

const origin = { transport: 'internal' as const };
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
let cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

/** Moves the core's clock; real time keeps flowing underneath. */
interface Clock {
  offset: number;
  advance(ms: number): void;
}

interface Setup {
  directory: DemoDirectory;
  data: { path: string };
  clock: Clock;
  open(options?: { idleCheckMs?: number; secretBox?: null }): Core;
}

async function setup(): Promise<Setup> {
  const directory = await startDirectory({ establishments: 1, pupils: 20 });
  const data = tempDir('ecd-session-');
  let directoryClosed = false;
  const closeDirectory = directory.close.bind(directory);
  directory.close = async () => {
    if (directoryClosed) return;
    directoryClosed = true;
    await closeDirectory();
  };
  cleanups.push(async () => {
    await directory.close();
    data.remove();
  });
  const clock: Clock = {
    offset: 0,
    advance(ms) {
      this.offset += ms;
    },
  };
  const open: Setup['open'] = (options = {}) => {
    const core = createCore({
      dataDir: data.path,
      directory: directory.url,
      appVersion: '0.0.0-test',
      host: 'browser',
      sync: { retry: { ...FAST_RETRY, attempts: 2 }, log: () => undefined, probeMs: 60_000, timeoutMs: 2000 },
      auth: { failureDelayMs: 20, now: () => new Date(Date.now() + clock.offset), idleCheckMs: options.idleCheckMs },
      ...('secretBox' in options ? { secretBox: options.secretBox } : {}),
    });
    cleanups.push(() => core.shutdown());
    return core;
  };
  return { directory, data, clock, open };
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

function search(core: Core, uai: string): Promise<unknown> {
  return core.dispatcher.call('accounts.search', { kind: 'pupil', uai }, origin);
}

/** A verifier as the first version wrote it: scrypt N=2^14, r=8, p=1. */
function oldVerifier(password: string): string {
  const salt = Buffer.from('0123456789abcdef');
  const hash = scryptSync(password.normalize('NFC'), salt, 32, { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', 16384, 8, 1, salt.toString('base64'), hash.toString('base64')].join('$');
}

function verifierOf(core: Core, login: string): string {
  return core.db.prepare('SELECT verifier FROM known_operators WHERE login = ?').pluck().get(login) as string;
}

describe('session after a restart', () => {
  it('comes back locked: nothing but public methods answers until the password is typed again', { timeout: 60_000 }, async () => {
    const { directory, open } = await setup();
    const chef = operator(directory, 'chef.demo');
    let core = open();
    await core.dispatcher.call('auth.signIn', { login: chef.login, password: chef.password }, origin);
    await search(core, chef.uais[0]!);
    await core.shutdown();

    core = open();
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({
      signedIn: true,
      locked: true,
      lockReason: 'restart',
      operator: { login: 'chef.demo' },
    });
    expect((await refusal(search(core, chef.uais[0]!))).code).toBe('UNAUTHORIZED');
    expect((await refusal(core.dispatcher.call('audit.list', {}, origin))).code).toBe('UNAUTHORIZED');
    expect((await refusal(core.dispatcher.call('auth.unlock', { password: 'faux' }, origin))).code).toBe('UNAUTHORIZED');
    await core.dispatcher.call('auth.unlock', { password: chef.password }, origin);
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({ signedIn: true, locked: false, mode: 'online' });
    await search(core, chef.uais[0]!);
    expect((await core.dispatcher.call('audit.list', {}, origin)).items.length).toBeGreaterThan(0);
  });

  it('drops stored tokens past their expiry at start: signed out', { timeout: 60_000 }, async () => {
    const { directory, data, clock, open } = await setup();
    const chef = operator(directory, 'chef.demo');
    let core = open();
    await core.dispatcher.call('auth.signIn', { login: chef.login, password: chef.password }, origin);
    const expiresAt = core.directory['tokens'].load()!.expiresAt;
    await core.shutdown();

    clock.advance(expiresAt - Date.now() + MINUTE);
    core = open();
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({ signedIn: false, operator: null, locked: false });
    expect(existsSync(join(data.path, TOKEN_FILE))).toBe(false);
    expect((await refusal(search(core, chef.uais[0]!))).code).toBe('UNAUTHORIZED');
  });

  it('keeps the session in memory only when the tokens cannot be sealed safely (no secret box)', { timeout: 60_000 }, async () => {
    const { directory, data, open } = await setup();
    const chef = operator(directory, 'chef.demo');
    let core = open({ secretBox: null });
    await core.dispatcher.call('auth.signIn', { login: chef.login, password: chef.password }, origin);
    await search(core, chef.uais[0]!);
    expect(existsSync(join(data.path, TOKEN_FILE))).toBe(false);
    await core.shutdown();
    core = open({ secretBox: null });
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({ signedIn: false });
  });
});

describe('lockout under concurrency', () => {
  it('30 parallel wrong sign-ins check 5 passwords at most; the right one then stays locked out for the whole window', { timeout: 60_000 }, async () => {
    const { directory, clock, open } = await setup();
    const chef = operator(directory, 'chef.demo');
    const core = open();
    const calls = Array.from({ length: 30 }, (_, i) => core.dispatcher.call('auth.signIn', { login: 'chef.demo', password: `faux${i}` }, origin));
    calls.push(core.dispatcher.call('auth.signIn', { login: 'chef.demo', password: chef.password }, origin));
    const errors = await Promise.all(calls.map(refusal));
    expect(errors.filter((e) => e.message === 'Identifiant ou mot de passe incorrect.')).toHaveLength(5);
    expect(errors.filter((e) => /bloqué jusqu’à/.test(e.message))).toHaveLength(26);

    const late = await refusal(core.dispatcher.call('auth.signIn', { login: 'chef.demo', password: chef.password }, origin));
    expect(late.message).toMatch(/^Trop d’essais infructueux : cet identifiant est bloqué jusqu’à/);
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({ signedIn: false });

    clock.advance(14 * MINUTE);
    expect((await refusal(core.dispatcher.call('auth.signIn', { login: 'chef.demo', password: chef.password }, origin))).message).toMatch(/bloqué/);
    clock.advance(MINUTE + 1000);
    await core.dispatcher.call('auth.signIn', { login: 'chef.demo', password: chef.password }, origin);
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({ signedIn: true, locked: false });
    expect(core.db.prepare('SELECT COUNT(*) FROM sign_in_failures').pluck().get()).toBe(0);
  });

  it('30 parallel wrong unlocks check 5 passwords at most; the right one then stays locked out for the whole window', { timeout: 60_000 }, async () => {
    const { directory, clock, open } = await setup();
    const chef = operator(directory, 'chef.demo');
    const core = open();
    await core.dispatcher.call('auth.signIn', { login: chef.login, password: chef.password }, origin);
    await core.dispatcher.call('auth.lock', {}, origin);
    const calls = Array.from({ length: 30 }, (_, i) => core.dispatcher.call('auth.unlock', { password: `faux${i}` }, origin));
    calls.push(core.dispatcher.call('auth.unlock', { password: chef.password }, origin));
    const errors = await Promise.all(calls.map(refusal));
    expect(errors.filter((e) => e.message === 'Identifiant ou mot de passe incorrect.')).toHaveLength(5);
    expect(errors.filter((e) => /bloqué jusqu’à/.test(e.message))).toHaveLength(26);

    const late = await refusal(core.dispatcher.call('auth.unlock', { password: chef.password }, origin));
    expect(late.message).toMatch(/^Trop d’essais infructueux : cet identifiant est bloqué jusqu’à/);
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({ signedIn: true, locked: true });
    expect((await refusal(search(core, chef.uais[0]!))).code).toBe('UNAUTHORIZED');

    clock.advance(15 * MINUTE + 1000);
    await core.dispatcher.call('auth.unlock', { password: chef.password }, origin);
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({ signedIn: true, locked: false });
    await search(core, chef.uais[0]!);
  });
});

describe('offline verifier', () => {
  it('is written with scrypt N ≥ 2^17, and one of the old parameters is upgraded at the next sign-in or unlock', { timeout: 60_000 }, async () => {
    const { directory, open } = await setup();
    const chef = operator(directory, 'chef.demo');
    const core = open();
    await core.dispatcher.call('auth.signIn', { login: chef.login, password: chef.password }, origin);
    const [, n, r, p] = verifierOf(core, 'chef.demo').split('$');
    expect(Number(n)).toBeGreaterThanOrEqual(2 ** 17);
    expect([Number(r), Number(p)]).toEqual([8, 1]);

    // Unlock: checked against the old verifier, then re-hashed with the current parameters.
    core.db.prepare('UPDATE known_operators SET verifier = ? WHERE login = ?').run(oldVerifier(chef.password), 'chef.demo');
    await core.dispatcher.call('auth.lock', {}, origin);
    await core.dispatcher.call('auth.unlock', { password: chef.password }, origin);
    const upgraded = verifierOf(core, 'chef.demo');
    expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await checkVerifier(upgraded, chef.password)).toBe(true);
    expect(await checkVerifier(upgraded, 'faux')).toBe(false);

    // Offline sign-in: the same.
    await core.dispatcher.call('auth.signOut', {}, origin);
    await directory.close();
    core.db.prepare('UPDATE known_operators SET verifier = ? WHERE login = ?').run(oldVerifier(chef.password), 'chef.demo');
    expect(await core.dispatcher.call('auth.signIn', { login: chef.login, password: chef.password }, origin)).toMatchObject({ login: 'chef.demo' });
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({ mode: 'offline', locked: false });
    const again = verifierOf(core, 'chef.demo');
    expect(again).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await checkVerifier(again, chef.password)).toBe(true);
  });

  it('refuses offline sign-in after the set number of days without an online one', { timeout: 60_000 }, async () => {
    const { directory, clock, open } = await setup();
    const chef = operator(directory, 'chef.demo');
    const core = open();
    await core.dispatcher.call('auth.signIn', { login: chef.login, password: chef.password }, origin);
    const view = await core.dispatcher.call('settings.get', { uai: chef.uais[0]! }, origin);
    expect(view.local.offlineSignInDays).toBe(30);
    await core.dispatcher.call('auth.signOut', {}, origin);
    await directory.close();

    clock.advance(29 * DAY);
    await core.dispatcher.call('auth.signIn', { login: chef.login, password: chef.password }, origin);
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({ mode: 'offline' });
    await core.dispatcher.call('auth.signOut', {}, origin);

    clock.advance(2 * DAY);
    const expired = await refusal(core.dispatcher.call('auth.signIn', { login: chef.login, password: chef.password }, origin));
    expect(expired.code).toBe('UNAUTHORIZED');
    expect(expired.message).toBe(
      'Connexion hors ligne refusée : aucune connexion en ligne sur ce poste depuis plus de 30 jours. Connectez-vous une fois avec l’annuaire joignable.',
    );
    // A wrong password still gets the usual answer (the expiry is told only to who knows the password).
    const wrong = await refusal(core.dispatcher.call('auth.signIn', { login: chef.login, password: 'faux' }, origin));
    expect(wrong.message).toMatch(/jamais connecté sur ce poste/);
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({ signedIn: false });

    // The delay is a workstation setting.
    core.db.prepare("INSERT INTO settings (key, value) VALUES ('session.offlineSignInDays', '60')").run();
    await core.dispatcher.call('auth.signIn', { login: chef.login, password: chef.password }, origin);
    const updated = await core.dispatcher.call('settings.updateLocal', { uai: chef.uais[0]!, patch: { offlineSignInDays: 7 } }, origin);
    expect(updated.local.offlineSignInDays).toBe(7);
  });
});

describe('inactivity lock in the core', () => {
  it('locks an idle session by itself and tells the windows; only non-public calls count as activity', { timeout: 60_000 }, async () => {
    const { directory, clock, open } = await setup();
    const chef = operator(directory, 'chef.demo');
    const core = open({ idleCheckMs: 10 });
    const locked = new Promise<unknown>((resolve) => {
      core.events.subscribe((name, payload) => {
        if (name === 'auth.changed') resolve(payload);
      });
    });
    await core.dispatcher.call('auth.signIn', { login: chef.login, password: chef.password }, origin);

    clock.advance(9 * MINUTE);
    await search(core, chef.uais[0]!); // activity: the 10 minutes start again
    clock.advance(9 * MINUTE);
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({ locked: false });
    await core.dispatcher.call('auth.keepAlive', {}, origin); // what the window sends while the operator types
    clock.advance(9 * MINUTE);
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({ locked: false }); // status polling is no activity
    clock.advance(2 * MINUTE);

    expect(await locked).toEqual({ reason: 'locked' });
    expect(await core.dispatcher.call('auth.status', {}, origin)).toMatchObject({ signedIn: true, locked: true, lockReason: 'inactivity' });
    expect((await refusal(search(core, chef.uais[0]!))).code).toBe('UNAUTHORIZED');
    expect((await refusal(core.dispatcher.call('auth.keepAlive', {}, origin))).code).toBe('UNAUTHORIZED');
    await core.dispatcher.call('auth.unlock', { password: chef.password }, origin);
    await search(core, chef.uais[0]!);
  });
});
