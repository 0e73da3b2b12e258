/**
 * The Electron shell's pure rules (no Electron runtime needed): renderer file mapping, external URL allowlist,
 * trusted origins, window title and launch options. Named *.vitest.ts so Playwright's electron project (testDir
 * test/electron) does not collect it; vitest needs this folder's *.vitest.ts files added to its include.
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_DIR_ENV, parseDirectoryOption, resolveDataLocation } from '../../electron/main/config';
import { contentTypeOf, resolveRendererTarget } from '../../electron/main/renderer-files';
import {
  CONTENT_SECURITY_POLICY,
  isAllowedExternalUrl,
  isTrustedUrl,
  trustedPrefixes,
  windowTitle,
} from '../../electron/main/security-policy';

const root = resolve('/srv/out/renderer');

describe('resolveRendererTarget', () => {
  it('maps app://desk/ paths to files of the renderer folder', () => {
    expect(resolveRendererTarget({ url: 'app://desk/' }, root)).toEqual({
      kind: 'file',
      path: join(root, 'index.html'),
      spaFallback: false,
    });
    expect(resolveRendererTarget({ url: 'app://desk/assets/index-abc.js' }, root)).toEqual({
      kind: 'file',
      path: join(root, 'assets', 'index-abc.js'),
      spaFallback: false,
    });
  });

  it('falls back to index.html for client routes but not for missing assets', () => {
    expect(resolveRendererTarget({ url: 'app://desk/accounts/42' }, root)).toMatchObject({ spaFallback: true });
    expect(resolveRendererTarget({ url: 'app://desk/review/jean.dupont', accept: 'text/html,*/*' }, root)).toMatchObject(
      { spaFallback: true },
    );
    expect(resolveRendererTarget({ url: 'app://desk/assets/missing.js', accept: '*/*' }, root)).toMatchObject({
      spaFallback: false,
    });
  });

  it('refuses traversal, encoded separators, NUL bytes and other hosts', () => {
    for (const url of [
      'app://desk/..%2F..%2Fpackage.json',
      'app://desk/assets/..%5C..%5Csecret',
      'app://desk/a%00.js',
      'app://desk/%E0%A4%A',
    ]) {
      expect(resolveRendererTarget({ url }, root), url).toEqual({ kind: 'forbidden' });
    }
    expect(resolveRendererTarget({ url: 'app://other/index.html' }, root)).toEqual({ kind: 'not-found' });
    // Plain and percent-encoded dot segments are removed by URL parsing, so they stay inside the folder.
    for (const url of ['app://desk/../../etc/passwd', 'app://desk/%2e%2e/%2E%2E/etc/passwd']) {
      expect(resolveRendererTarget({ url }, root), url).toMatchObject({ kind: 'file', path: join(root, 'etc', 'passwd') });
    }
  });

  it('knows the content types the renderer build emits', () => {
    expect(contentTypeOf('a/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeOf('a/x.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeOf('a/font.woff2')).toBe('font/woff2');
    expect(contentTypeOf('a/blob')).toBe('application/octet-stream');
  });
});

describe('security policy', () => {
  it('has a strict CSP that still lets emotion inject styles', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("style-src 'self' 'unsafe-inline'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });

  it('opens only allowlisted https origins externally', () => {
    expect(isAllowedExternalUrl('https://educonnect.education.gouv.fr/idp/profile')).toBe(true);
    expect(isAllowedExternalUrl('https://www.education.gouv.fr/')).toBe(true);
    expect(isAllowedExternalUrl('http://www.education.gouv.fr/')).toBe(false);
    expect(isAllowedExternalUrl('https://www.education.gouv.fr.evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('https://user:pw@www.education.gouv.fr/')).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternalUrl('not a url')).toBe(false);
  });

  it('trusts app://desk/ and, in dev only, the Vite server origin', () => {
    const prod = trustedPrefixes(undefined);
    expect(isTrustedUrl('app://desk/index.html', prod)).toBe(true);
    expect(isTrustedUrl('app://desk.evil/index.html', prod)).toBe(false);
    expect(isTrustedUrl('http://localhost:5173/', prod)).toBe(false);
    expect(isTrustedUrl(undefined, prod)).toBe(false);
    const dev = trustedPrefixes('http://localhost:5173');
    expect(isTrustedUrl('http://localhost:5173/#/accounts', dev)).toBe(true);
    expect(isTrustedUrl('http://localhost:51730/', dev)).toBe(false);
  });

  it('keeps the product name in the window title', () => {
    expect(windowTitle('', 'EduConnect Desk')).toBe('EduConnect Desk');
    expect(windowTitle('app://desk/index.html', 'EduConnect Desk')).toBe('EduConnect Desk');
    expect(windowTitle('Comptes', 'EduConnect Desk')).toBe('Comptes — EduConnect Desk');
    expect(windowTitle('Comptes — EduConnect Desk', 'EduConnect Desk')).toBe('Comptes — EduConnect Desk');
  });
});

describe('launch options', () => {
  it('reads --directory, defaulting to the demo directory', () => {
    expect(parseDirectoryOption(['electron', '.'])).toEqual({ ok: true, directory: 'demo' });
    expect(parseDirectoryOption(['x', '--directory', 'https://annuaire.example/api/v1/'])).toEqual({
      ok: true,
      directory: 'https://annuaire.example/api/v1',
    });
    expect(parseDirectoryOption(['x', '--directory=demo'])).toEqual({ ok: true, directory: 'demo' });
    expect(parseDirectoryOption(['x', '--directory=http://127.0.0.1:8080'])).toEqual({ ok: true, directory: 'http://127.0.0.1:8080' });
    expect(parseDirectoryOption(['x', '--directory', 'ftp://x'])).toMatchObject({ ok: false, value: 'ftp://x', message: expect.stringMatching(/Annuaire invalide/) });
    // Plain HTTP leaves this machine: refused, with the reason.
    expect(parseDirectoryOption(['x', '--directory', 'http://annuaire.example'])).toMatchObject({
      ok: false,
      message: expect.stringMatching(/https:\/\//),
    });
  });

  it('puts data under userData unless EDUCONNECT_DESK_DATA_DIR says otherwise', () => {
    expect(resolveDataLocation({}, '/home/a/.config/EduConnect Desk')).toEqual({
      dataDir: join('/home/a/.config/EduConnect Desk', 'data'),
      userDataOverride: null,
    });
    expect(resolveDataLocation({ [DATA_DIR_ENV]: 'rel/data' }, '/ignored', '/work')).toEqual({
      dataDir: resolve('/work', 'rel/data'),
      userDataOverride: join(resolve('/work', 'rel/data'), 'electron-profile'),
    });
  });
});
