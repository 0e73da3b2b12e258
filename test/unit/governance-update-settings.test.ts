/**
 * The workstation's update settings (LocalSettings.updatesEnabled, .updateServerUrl) through the real dispatcher on a
 * real SQLite file: off by default, https only, never on without a server, and read back whatever a row holds.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUpdateServerUrl } from '../../shared/api/methods/governance';
import { createCore, type Core } from '../../electron/core';
import { readLocalSettings } from '../../electron/core/governance/settings';
import { tempDir } from '../helpers/temp';

const ctx = { transport: 'internal' } as const;
const uai = '0750654D';

describe('the update server address', () => {
  it('is https, with a host, and without credentials, query or fragment', () => {
    expect(isUpdateServerUrl('https://maj.ac-toulouse.fr/educonnect-desk/')).toBe(true);
    expect(isUpdateServerUrl('https://10.1.2.3:8443/maj')).toBe(true);
    for (const url of [
      'http://maj.ac-toulouse.fr/',
      'file:///srv/maj',
      'https://admin:secret@maj.ac-toulouse.fr/',
      'https://maj.ac-toulouse.fr/?token=x',
      'https://maj.ac-toulouse.fr/#x',
      'maj.ac-toulouse.fr',
      '',
    ]) {
      expect(isUpdateServerUrl(url), url).toBe(false);
    }
  });
});

describe('settings.updateLocal: automatic updates', () => {
  const data = tempDir('ecd-updates-');
  let core: Core;
  const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);

  beforeAll(() => {
    core = createCore({ dataDir: join(data.path, 'data'), directory: 'demo', appVersion: '1', host: 'electron', access: 'open' });
  });
  afterAll(async () => {
    await core?.shutdown();
    data.remove();
  });

  it('are off by default, with no server', async () => {
    const view = await core.dispatcher.call('settings.get', { uai }, ctx);
    expect(view.local).toMatchObject({ updatesEnabled: false, updateServerUrl: null });
  });

  it('cannot be turned on without the academy’s server', async () => {
    expect(await refusal(core.dispatcher.call('settings.updateLocal', { uai, patch: { updatesEnabled: true } }, ctx))).toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('Indiquez l’adresse du serveur de mises à jour'),
    });
    expect(readLocalSettings(core.db).updatesEnabled).toBe(false);
  });

  it('refuses a server that is not https', async () => {
    expect(
      await refusal(core.dispatcher.call('settings.updateLocal', { uai, patch: { updateServerUrl: 'http://maj.ac-toulouse.fr/' } }, ctx)),
    ).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('https://') });
  });

  it('are turned on with an https server, and off again; the server may then be cleared', async () => {
    const on = await core.dispatcher.call(
      'settings.updateLocal',
      { uai, patch: { updatesEnabled: true, updateServerUrl: ' https://maj.ac-toulouse.fr/educonnect-desk/ ' } },
      ctx,
    );
    expect(on.local).toMatchObject({ updatesEnabled: true, updateServerUrl: 'https://maj.ac-toulouse.fr/educonnect-desk/' });
    // While updates are on, the server cannot be removed.
    expect(await refusal(core.dispatcher.call('settings.updateLocal', { uai, patch: { updateServerUrl: null } }, ctx))).toMatchObject({
      code: 'INVALID_INPUT',
    });
    const off = await core.dispatcher.call('settings.updateLocal', { uai, patch: { updatesEnabled: false, updateServerUrl: null } }, ctx);
    expect(off.local).toMatchObject({ updatesEnabled: false, updateServerUrl: null });
  });

  it('reads a damaged row as the default rather than failing', () => {
    const put = core.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    put.run('updates.serverUrl', JSON.stringify('http://pas-https.example/'));
    put.run('updates.enabled', JSON.stringify('oui'));
    expect(readLocalSettings(core.db)).toMatchObject({ updatesEnabled: false, updateServerUrl: null, syncIntervalMinutes: 15 });
  });
});
