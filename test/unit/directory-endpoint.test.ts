/**
 * Which directory addresses the app accepts: https anywhere, plain http only to this machine. Checked where an
 * address comes in (the hosts' --directory, createCore) and again by the client itself.
 */
import { describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core';
import { HttpDirectoryClient } from '../../electron/core/directory/client';
import { checkDirectoryOption, checkDirectoryUrl } from '../../electron/core/directory/endpoint';
import { tempDir } from '../helpers/temp';

describe('directory address', () => {
  it('accepts https anywhere and http to loopback only', () => {
    for (const url of ['https://annuaire.example', 'https://annuaire.example:8443/api/', 'http://127.0.0.1:4010', 'http://[::1]:4010', 'http://localhost/', 'http://LOCALHOST:1']) {
      expect(checkDirectoryUrl(url), url).toMatchObject({ ok: true });
    }
    expect(checkDirectoryUrl('https://annuaire.example/api/')).toEqual({ ok: true, url: 'https://annuaire.example/api' });
    expect(checkDirectoryOption('demo')).toEqual({ ok: true, url: 'demo' });
  });

  it('refuses plain http to another machine, and anything that is not http(s), with a French message', () => {
    for (const url of ['http://annuaire.example', 'http://192.168.1.10:4010', 'http://10.0.0.1', 'http://localhost.annuaire.example', 'http://[::2]/']) {
      const checked = checkDirectoryUrl(url);
      expect(checked, url).toMatchObject({ ok: false, message: expect.stringMatching(/Adresse d’annuaire refusée.*https:\/\//) });
    }
    for (const value of ['ftp://annuaire.example', 'annuaire.example', 'file:///etc/passwd', '']) {
      expect(checkDirectoryOption(value), value).toMatchObject({ ok: false, message: expect.stringMatching(/Annuaire invalide/) });
    }
  });

  it('is enforced by createCore before any file is opened, and by the client itself', () => {
    const data = tempDir();
    try {
      expect(() => createCore({ dataDir: data.path, directory: 'http://annuaire.example', appVersion: 'x', host: 'browser' })).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/http:\/\//) }),
      );
    } finally {
      data.remove();
    }
    expect(() => new HttpDirectoryClient({ baseUrl: 'http://annuaire.example/' })).toThrow(/Adresse d’annuaire refusée/);
    expect(new HttpDirectoryClient({ baseUrl: 'https://annuaire.example/' }).baseUrl).toBe('https://annuaire.example');
  });
});
