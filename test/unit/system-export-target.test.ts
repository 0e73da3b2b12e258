/**
 * Where exports go by default (system.exportTarget) and the save-dialog method (system.chooseSaveFile) through the
 * real dispatcher: a dated French file name in the Documents folder, never an existing file; UNAVAILABLE in the
 * browser host; in a core given a save dialog (a plain function here: the Electron one is tested in
 * save-dialog.test.ts), the chosen path with the format's extension.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/errors';
import { createCore, type Core } from '../../electron/core';
import {
  dialogStartPath,
  documentsCandidates,
  localDate,
  suggestExportFile,
  withExtension,
  xdgDocumentsDir,
} from '../../electron/core/system/export-target';
import type { SaveDialogHost } from '../../electron/core/system/export-target';
import { tempDir } from '../helpers/temp';

const ctx = { transport: 'internal' } as const;

describe('suggested export files (pure rules)', () => {
  const now = new Date(2026, 10, 29, 23, 30);

  it('names the file in French with the UAI and the local date', () => {
    expect(localDate(now)).toBe('2026-11-29');
    expect(suggestExportFile({ directory: '/home/ana/Documents', name: 'accounts-guardian', format: 'xlsx', uai: '0750654D', now, exists: () => false })).toEqual({
      path: join('/home/ana/Documents', 'comptes-responsables-0750654D-2026-11-29.xlsx'),
      directory: '/home/ana/Documents',
      fileName: 'comptes-responsables-0750654D-2026-11-29.xlsx',
    });
    expect(suggestExportFile({ directory: '/d', name: 'audit', format: 'xlsx', now, exists: () => false }).fileName).toBe('journal-des-actions-2026-11-29.xlsx');
    expect(suggestExportFile({ directory: '/d', name: 'handoff', format: 'csv', now, exists: () => false }).fileName).toBe('changements-a-saisir-2026-11-29.csv');
  });

  it('never suggests a file that already exists', () => {
    const taken = new Set([join('/d', 'comptes-eleves-2026-11-29.csv'), join('/d', 'comptes-eleves-2026-11-29-2.csv')]);
    expect(suggestExportFile({ directory: '/d', name: 'accounts-pupil', format: 'csv', now, exists: (p) => taken.has(p) }).fileName).toBe(
      'comptes-eleves-2026-11-29-3.csv',
    );
  });

  it.skipIf(process.platform === 'win32')('counts a link pointing nowhere as taken (the export would refuse it)', () => {
    const dir = tempDir('ecd-suggest-');
    try {
      symlinkSync(join(dir.path, 'ailleurs'), join(dir.path, 'comptes-eleves-2026-11-29.csv'));
      expect(suggestExportFile({ directory: dir.path, name: 'accounts-pupil', format: 'csv', now }).fileName).toBe('comptes-eleves-2026-11-29-2.csv');
    } finally {
      dir.remove();
    }
  });

  it('finds the Documents folder the way each desktop defines it', () => {
    expect(xdgDocumentsDir('# comment\nXDG_DESKTOP_DIR="$HOME/Bureau"\nXDG_DOCUMENTS_DIR="$HOME/Mes documents"\n', '/home/ana')).toBe('/home/ana/Mes documents');
    expect(xdgDocumentsDir('XDG_DOCUMENTS_DIR="$HOME/"\n', '/home/ana')).toBeNull();
    expect(xdgDocumentsDir('XDG_DOCUMENTS_DIR=relative\n', '/home/ana')).toBeNull();
    expect(xdgDocumentsDir('', '/home/ana')).toBeNull();
    expect(documentsCandidates('darwin', {}, '/Users/ana')).toEqual([join('/Users/ana', 'Documents')]);
    expect(documentsCandidates('win32', { USERPROFILE: 'C:\\Users\\ana', OneDrive: 'C:\\Users\\ana\\OneDrive' }, 'C:\\Users\\ana')).toEqual([
      join('C:\\Users\\ana', 'Documents'),
      join('C:\\Users\\ana\\OneDrive', 'Documents'),
    ]);
  });

  it('opens the dialog on an absolute path, else on the typed name in the default folder; adds the extension', () => {
    expect(dialogStartPath('/tmp/x/liste.xlsx', '/d')).toBe('/tmp/x/liste.xlsx');
    expect(dialogStartPath('liste.xlsx', '/d')).toBe(join('/d', 'liste.xlsx'));
    expect(withExtension('/tmp/liste', 'csv')).toBe('/tmp/liste.csv');
    expect(withExtension('/tmp/LISTE.XLSX', 'xlsx')).toBe('/tmp/LISTE.XLSX');
  });
});

describe('system.exportTarget and system.chooseSaveFile through the dispatcher', () => {
  const home = tempDir('ecd-home-');
  const data = tempDir('ecd-data-');
  const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, USERPROFILE: process.env.USERPROFILE };
  let browser: Core;
  let desktop: Core;
  const asked: { defaultPath: string; format: string }[] = [];
  let answer: string | null | Error = null;
  const saveDialog: SaveDialogHost = {
    documentsDir: join(home.path, 'Documents-du-bureau'),
    chooseSaveFile: (request) => {
      asked.push(request);
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };

  beforeAll(() => {
    process.env.HOME = home.path;
    process.env.USERPROFILE = home.path;
    process.env.XDG_CONFIG_HOME = join(home.path, '.config');
    mkdirSync(join(home.path, 'Documents'));
    mkdirSync(join(home.path, 'Documents-du-bureau'));
    browser = createCore({ dataDir: join(data.path, 'a'), directory: 'demo', appVersion: '1', host: 'browser', access: 'open' });
    desktop = createCore({ dataDir: join(data.path, 'b'), directory: 'demo', appVersion: '1', host: 'electron', access: 'open', saveDialog });
  });

  afterAll(async () => {
    await browser?.shutdown();
    await desktop?.shutdown();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    home.remove();
    data.remove();
  });

  it('browser host: Documents in the home folder, a dated name, no save dialog', async () => {
    const target = await browser.dispatcher.call('system.exportTarget', { name: 'accounts-guardian', format: 'xlsx', uai: '0750654D' }, ctx);
    const today = localDate(new Date());
    expect(target).toEqual({
      directory: join(home.path, 'Documents'),
      fileName: `comptes-responsables-0750654D-${today}.xlsx`,
      path: join(home.path, 'Documents', `comptes-responsables-0750654D-${today}.xlsx`),
      saveDialog: false,
    });
    writeFileSync(target.path, 'déjà là');
    const next = await browser.dispatcher.call('system.exportTarget', { name: 'accounts-guardian', format: 'xlsx', uai: '0750654D' }, ctx);
    expect(next.fileName).toBe(`comptes-responsables-0750654D-${today}-2.xlsx`);
  });

  it('browser host: the save dialog is refused with UNAVAILABLE and a French message', async () => {
    const error = await browser.dispatcher.call('system.chooseSaveFile', { defaultPath: '/tmp/x.xlsx', format: 'xlsx' }, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('application de bureau') });
  });

  it('bad input is refused with a French message', async () => {
    await expect(browser.dispatcher.call('system.exportTarget', { name: 'nope', format: 'xlsx' } as never, ctx)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(browser.dispatcher.call('system.exportTarget', { name: 'audit', format: 'pdf' } as never, ctx)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(browser.dispatcher.call('system.chooseSaveFile', { defaultPath: ' ', format: 'csv' }, ctx)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('desktop: the shell’s Documents folder, and the dialog’s choice with the extension added', async () => {
    const target = await desktop.dispatcher.call('system.exportTarget', { name: 'handoff', format: 'csv' }, ctx);
    expect(target).toMatchObject({ directory: join(home.path, 'Documents-du-bureau'), saveDialog: true });

    answer = join(home.path, 'choisi');
    expect(await desktop.dispatcher.call('system.chooseSaveFile', { defaultPath: target.path, format: 'csv' }, ctx)).toEqual({ path: `${answer}.csv` });
    expect(asked.at(-1)).toEqual({ defaultPath: target.path, format: 'csv' });

    // Whatever was typed, the dialog opens on an absolute path; cancelling gives null.
    answer = null;
    expect(await desktop.dispatcher.call('system.chooseSaveFile', { defaultPath: 'liste.xlsx', format: 'xlsx' }, ctx)).toEqual({ path: null });
    expect(asked.at(-1)).toEqual({ defaultPath: join(home.path, 'Documents-du-bureau', 'liste.xlsx'), format: 'xlsx' });

    answer = new Error('no display');
    await expect(desktop.dispatcher.call('system.chooseSaveFile', { defaultPath: '/tmp/a.xlsx', format: 'xlsx' }, ctx)).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('saisissez le chemin'),
    });
  });
});
