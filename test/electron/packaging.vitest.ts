/**
 * The installers' configuration as tested data: electron-builder.yml read by electron-builder's own loader and
 * validated against its schema (no packaging runs here: that needs Electron's binary and the internet), then checked
 * for what the security and the deployment rely on — fuses, the native module out of the asar, the three targets,
 * the French NSIS installer, icons, a real maintainer address, the update files.
 *
 * electron-builder's loader and schema validator live in app-builder-lib (installed with electron-builder, same
 * version); reading the file through them rather than a YAML parser checks it exactly as `npm run dist` will.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let config: Configuration;

beforeAll(async () => {
  config = await getConfig(root, join(root, 'electron-builder.yml'), null);
  // Throws, listing the offending fields, when a field is unknown or mistyped for this electron-builder version.
  await validateConfiguration(config, new DebugLogger(false));
}, 30_000);

const targetNames = (target: unknown): string[] =>
  (Array.isArray(target) ? target : [target]).map((t) => (typeof t === 'string' ? t : (t as { target: string }).target));

describe('electron-builder.yml', () => {
  it('is what electron-builder reads, valid against its schema', () => {
    expect(config.appId).toBe('fr.education.educonnect-desk');
    expect(config.productName).toBe('EduConnect Desk');
    expect(config.asar).toBe(true);
  });

  it('sets the Electron fuses: no Node mode, no NODE_OPTIONS, no inspector, only the integrity-checked asar', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('ships the built app only, with the native modules (better-sqlite3, resvg) outside the asar', () => {
    // The loader normalises the list into one file set.
    expect(config.files).toEqual([{ filter: ['out/**', 'package.json'] }]);
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**/*.node');
    expect(config.asarUnpack).toContain('node_modules/@resvg/**/*.node');
    expect(config.npmRebuild).toBe(true);
  });

  it('builds an AppImage and a .deb for Linux and an NSIS installer for Windows', () => {
    expect(targetNames(config.linux?.target).sort()).toEqual(['AppImage', 'deb']);
    expect(targetNames(config.win?.target)).toEqual(['nsis']);
  });

  it('makes a French NSIS installer (LCID 1036) that asks where to install', () => {
    expect(String(config.nsis?.language)).toBe('1036');
    expect(config.nsis?.installerLanguages).toEqual(['fr_FR']);
    expect(config.nsis?.multiLanguageInstaller).toBe(false);
    expect(config.nsis?.oneClick).toBe(false);
    expect(config.nsis?.allowToChangeInstallationDirectory).toBe(true);
  });

  it('finds its icons in resources/: a 512 px PNG for Linux, an .ico with a 256 px image for Windows', () => {
    const resources = join(root, config.directories?.buildResources ?? 'build');
    const png = readFileSync(join(resources, 'icon.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);

    const ico = readFileSync(join(resources, 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]); // reserved, type 1 = icon
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico.readUInt8(6 + 16 * i) || 256);
    expect(sizes).toContain(256);
    expect(sizes).toContain(16);
  });

  it('names a real maintainer address for the .deb, not a placeholder', () => {
    const maintainer = config.linux?.maintainer ?? '';
    const email = /<([^<>\s]+@[^<>\s]+)>$/.exec(maintainer)?.[1];
    expect(email, maintainer).toBeDefined();
    const domain = email!.split('@')[1]!.toLowerCase();
    expect(domain).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    // The reserved names of RFC 2606 / 6761 are placeholders by definition.
    expect(domain).not.toMatch(/(^|\.)(example(\.(com|net|org))?|invalid|test|localhost|local)$/);
    expect(email!.split('@')[0]).not.toMatch(/^(maintainer|noreply|no-reply|changeme|todo|user)$/i);
  });

  it('writes the update files for electron-updater’s generic provider over https', () => {
    const publish = (Array.isArray(config.publish) ? config.publish : [config.publish]) as { provider: string; url?: string }[];
    expect(publish).toHaveLength(1);
    expect(publish[0]).toMatchObject({ provider: 'generic', url: expect.stringMatching(/^https:\/\//) });
  });

  it('never publishes from `npm run dist`: the academy copies the files to its server', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.dist).toMatch(/electron-builder --publish never$/);
  });
});
